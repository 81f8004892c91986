/**
 * Quire's theme on awkward posts, in real headless Chromium: long words and addresses, a
 * right-to-left post, close points on the map, notes and references. The site is written into a
 * temporary folder and served by `quire serve`'s preview server on 127.0.0.1.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../src/dev/preview.js';
import { writeSite } from '../helpers/site.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Browser tests skipped: ${CHROMIUM} not found; install Chromium with \`apt-get install -y chromium\``);

const LONG_WORD = 'pneumonoultramicroscopicsilicovolcanoconiosis';

function post(title: string, extra: string, body: string): string {
  return `---\ntitle: "${title}"\n${extra}---\n${body}\n`;
}

describe.skipIf(!hasChromium)('the theme on awkward posts in headless Chromium', () => {
  let preview: Preview;
  let browser: Browser;
  let root: string;

  beforeAll(async () => {
    root = writeSite({
      '_config.yml': 'title: Awkward\ntimezone: UTC\nshow_excerpts: true\n',
      'posts/2024-01-01-long.md': post(
        `A title with ${LONG_WORD} in it`,
        `tags: [${LONG_WORD}]\ncoordinates: [0.5, 0.5]\n`,
        `See https://example.com/${'a-very-long-path-segment'.repeat(4)}?and=${'0123456789abcdef'.repeat(3)} for ${LONG_WORD}.\n\nA note.[^1]\n\n[^1]: The note.`,
      ),
      'posts/2024-01-02-close.md': post('Close by', 'coordinates: [0.505, 0.5]\n', 'Next to the other one.\n\n## Main\n\nx\n\n## On the map\n\ny'),
      'posts/2024-01-03-rtl.md': post('مرحبا بالعالم', 'lang: ar\n', 'هذه تدوينة باللغة العربية.'),
      // Long labels at the edges and just off the middle, where a phone's larger labels ran out of the map.
      'posts/2024-01-04-left.md': post('Dark Patterns: When the Interface Says Yes for You', 'coordinates: [0.02, 0.3]\n', 'x'),
      'posts/2024-01-05-middle.md': post('How to Read an AI Benchmark Without Being Fooled Again', 'coordinates: [0.36, 0.2]\n', 'x'),
      'posts/2024-01-06-right.md': post('Half a Second: The xz Backdoor and the Trust We Do Not See', 'coordinates: [0.97, 0.7]\n', 'x'),
      'posts/2024-01-07-wide.md': post('日本語と中文のテスト：長いタイトルがどのように折り返されるか', 'coordinates: [0.62, 0.8]\n', 'x'),
    });
    [preview, browser] = await Promise.all([
      startPreview({ source: root, overrides: {}, host: '127.0.0.1', port: 0, tryNextPorts: false, log: () => undefined, logProblems: () => undefined }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage'] }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
  });

  it('breaks long words and addresses instead of scrolling sideways, on a phone and a desktop', async () => {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      for (const route of ['', '2024/01/01/long.html', `tags/${LONG_WORD}/`, 'archive/']) {
        await page.goto(`${preview.url}${route}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect({ width, route, overflow }).toEqual({ width, route, overflow: 0 });
      }
      await context.close();
    }
  });

  it('keeps the theme\'s ids apart from a post\'s heading ids (## Main, ## On the map)', async () => {
    const page = await browser.newPage();
    await page.goto(`${preview.url}2024/01/02/close.html`);
    const duplicates = await page.evaluate(() => {
      const ids = [...document.querySelectorAll('[id]')].map((element) => element.id);
      return ids.filter((id, index) => ids.indexOf(id) !== index);
    });
    expect(duplicates).toEqual([]);
    await page.close();
  });

  it('sets a post\'s own language, right to left for Arabic', async () => {
    const page = await browser.newPage();
    await page.goto(`${preview.url}2024/01/03/rtl.html`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await page.goto(`${preview.url}2024/01/01/long.html`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['en', '']);
    await page.close();
  });

  it('rings a focused map point in the text colour, however close its neighbour, and fades the other dots so its label reads', async () => {
    const page = await browser.newPage();
    await page.goto(`${preview.url}map/`);
    await page.focus('#p-close');
    const ring = await page.evaluate(() => {
      const dot = document.querySelector('#p-close .map-dot')!;
      const hit = document.querySelector('#p-close .map-hit')!;
      const style = getComputedStyle(dot);
      return { width: style.strokeWidth, radius: Number.parseFloat(getComputedStyle(dot).r), room: Number.parseFloat(getComputedStyle(hit).r), stroke: style.stroke };
    });
    // The tap area is smaller than the focused dot here: a ring on it would be hidden.
    expect(ring.room).toBeLessThan(ring.radius);
    expect(ring.width).toBe('4px');
    // The accent is about as blue as the first category's dots (1.3:1): the text colour stands out against all.
    const text = await page.evaluate(() => getComputedStyle(document.body).color);
    expect(ring.stroke).toBe(text);
    const opacities = await page.evaluate(() => [...document.querySelectorAll('.map-point')].map((point) => [point.id, getComputedStyle(point.querySelector('.map-dot')!).opacity] as const));
    expect(opacities.filter(([id]) => id === 'p-close').map(([, opacity]) => opacity)).toEqual(['1']);
    expect(opacities.filter(([id]) => id !== 'p-close').every(([, opacity]) => opacity === '0.3')).toBe(true);
    // The legend's swatches keep their colours where the dots do: in forced colours.
    await page.emulateMedia({ forcedColors: 'active' });
    const swatch = await page.evaluate(() => getComputedStyle(document.querySelector('.map-swatch')!).backgroundColor);
    const dot = await page.evaluate(() => getComputedStyle(document.querySelector('.map-dot.map-color-0')!).fill);
    expect(swatch).toBe(dot);
    await page.close();
  });

  it('keeps every map label inside the map, on a phone (where labels are larger) and a desktop', async () => {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${preview.url}map/`);
      const outside = await page.evaluate(() => {
        const map = document.querySelector('.map svg')!.getBoundingClientRect();
        return [...document.querySelectorAll<SVGTextElement>('.map-label')].flatMap((label) => {
          label.style.visibility = 'visible';
          const box = label.getBoundingClientRect();
          return box.left < map.left - 0.5 || box.right > map.right + 0.5 ? [`${label.textContent} (${Math.round(box.left - map.left)} to ${Math.round(box.right - map.left)} of ${Math.round(map.width)} px)`] : [];
        });
      });
      expect({ width, outside }).toEqual({ width, outside: [] });
      await context.close();
    }
  });

  it('shows the point a link to the map lands on well inside the window, not at its top edge', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${preview.url}map/#p-wide`);
    const top = await page.evaluate(() => document.querySelector('#p-wide .map-dot')!.getBoundingClientRect().top);
    expect(top).toBeGreaterThan(150);
    expect(top).toBeLessThan(800);
    await context.close();
  });

  it('sets off the notes from the text, and marks the one a link lands on', async () => {
    const page = await browser.newPage();
    await page.goto(`${preview.url}2024/01/01/long.html#fn:1`);
    const notes = await page.evaluate(() => {
      const block = document.querySelector('.footnotes')!;
      const note = document.querySelector('.footnotes li:target');
      return { border: getComputedStyle(block).borderTopStyle, title: getComputedStyle(block, '::before').content, marked: note ? getComputedStyle(note).backgroundColor : null };
    });
    expect(notes.border).toBe('solid');
    expect(notes.title).toBe('"Notes"');
    expect(notes.marked).not.toBeNull();
    expect(notes.marked).not.toBe('rgba(0, 0, 0, 0)');
    await page.close();
  });

  it('shows build errors in an overlay the site\'s stylesheet cannot restyle, which Escape hides', async () => {
    const page = await browser.newPage();
    await page.goto(`${preview.url}2024/01/02/close.html`);
    const file = path.join(root, 'posts/2024-01-02-close.md');
    const good = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, '---\ntitle: "Broken\n---\nx\n');
      await page.waitForSelector('#quire-error-overlay', { timeout: 10_000 });
      const look = await page.evaluate(() => {
        const pre = document.querySelector('#quire-error-overlay')!.shadowRoot!.querySelector('pre')!;
        const style = getComputedStyle(pre);
        return { text: pre.textContent, color: style.color, background: style.backgroundColor, size: style.fontSize };
      });
      // The theme's `pre { background: var(--code-bg) }` left light text on a light background.
      expect(look).toMatchObject({ color: 'rgb(245, 245, 245)', background: 'rgba(0, 0, 0, 0)', size: '14px' });
      expect(look.text).toMatch(/^posts\/2024-01-02-close\.md:2/);
      await page.keyboard.press('Escape');
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('#quire-error-overlay')!).display)).toBe('none');
    } finally {
      writeFileSync(file, good);
    }
    await page.waitForFunction(() => document.querySelector('#quire-error-overlay') === null, undefined, { timeout: 10_000 });
    await page.close();
  });

  it('closes the live-reload stream of a tab out of sight and opens it again when it is looked at', async () => {
    // Six streams are all a browser opens to one server: hidden tabs must not hold theirs.
    const page = await browser.newPage();
    await page.goto(`${preview.url}2024/01/02/close.html`);
    const open = () => [...preview.server.openPages()];
    await expect.poll(open).toEqual(['2024/01/02/close.html']);
    const show = (state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { value, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await show('hidden');
    await expect.poll(open).toEqual([]);
    await show('visible');
    await expect.poll(open).toEqual(['2024/01/02/close.html']);
    await page.close();
  });
});
