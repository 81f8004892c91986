/**
 * The example site (the repository root) in real headless Chromium: the map's links, names, hover
 * and keyboard behaviour; axe-core in the light and dark schemes and on a 390 px phone; the
 * live-reload script; console errors and broken images; sideways scrolling; and screenshots for a
 * human to look at (test/screenshots/, git-ignored).
 *
 * One preview server and one browser serve the whole file; each test opens its own context so the
 * colour scheme and viewport can differ. The site is built into a fresh temporary folder, never
 * into the repository's `_site/`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInMemory } from '../../src/build.js';
import { loadConfig } from '../../src/config.js';
import { startPreview, type Preview } from '../../src/dev/preview.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Browser tests skipped: ${CHROMIUM} not found; install Chromium with \`apt-get install -y chromium\``);

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCREENSHOTS = path.join(ROOT, 'test/screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LIVE_RELOAD = '/__quire/live.js';

const PAGES = {
  home: '/',
  post: '/tech/2024/03/20/large-language-models-have-passed-the-self-replicating-red-line.html',
  category: '/categories/tech/',
  map: '/map/',
} as const;
type PageName = keyof typeof PAGES;

interface PlacedPost {
  readonly title: string;
  readonly url: string;
}

interface AxeFinding {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: ReadonlyArray<{ readonly target: string; readonly summary: string }>;
}

/** The label shows the title, or (for a long one) its beginning followed by an ellipsis. */
function labelFits(label: string, title: string): boolean {
  if (label === title) return true;
  const shown = label.replace(/(\.\.\.|…)$/, '').trimEnd();
  return shown !== label && shown.length >= 20 && title.startsWith(shown);
}

/**
 * The preview keeps its build state in the source's `.quire-cache/`, one file per destination;
 * remove what this file's throwaway destination left there (deleting cache files is always safe).
 */
function forgetBuildsInto(destination: string): void {
  const cache = path.join(ROOT, '.quire-cache');
  let files: string[];
  try {
    files = readdirSync(cache).filter((file) => file.endsWith('.json'));
  } catch {
    return;
  }
  for (const file of files) {
    try {
      const saved = JSON.parse(readFileSync(path.join(cache, file), 'utf8')) as { destination?: unknown };
      if (saved.destination === destination) rmSync(path.join(cache, file), { force: true });
    } catch {
      // Being written by another build, or not ours: leave it.
    }
  }
}

describe.skipIf(!hasChromium)('the example site in headless Chromium', () => {
  let destination: string;
  let preview: Preview;
  let browser: Browser;
  let origin: string;
  let placed: PlacedPost[];
  const contexts: BrowserContext[] = [];
  /** Console errors and uncaught exceptions of every page any test opened, with the page's URL. */
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    destination = mkdtempSync(path.join(os.tmpdir(), 'quire-browser-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    const [started, launched, built] = await Promise.all([
      startPreview({ source: ROOT, overrides: { destination }, host: '127.0.0.1', port: 0, tryNextPorts: false, log: () => undefined, logProblems: () => undefined }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
      }),
      buildInMemory(loadConfig(ROOT, { destination })),
    ]);
    preview = started;
    browser = launched;
    origin = started.url.replace(/\/$/, '');
    placed = built.site.posts.filter((post) => post.coordinates !== null).map((post) => ({ title: post.title, url: post.url }));
  });

  afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    await browser?.close();
    await preview?.close();
    if (destination) {
      rmSync(destination, { recursive: true, force: true });
      forgetBuildsInto(destination);
    }
  });

  /** Paths each open page requested and got a response for (the event stream answers at once). */
  const responses = new WeakMap<Page, Set<string>>();

  /** A page in a new context (light, 1024 wide unless told), recording console errors. */
  async function open(route: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1024, height: 800 }, reducedMotion: 'reduce', ...options });
    contexts.push(context);
    const page = await context.newPage();
    const seen = new Set<string>();
    responses.set(page, seen);
    page.on('response', (response) => {
      seen.add(new URL(response.url()).pathname);
      if (response.status() >= 400) consoleErrors.push(`${page.url()}: ${response.status()} for ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()} (${message.location().url || 'no location'})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
    const response = await page.goto(origin + route, { waitUntil: 'load' });
    expect(response?.status(), route).toBe(200);
    return page;
  }

  /** Loads lazy images now and waits for every image; returns the ones that failed to load. */
  async function loadImages(page: Page): Promise<string[]> {
    return page.evaluate(async () => {
      const images = [...document.images];
      for (const image of images) image.loading = 'eager';
      await Promise.all(images.map((image) => (image.complete ? undefined : new Promise((resolve) => {
        image.addEventListener('load', resolve, { once: true });
        image.addEventListener('error', resolve, { once: true });
      }))));
      return images.filter((image) => image.naturalWidth === 0).map((image) => image.src);
    });
  }

  async function closeAll(): Promise<void> {
    for (const context of contexts.splice(0)) await context.close();
  }

  async function axe(page: Page): Promise<AxeFinding[]> {
    await page.addScriptTag({ content: AXE_SOURCE });
    return page.evaluate(async () => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
      // WCAG 2.2's target size (off by default in axe 4) matters for the map's points on a phone.
      const results = await axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } });
      if (results.passes.length === 0) throw new Error('axe checked nothing');
      return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? null,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({ target: node.target.join(' '), summary: node.failureSummary ?? '' })),
      }));
    });
  }

  /** href -> accessible name of each link whose DOM node is an `a.map-point`, as Chromium computes them. */
  async function mapLinkNames(page: Page): Promise<Map<string, string>> {
    const cdp = await page.context().newCDPSession(page);
    try {
      const { nodes } = await cdp.send('Accessibility.getFullAXTree');
      const names = new Map<string, string>();
      for (const node of nodes) {
        if (node.role?.value !== 'link' || node.backendDOMNodeId === undefined) continue;
        const { node: element } = await cdp.send('DOM.describeNode', { backendNodeId: node.backendDOMNodeId });
        const attributes = new Map<string, string>();
        for (let i = 0; i + 1 < (element.attributes ?? []).length; i += 2) attributes.set(element.attributes![i]!, element.attributes![i + 1]!);
        if (attributes.get('class')?.split(/\s+/).includes('map-point')) names.set(attributes.get('href') ?? '', String(node.name?.value ?? ''));
      }
      return names;
    } finally {
      await cdp.detach();
    }
  }

  it('places exactly one map link per post with coordinates, and every link opens a page', async () => {
    expect(placed.length).toBeGreaterThan(0);
    const page = await open(PAGES.map);
    const links = page.locator('svg a.map-point');
    await expect.poll(() => links.count()).toBe(placed.length);
    const hrefs = await links.evaluateAll((elements) => elements.map((element) => element.getAttribute('href') ?? ''));
    expect([...hrefs].sort()).toEqual(placed.map((post) => post.url).sort());
    expect(new Set(hrefs).size).toBe(hrefs.length);
    for (const href of hrefs) {
      const response = await page.request.get(new URL(href, page.url()).href);
      expect(response.status(), href).toBe(200);
      expect(response.headers()['content-type'], href).toMatch(/^text\/html/);
    }
    // And following one from the map itself lands on that post.
    const first = placed.find((post) => post.url === hrefs[0])!;
    await Promise.all([page.waitForURL(origin + first.url), links.first().locator('.map-dot').click()]);
    await expect.poll(() => page.locator('h1.post-title').textContent()).toBe(first.title);
    await closeAll();
  });

  it('opens the post of the dot under the finger on a phone, however close its neighbours', async () => {
    for (const options of [PHONE, {}]) {
      const page = await open(PAGES.map, options);
      const wrong = await page.locator('svg a.map-point').evaluateAll((points) =>
        points
          .filter((point) => {
            const dot = point.querySelector('.map-dot')!.getBoundingClientRect();
            return document.elementFromPoint(dot.left + dot.width / 2, dot.top + dot.height / 2)?.closest('a.map-point') !== point;
          })
          .map((point) => point.getAttribute('aria-label')),
      );
      expect(wrong).toEqual([]);
      await closeAll();
    }
  });

  it('names every point by its post title and shows the title label on hover', async () => {
    const page = await open(PAGES.map);
    const map = page.locator('figure.map svg');
    const frame = (await map.boundingBox())!;
    // Chromium's own accessibility tree: every point is a link named by its title alone (the
    // <title> tooltip, which adds the coordinates, is only its description).
    expect(await mapLinkNames(page)).toEqual(new Map(placed.map((post) => [post.url, post.title])));
    for (const post of placed) {
      const point = map.locator(`a.map-point[href="${post.url}"]`);
      const named = map.getByRole('link', { name: post.title, exact: true });
      expect(await named.count(), post.title).toBe(1);
      expect(await named.getAttribute('href')).toBe(post.url);
      const label = point.locator('.map-label');
      expect(await label.isVisible(), `${post.title}: label before hover`).toBe(false);
      await point.locator('.map-dot').hover();
      await label.waitFor({ state: 'visible', timeout: 2_000 });
      const text = (await label.textContent()) ?? '';
      expect(labelFits(text, post.title), `label "${text}" for "${post.title}"`).toBe(true);
      // The label stays inside the map's square, so it never sticks out of a narrow page.
      const box = (await label.boundingBox())!;
      expect(box.x, post.title).toBeGreaterThanOrEqual(frame.x);
      expect(box.x + box.width, post.title).toBeLessThanOrEqual(frame.x + frame.width);
      expect(box.y, post.title).toBeGreaterThanOrEqual(frame.y);
      if (post.url === PAGES.post) await page.screenshot({ path: path.join(SCREENSHOTS, 'map-hover-light.png') });
    }
    await page.mouse.move(0, 0);
    await expect.poll(() => page.locator('.map-label').evaluateAll((labels) => labels.filter((label) => getComputedStyle(label).visibility === 'visible').length)).toBe(0);
    await closeAll();
  });

  it('reaches the map points in order with Tab, and a focused point shows its label', async () => {
    const page = await open(PAGES.map);
    const order = await page.locator('a.map-point').evaluateAll((points) => points.map((point) => point.id));
    const focused = () => page.evaluate(() => {
      const active = document.activeElement;
      return active?.matches('a.map-point') ? active.id : `${active?.tagName ?? ''}`;
    });
    let presses = 0;
    while (!order.includes(await focused())) {
      expect(presses++, 'Tab presses before the first map point').toBeLessThan(15);
      await page.keyboard.press('Tab');
    }
    const reached: string[] = [];
    for (const id of order) {
      const current = await focused();
      reached.push(current);
      if (current !== id) break;
      const label = page.locator(`#${id} .map-label`);
      await label.waitFor({ state: 'visible', timeout: 2_000 });
      expect(await page.locator(`#${id}`).evaluate((point) => point.matches(':focus-visible')), id).toBe(true);
      if (id === order[0]) await page.screenshot({ path: path.join(SCREENSHOTS, 'map-focus-light.png') });
      await page.keyboard.press('Tab');
    }
    expect(reached).toEqual(order);
    // After the last point, focus leaves the map for the list below it.
    expect(await page.evaluate(() => document.activeElement?.closest('svg') === null)).toBe(true);
    await closeAll();
  });

  const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
  const VARIANTS: Array<[string, BrowserContextOptions]> = [
    ['light', { colorScheme: 'light' }],
    ['dark', { colorScheme: 'dark' }],
    ['390 px phone, light', { colorScheme: 'light', ...PHONE }],
  ];
  for (const [variant, options] of VARIANTS) {
    it(`has no serious or critical axe violation on home, post, category and map pages (${variant})`, async () => {
      const report: string[] = [];
      for (const name of Object.keys(PAGES) as PageName[]) {
        const page = await open(PAGES[name], options);
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(options.colorScheme === 'dark');
        await loadImages(page);
        for (const finding of await axe(page)) {
          const line = `${name} [${finding.impact}] ${finding.id}: ${finding.help}\n${finding.nodes.map((node) => `    ${node.target}\n      ${node.summary.replace(/\n/g, '\n      ')}`).join('\n')}`;
          if (finding.impact === 'serious' || finding.impact === 'critical') report.push(line);
          else console.info(`axe (${variant}, not failing): ${line}`);
        }
        await closeAll();
      }
      expect(report, report.join('\n')).toEqual([]);
    });
  }

  it('prints in the light palette even when the reader prefers dark (dark text on white paper)', async () => {
    const page = await open(PAGES.home, { colorScheme: 'dark' });
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const printed = await page.evaluate(() => ({
      muted: getComputedStyle(document.documentElement).getPropertyValue('--muted').trim(),
      background: getComputedStyle(document.body).backgroundColor,
      text: getComputedStyle(document.body).color,
    }));
    expect(printed).toEqual({ muted: '#57606a', background: 'rgb(255, 255, 255)', text: 'rgb(0, 0, 0)' });
    await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--muted').trim())).toBe('#a3aab2');
    await closeAll();
  });

  it('serves every page with the live-reload script, connected, and without console errors', async () => {
    for (const route of Object.values(PAGES)) {
      const page = await open(route);
      expect(await page.locator(`script[src="${LIVE_RELOAD}"]`).count(), route).toBe(1);
      // The script ran and opened its event stream to the preview server.
      await expect.poll(() => responses.get(page)!.has('/__quire/events'), { timeout: 5_000 }).toBe(true);
      expect(await loadImages(page), `${route}: broken images`).toEqual([]);
      await closeAll();
    }
    // And it acts on what the server says: a changed stylesheet is swapped in place, a changed page reloads.
    const page = await open(PAGES.map);
    await expect.poll(() => responses.get(page)!.has('/__quire/events'), { timeout: 5_000 }).toBe(true);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    preview.server.notifyChanged(['css/map.css']);
    await page.waitForSelector('link[rel="stylesheet"][href*="map.css?quire-reload="]', { state: 'attached', timeout: 5_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await Promise.all([page.waitForEvent('load', { timeout: 5_000 }), preview.server.notifyChanged(['map/index.html'])]);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    await closeAll();
    expect(consoleErrors).toEqual([]);
  });

  it('saves full-page screenshots of home, post and map in light, dark and on a 390 px phone', async () => {
    const shots: Array<[string, PageName, BrowserContextOptions]> = [];
    for (const name of ['home', 'post', 'map'] as const) {
      shots.push([`${name}-light.png`, name, { colorScheme: 'light' }]);
      shots.push([`${name}-dark.png`, name, { colorScheme: 'dark' }]);
      shots.push([`${name}-mobile.png`, name, { colorScheme: 'light', ...PHONE }]);
    }
    shots.push(['category-light.png', 'category', { colorScheme: 'light' }]);
    shots.push(['post-mobile-dark.png', 'post', { colorScheme: 'dark', ...PHONE }]);
    const problems: string[] = [];
    for (const [file, name, options] of shots) {
      const page = await open(PAGES[name], options);
      const broken = await loadImages(page);
      if (broken.length) problems.push(`${file}: broken images ${broken.join(', ')}`);
      await page.evaluate(() => document.fonts.ready);
      // Nothing sticks out sideways, on a phone least of all.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) problems.push(`${file}: the page scrolls sideways by ${overflow} px`);
      await page.screenshot({ path: path.join(SCREENSHOTS, file), fullPage: true });
      await closeAll();
    }
    expect(problems).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
