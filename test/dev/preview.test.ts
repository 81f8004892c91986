import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInMemory } from '../../src/build.js';
import { loadConfig } from '../../src/config.js';
import { startPreview, type Preview, type RebuildEvent } from '../../src/dev/preview.js';
import { markupSetup, postCacheFolder, readPostCache } from '../../src/content/post-cache.js';
import { buildWholeSite } from '../../src/parallel/build.js';
import { PortInUseError } from '../../src/errors.js';
import type { BuildProblem } from '../../src/types.js';
import { EventLog, rawRequest } from '../helpers/http.js';
import { UNREADABLE, unreadableAvailable, writeSite } from '../helpers/site.js';

const running: Array<Preview | EventLog> = [];
afterEach(async () => {
  for (const item of running.splice(0)) await item.close();
});

function postText(n: number, body = `Body ${n}.`): string {
  return `---\ntitle: Post ${n}\ncategories: [c${n % 3}]\ncoordinates: [${(n % 10) / 10}, ${(n % 7) / 7}]\n---\n${body}\n`;
}

function blog(count = 5, extra: Record<string, string> = {}): string {
  const files: Record<string, string> = { '_config.yml': 'title: Preview test\ntimezone: UTC\nurl: https://example.com\n', ...extra };
  for (let n = 1; n <= count; n++) files[`posts/2024-01-${String(n).padStart(2, '0')}-post-${n}.md`] = postText(n);
  return writeSite(files, 'quire-preview-');
}

async function preview(root: string, port = 0, tryNextPorts = false): Promise<{ preview: Preview; problems: BuildProblem[][]; logged: string[] }> {
  const problems: BuildProblem[][] = [];
  const logged: string[] = [];
  const started = await startPreview({ source: root, overrides: {}, host: '127.0.0.1', port, tryNextPorts, log: (line) => logged.push(line), logProblems: (list) => problems.push([...list]) });
  running.push(started);
  return { preview: started, problems, logged };
}

async function events(started: Preview): Promise<EventLog> {
  const log = await EventLog.open(`${started.url}__quire/events`);
  running.push(log);
  // The stream starts by saying where things stand (`ok`, or the problems); tests wait for what follows.
  await expect.poll(() => log.events.length).toBeGreaterThan(0);
  if (log.events[0]!.event === 'ok') log.events.shift();
  return log;
}

const get = (url: string) => fetch(url, { redirect: 'manual' });

describe('quire serve', () => {
  it('serves the built site on 127.0.0.1 with the right types, index files, redirects and the 404 page', async () => {
    const root = blog();
    const { preview: started } = await preview(root);
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const home = await get(started.url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(home.headers.get('cache-control')).toBe('no-cache');
    const html = await home.text();
    expect(html).toContain('Post 5');
    // The script tag carries the version of the page it serves (its fingerprint in the build).
    expect(html).toMatch(/<script src="\/__quire\/live\.js" data-version="[\w+/=]+" defer><\/script><\/body>/);
    expect((await get(`${started.url}css/quire.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await get(`${started.url}feed.xml`)).headers.get('content-type')).toMatch(/xml/);
    expect((await get(`${started.url}robots.txt`)).headers.get('content-type')).toMatch(/^text\/plain/);
    const redirect = await get(`${started.url}map`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/map/');
    expect((await get(`${started.url}map?x=1&y=2`)).headers.get('location')).toBe('/map/?x=1&y=2');
    // A HEAD request to the event stream gets its headers at once, and is no open page.
    const head = await fetch(`${started.url}__quire/events?page=%2Fmap%2F`, { method: 'HEAD', signal: AbortSignal.timeout(2000) });
    expect(head.headers.get('content-type')).toBe('text/event-stream');
    expect(started.server.openPages().size).toBe(0);
    const missing = await get(`${started.url}no/such/page/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Page not found');
    expect((await get(`${started.url}__quire/live.js`)).status).toBe(200);
  });

  it('keeps production output free of the live-reload script', async () => {
    const root = blog(2);
    const { preview: started } = await preview(root);
    const onDisk = (await import('node:fs')).readFileSync(path.join(root, '_site/index.html'), 'utf8');
    expect(onDisk).not.toContain('__quire');
    expect(await (await get(started.url)).text()).toContain('__quire/live.js');
  });

  it('never serves a file outside the site, whatever the request looks like', async () => {
    const root = blog(2);
    writeFileSync(path.join(root, 'secret.txt'), 'top secret');
    const { preview: started } = await preview(root);
    symlinkSync(path.join(root, 'secret.txt'), path.join(root, '_site/leak.txt'));
    symlinkSync('/etc', path.join(root, '_site/etc-link'));
    const port = started.server.port;
    const attempts = [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e%5c%2e%2e%5cetc%5cpasswd',
      '/....//....//etc/passwd',
      '/%00../etc/passwd',
      '/%c0%ae%c0%ae/etc/passwd',
      '/leak.txt',
      '/etc-link/passwd',
      '/../secret.txt',
      '/_config.yml',
      `/${'a'.repeat(10_000)}`,
    ];
    for (const target of attempts) {
      const response = await rawRequest(port, target);
      expect([400, 404, 414], target).toContain(response.status);
      expect(response.body, target).not.toContain('root:x:0:0');
      expect(response.body, target).not.toContain('top secret');
    }
    expect((await get(started.url)).status).toBe(200);
  });

  it('answers only to its own address, so a page whose domain points at 127.0.0.1 cannot read the preview', async () => {
    const { preview: started } = await preview(blog(1));
    const port = started.server.port;
    for (const host of ['attacker.example', `attacker.example:${port}`, 'rebind.127.0.0.1.nip.io']) {
      const response = await rawRequest(port, '/', host);
      expect(response.status, host).toBe(403);
      expect(response.body, host).not.toContain('<html');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'blog.localhost', `[::1]:${port}`, '192.168.1.20']) {
      expect((await rawRequest(port, '/', host)).status, host).toBe(200);
    }
  });

  it('serves under the new baseurl when _config.yml changes it', async () => {
    const root = blog(2);
    const { preview: started } = await preview(root);
    const origin = started.url.replace(/\/$/, '');
    expect((await get(`${origin}/c1/2024/01/01/post-1.html`)).status).toBe(200);
    const rebuilt = new Promise((resolve) => started.onRebuild(resolve));
    writeFileSync(path.join(root, '_config.yml'), 'title: Preview test\ntimezone: UTC\nurl: https://example.com\nbaseurl: /blog\n');
    await rebuilt;
    expect(started.url).toBe(`${origin}/blog/`);
    const page = await get(`${origin}/blog/c1/2024/01/01/post-1.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('href="/blog/');
    expect((await get(`${origin}/c1/2024/01/01/post-1.html`)).status).toBe(404);
  });

  it('after a _config.yml edit, writes only the files whose bytes changed', async () => {
    const root = blog(3);
    const { preview: started } = await preview(root);
    const rebuilt = new Promise<RebuildEvent>((resolve) => started.onRebuild(resolve));
    writeFileSync(path.join(root, '_config.yml'), 'title: Preview test\ntimezone: UTC\nurl: https://example.com\ndescription: A new description\n');
    const event = await rebuilt;
    expect(event.ok).toBe(true);
    expect(event.changedOutputs).toContain('index.html');
    // The stylesheets did not change: they are neither written nor announced to open pages.
    expect(event.changedOutputs.filter((file) => file.endsWith('.css'))).toEqual([]);
  });

  it('watches the settings file given with --config, inside the site or outside it', async () => {
    const root = blog(2);
    const outside = writeSite({ 'settings.yml': 'title: Outside one\ntimezone: UTC\n' });
    for (const configFile of [path.join(root, 'custom.yml'), path.join(outside, 'settings.yml')]) {
      if (configFile.startsWith(root)) writeFileSync(configFile, 'title: Custom one\ntimezone: UTC\n');
      const started = await startPreview({ source: root, overrides: { configFile }, host: '127.0.0.1', port: 0, log: () => undefined, logProblems: () => undefined });
      running.push(started);
      const rebuilt = new Promise<RebuildEvent>((resolve) => started.onRebuild(resolve));
      writeFileSync(configFile, 'title: Changed title\ntimezone: UTC\n');
      expect((await rebuilt).ok).toBe(true);
      expect(await (await get(started.url)).text()).toContain('Changed title');
      await started.close();
    }
  });

  it('picks up a <folder>/_posts/ made while serving, and later edits of its posts', async () => {
    const root = blog(2);
    const { preview: started } = await preview(root);
    let rebuilt = new Promise<RebuildEvent>((resolve) => started.onRebuild(resolve));
    mkdirSync(path.join(root, 'news/_posts'), { recursive: true });
    writeFileSync(path.join(root, 'news/_posts/2024-02-01-late.md'), '---\ntitle: Late news\n---\nNews.\n');
    await rebuilt;
    await started.idle();
    expect(await (await get(`${started.url}archive/`)).text()).toContain('Late news');
    rebuilt = new Promise<RebuildEvent>((resolve) => started.onRebuild(resolve));
    writeFileSync(path.join(root, 'news/_posts/2024-02-01-late.md'), '---\ntitle: Later news\n---\nNews.\n');
    await rebuilt;
    await started.idle();
    expect(await (await get(`${started.url}archive/`)).text()).toContain('Later news');
  });

  it('keeps showing a broken _config.yml after saves of other files, and builds with the fixed one', async () => {
    const root = blog(2);
    const { preview: started, problems } = await preview(root);
    const good = readFileSync(path.join(root, '_config.yml'), 'utf8');
    const next = () => new Promise<RebuildEvent>((resolve) => started.onRebuild(resolve));
    let rebuilt = next();
    writeFileSync(path.join(root, '_config.yml'), `${good}title: "Unclosed\n`);
    expect((await rebuilt).ok).toBe(false);
    // A post saved while the settings cannot be read: still failing, for the same reason.
    rebuilt = next();
    writeFileSync(path.join(root, 'posts/2024-01-01-post-1.md'), postText(1, 'Edited body.'));
    expect((await rebuilt).ok).toBe(false);
    expect(problems.at(-1)![0]!.file).toMatch(/_config\.yml$/);
    rebuilt = next();
    writeFileSync(path.join(root, '_config.yml'), good.replace('title: Preview test', 'title: Fixed title'));
    expect((await rebuilt).ok).toBe(true);
    const page = await (await get(`${started.url}c1/2024/01/01/post-1.html`)).text();
    expect(page).toContain('Edited body.');
    expect(page).toContain('Fixed title');
  });

  it('watches again when _config.yml moves the output folder, so writing the site does not set off a rebuild', async () => {
    // A Jekyll site's watcher covers its whole source but the output folder; here that folder moves inside it.
    const config = 'title: Moving\ntimezone: UTC\n';
    const root = writeSite({ '_config.yml': config, '_layouts/default.html': '<main>{{ content }}</main>\n', '_posts/2024-01-01-a.md': '---\nlayout: default\ntitle: A\n---\nFirst.\n' });
    const { preview: started } = await preview(root);
    const whole: RebuildEvent[] = [];
    started.onRebuild((event) => {
      if (!event.partial) whole.push(event);
    });
    writeFileSync(path.join(root, '_config.yml'), `${config}destination: built\n`);
    await expect.poll(() => whole.length, { timeout: 10_000 }).toBe(1);
    expect(readFileSync(path.join(root, 'built/2024/01/01/a.html'), 'utf8')).toContain('First.');
    writeFileSync(path.join(root, '_posts/2024-01-01-a.md'), '---\nlayout: default\ntitle: A\n---\nSecond.\n');
    await expect.poll(() => whole.length, { timeout: 10_000 }).toBe(2);
    // Had the new output folder been watched, its files written just now would start another rebuild.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(whole.length).toBe(2);
    expect(readFileSync(path.join(root, 'built/2024/01/01/a.html'), 'utf8')).toContain('Second.');
  });

  it('says a warning a save brings (a post with no date in its name) once, after the rebuild', async () => {
    const root = blog(2);
    const { preview: started, logged } = await preview(root);
    const rebuilds = () => logged.filter((line) => line.startsWith('Rebuilt')).length;
    writeFileSync(path.join(root, 'posts', 'undated-idea.md'), '---\ntitle: Idea\n---\nSoon.\n');
    await expect.poll(() => logged.some((line) => line.startsWith('warning posts/undated-idea.md: skipped')), { timeout: 10_000 }).toBe(true);
    writeFileSync(path.join(root, 'posts', '2024-01-01-post-1.md'), postText(1, 'Changed.'));
    const before = rebuilds();
    await expect.poll(rebuilds, { timeout: 10_000 }).toBeGreaterThan(before);
    expect(logged.filter((line) => line.startsWith('warning posts/undated-idea.md')).length).toBe(1);
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('takes a file in public/ replaced by a folder of the same name, and builds on after it', async () => {
    const root = blog(2, { 'public/keep.txt': 'keep' });
    const { preview: started, problems } = await preview(root);
    const ok = () => started.idle();
    writeFileSync(path.join(root, 'public', 'thing'), 'x');
    await expect.poll(async () => (await get(`${started.url}thing`)).status, { timeout: 10_000 }).toBe(200);
    rmSync(path.join(root, 'public', 'thing'));
    mkdirSync(path.join(root, 'public', 'thing'));
    writeFileSync(path.join(root, 'public', 'thing', 'index.html'), '<p>folder</p>');
    await expect.poll(async () => (await get(`${started.url}thing/`)).status, { timeout: 10_000 }).toBe(200);
    writeFileSync(path.join(root, 'posts', '2024-01-01-post-1.md'), postText(1, 'After the folder.'));
    await expect.poll(async () => (await (await get(`${started.url}c1/2024/01/01/post-1.html`)).text()).includes('After the folder.'), { timeout: 10_000 }).toBe(true);
    await ok();
    expect(problems).toEqual([]);
  });

  it("takes a public/robots.txt added while serving in place of Quire's, and Quire's back when it goes", async () => {
    const root = blog(2, { 'public/keep.txt': 'keep' });
    const { preview: started, problems } = await preview(root);
    const robots = async () => (await get(`${started.url}robots.txt`)).text();
    expect(await robots()).toContain('Sitemap:');
    writeFileSync(path.join(root, 'public', 'robots.txt'), 'User-agent: *\nDisallow: /\n');
    await expect.poll(robots, { timeout: 10_000 }).toBe('User-agent: *\nDisallow: /\n');
    rmSync(path.join(root, 'public', 'robots.txt'));
    await expect.poll(robots, { timeout: 10_000 }).toContain('Sitemap:');
    await started.idle();
    expect(problems).toEqual([]);
  });

  it('takes a JetBrains "safe write" (temporary file, old file aside, rename, delete) as one save, with no problem shown', async () => {
    const root = blog(2);
    const { preview: started, problems } = await preview(root);
    const file = path.join(root, 'posts', '2024-01-02-post-2.md');
    for (let round = 1; round <= 5; round++) {
      writeFileSync(`${file}___jb_tmp___`, postText(2, `Saved ${round}.`));
      await new Promise((resolve) => setTimeout(resolve, 3));
      renameSync(file, `${file}___jb_old___`);
      await new Promise((resolve) => setTimeout(resolve, 3));
      renameSync(`${file}___jb_tmp___`, file);
      await new Promise((resolve) => setTimeout(resolve, 3));
      rmSync(`${file}___jb_old___`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await expect.poll(async () => (await (await get(`${started.url}c2/2024/01/02/post-2.html`)).text()).includes('Saved 5.'), { timeout: 10_000 }).toBe(true);
    await started.idle();
    expect(problems).toEqual([]);
    expect(readdirSync(path.join(root, '_site')).filter((name) => name.includes('___jb_'))).toEqual([]);
  });

  it('takes a renamed post with a permalink as one change, not as two posts written to one place', async () => {
    const root = blog(2, { 'posts/2024-02-01-a.md': '---\ntitle: A\npermalink: /a/\n---\nx\n' });
    const { preview: started, problems } = await preview(root);
    for (const [from, to] of [['2024-02-01-a.md', '2024-02-01-a-renamed.md'], ['2024-02-01-a-renamed.md', '2024-02-01-a.markdown']]) {
      renameSync(path.join(root, 'posts', from), path.join(root, 'posts', to));
      await new Promise((resolve) => setTimeout(resolve, 400));
      await started.idle();
    }
    expect(problems).toEqual([]);
    expect((await get(`${started.url}a/`)).status).toBe(200);
  });

  it('serves a baseurl site under its sub-path', async () => {
    const root = blog(2, { '_config.yml': 'title: Sub\ntimezone: UTC\nbaseurl: /blog\n' });
    const { preview: started } = await preview(root);
    expect(started.url).toMatch(/\/blog\/$/);
    const home = await get(started.url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('href="/blog/c1/2024/01/01/post-1.html"');
    const root2 = await get(started.url.replace(/blog\/$/, ''));
    expect(root2.status).toBe(301);
    expect(root2.headers.get('location')).toBe('/blog/');
  });

  it('rebuilds on save, tells open pages what changed, and serves the new page', async () => {
    // With excerpts on the home page, the edit shows there too.
    const root = blog(5, { '_config.yml': 'title: Preview test\ntimezone: UTC\nurl: https://example.com\nshow_excerpts: true\n' });
    const { preview: started } = await preview(root);
    const log = await events(started);
    writeFileSync(path.join(root, 'posts/2024-01-03-post-3.md'), postText(3, 'A freshly edited body.'));
    const change = JSON.parse(await log.next('change')) as { urls: string[] };
    expect(change.urls).toContain('/c0/2024/01/03/post-3.html');
    expect(change.urls).toContain('/');
    expect(await (await get(`${started.url}c0/2024/01/03/post-3.html`)).text()).toContain('A freshly edited body.');
  });

  it('writes the page open in a browser first, then the pages that list it, ending like a clean build', async () => {
    const root = blog(8);
    const { preview: started } = await preview(root);
    const rebuilds: Array<{ partial: boolean; changed: readonly string[] }> = [];
    started.onRebuild((event) => rebuilds.push({ partial: event.partial ?? false, changed: event.changedOutputs }));
    // What the live-reload script of /c0/2024/01/03/post-3.html opens.
    const log = await EventLog.open(`${started.url}__quire/events?page=${encodeURIComponent('/c0/2024/01/03/post-3.html')}`);
    running.push(log);
    writeFileSync(path.join(root, 'posts/2024-01-03-post-3.md'), postText(3).replace('title: Post 3', 'title: A new title for three'));
    const first = JSON.parse(await log.next('change')) as { urls: string[] };
    expect(first.urls).toEqual(['/c0/2024/01/03/post-3.html', '/c0/2024/01/03/post-3']);
    const then = JSON.parse(await log.next('change')) as { urls: string[] };
    expect(then.urls).toContain('/');
    expect(then.urls).toContain('/map/');
    expect(then.urls).not.toContain('/c0/2024/01/03/post-3.html');
    await started.idle();
    expect(rebuilds.map((rebuild) => rebuild.partial)).toEqual([true, false]);
    const config = loadConfig(root, {});
    const clean = await buildInMemory(config);
    for (const output of clean.outputs) {
      if (typeof output.contents !== 'string') continue;
      expect(readFileSync(path.join(root, '_site', output.path), 'utf8'), output.path).toBe(output.contents);
    }
  });

  it('starts from the posts `quire build` cached: their HTML is not made again', async () => {
    const root = blog(6);
    const config = loadConfig(root, {});
    await buildWholeSite(config, { workers: 0 });
    // Change the cached HTML of one post behind Quire's back (same length, so the index still
    // fits): if the preview shows the change, it took the post from the cache.
    const folder = postCacheFolder(config);
    const entry = (await readPostCache(config, markupSetup(config))).get('posts/2024-01-04-post-4.md')!;
    const blob = readFileSync(path.join(folder, entry.html.blob));
    const html = blob.subarray(entry.html.offset, entry.html.offset + entry.html.length);
    expect(html.toString()).toContain('Body 4.');
    html.set(Buffer.from(html.toString().replace('Body 4.', 'Fake 4.')));
    writeFileSync(path.join(folder, entry.html.blob), blob);
    const { preview: started } = await preview(root);
    expect(await (await get(`${started.url}c1/2024/01/04/post-4.html`)).text()).toContain('Fake 4.');
  });

  it('starting from the cache after an edit, serves what a clean build makes', async () => {
    const root = blog(6);
    const config = loadConfig(root, {});
    await buildWholeSite(config, { workers: 0 });
    writeFileSync(path.join(root, 'posts/2024-01-02-post-2.md'), postText(2, 'Edited after the build.').replace('title: Post 2', 'title: Renamed'));
    await preview(root);
    const clean = await buildInMemory(config);
    for (const output of clean.outputs) {
      if (typeof output.contents !== 'string') continue;
      expect(readFileSync(path.join(root, '_site', output.path), 'utf8'), output.path).toBe(output.contents);
    }
  });

  it('catches the last of several quick saves to one file (chokidar drops changes within 50 ms)', async () => {
    const root = blog(3);
    const { preview: started } = await preview(root);
    const file = path.join(root, 'posts/2024-01-02-post-2.md');
    for (let i = 1; i <= 4; i++) {
      writeFileSync(file, postText(2, `Save number ${i}.`));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await new Promise((resolve) => setTimeout(resolve, 600));
    await started.idle();
    expect(await (await get(`${started.url}c2/2024/01/02/post-2.html`)).text()).toContain('Save number 4.');
  });

  it('handles an editor that saves through a temporary file and a rename', async () => {
    const root = blog(3);
    const { preview: started } = await preview(root);
    const log = await events(started);
    const target = path.join(root, 'posts/2024-01-01-post-1.md');
    const temporary = path.join(root, 'posts/.2024-01-01-post-1.md.swp');
    writeFileSync(temporary, postText(1, 'Saved by rename.'));
    (await import('node:fs')).renameSync(temporary, target);
    await log.next('change', 10_000, (data) => data.includes('post-1'));
    expect(await (await get(`${started.url}c1/2024/01/01/post-1.html`)).text()).toContain('Saved by rename.');
  });

  it('removes a deleted post from the output and every index', async () => {
    const root = blog();
    const { preview: started } = await preview(root);
    const log = await events(started);
    rmSync(path.join(root, 'posts/2024-01-04-post-4.md'));
    await log.next('change');
    expect((await get(`${started.url}c1/2024/01/04/post-4.html`)).status).toBe(404);
    expect(await (await get(started.url)).text()).not.toContain('Post 4<');
    expect(await (await get(`${started.url}map/`)).text()).not.toContain('Post 4');
  });

  it('ends a burst of 50 writes in one second with the same site as a clean build', async () => {
    const root = blog(20);
    const { preview: started } = await preview(root);
    const rebuilds: number[] = [];
    started.onRebuild((event) => rebuilds.push(event.milliseconds));
    for (let i = 0; i < 50; i++) {
      const n = (i % 20) + 1;
      writeFileSync(path.join(root, `posts/2024-01-${String(n).padStart(2, '0')}-post-${n}.md`), postText(n, `Revision ${i} of post ${n}.`));
      if (i === 25) writeFileSync(path.join(root, 'posts/2024-02-01-added.md'), postText(99, 'Added during the burst.'));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Let the watcher settle, then wait for the queued rebuilds.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await started.idle();
    expect(rebuilds.length).toBeGreaterThan(0);
    expect(rebuilds.length).toBeLessThan(50);
    const clean = await buildInMemory(loadConfig(root));
    for (const output of clean.outputs) {
      const url = `${started.url}${output.path.split('/').map(encodeURIComponent).join('/')}`;
      const response = await get(url);
      expect(response.status, output.path).toBe(200);
      const served = Buffer.from(await response.arrayBuffer()).toString('utf8').replace(/<script src="\/__quire\/live\.js"( data-version="[^"]*")? defer><\/script>/, '');
      if (typeof output.contents === 'string') expect(served, output.path).toBe(output.contents);
    }
  });

  it('tells a page that connects with an older version of itself to reload (it changed while its tab was hidden, or the server restarted)', async () => {
    const root = blog(3);
    const { preview: started } = await preview(root);
    const page = '/c2/2024/01/02/post-2.html';
    const version = /data-version="([^"]+)"/.exec(await (await get(`${started.url}${page.slice(1)}`)).text())![1]!;
    // The same version: nothing to do but say all is well.
    const current = await EventLog.open(`${started.url}__quire/events?page=${encodeURIComponent(page)}&version=${encodeURIComponent(version)}`);
    running.push(current);
    await current.next('ok');
    // An older one: a change of this very page, at once.
    const stale = await EventLog.open(`${started.url}__quire/events?page=${encodeURIComponent(page)}&version=older`);
    running.push(stale);
    expect(JSON.parse(await stale.next('change'))).toEqual({ urls: [page] });
    expect(current.events.some((event) => event.event === 'change')).toBe(false);
  });

  it('shows a build error, keeps serving the last good site, and clears when fixed', async () => {
    const root = blog(3);
    const { preview: started, problems } = await preview(root);
    const log = await events(started);
    const file = path.join(root, 'posts/2024-01-02-post-2.md');
    writeFileSync(file, '---\ntitle: [broken\n---\nOops\n');
    const shown = JSON.parse(await log.next('problems')) as string[];
    expect(shown[0]).toMatch(/^posts\/2024-01-02-post-2\.md:\d+/);
    expect(problems.at(-1)![0]!.file).toBe('posts/2024-01-02-post-2.md');
    expect((await get(`${started.url}c2/2024/01/02/post-2.html`)).status).toBe(200);
    // A page opened while the build is broken shows the problems at once.
    const late = await events(started);
    await late.next('problems');
    writeFileSync(file, postText(2, 'Fixed.'));
    await log.next('ok');
    expect(await (await get(`${started.url}c2/2024/01/02/post-2.html`)).text()).toContain('Fixed.');
  });

  it.skipIf(!unreadableAvailable)('names a static file the system will not let it read, as a problem of that file, and keeps watching', async () => {
    const root = blog(3);
    const { preview: started, problems, logged } = await preview(root);
    const log = await events(started);
    mkdirSync(path.join(root, 'public'), { recursive: true });
    symlinkSync(UNREADABLE, path.join(root, 'public', 'gone.png'));
    const shown = JSON.parse(await log.next('problems')) as string[];
    expect(shown).toEqual(['public/gone.png: cannot be copied into the site: permission denied (EACCES)']);
    expect(problems.at(-1)).toEqual([{ file: 'public/gone.png', message: 'cannot be copied into the site: permission denied (EACCES)' }]);
    // chokidar cannot watch it either: a warning, and the preview goes on (it used to stop).
    await expect.poll(() => logged.filter((line) => line.includes('gone.png'))).toEqual(['warning public/gone.png: cannot be watched for changes: permission denied (EACCES); changes to it are not seen']);
    rmSync(path.join(root, 'public', 'gone.png'));
    await log.next('ok');
  });

  it('puts back the page it wrote first when the rest of the rebuild fails, so the site stays the last good build', async () => {
    // Post 2's new title shows on the open home page, which renders; its own page does not.
    const root = blog(3, { 'templates/broken.njk': '{% include "partials/missing.njk" %}' });
    const { preview: started } = await preview(root);
    const rebuilds: Array<{ ok: boolean; partial: boolean }> = [];
    started.onRebuild((event) => rebuilds.push({ ok: event.ok, partial: event.partial ?? false }));
    const home = readFileSync(path.join(root, '_site/index.html'), 'utf8');
    const log = await EventLog.open(`${started.url}__quire/events?page=%2F`);
    running.push(log);
    const file = path.join(root, 'posts/2024-01-02-post-2.md');
    writeFileSync(file, postText(2).replace('title: Post 2', 'title: Renamed two\nlayout: broken'));
    await log.next('problems');
    await started.idle();
    expect(rebuilds).toEqual([{ ok: true, partial: true }, { ok: false, partial: false }]);
    expect(readFileSync(path.join(root, '_site/index.html'), 'utf8')).toBe(home);
    expect(await (await get(started.url)).text()).not.toContain('Renamed two');
    // Fixed, the site is what a clean build makes, home page included.
    writeFileSync(file, postText(2).replace('title: Post 2', 'title: Renamed two'));
    await expect.poll(() => rebuilds.length).toBe(3);
    await started.idle();
    // Nothing is written first after a failed rebuild (it would most likely fail as well).
    expect(rebuilds[2]).toEqual({ ok: true, partial: false });
    const clean = await buildInMemory(loadConfig(root, {}));
    for (const output of clean.outputs) {
      if (typeof output.contents === 'string') expect(readFileSync(path.join(root, '_site', output.path), 'utf8'), output.path).toBe(output.contents);
    }
  });

  it('reports a broken template again after a save that changes nothing, until it is fixed', async () => {
    const root = blog(3);
    const { preview: started } = await preview(root);
    const rebuilds: boolean[] = [];
    started.onRebuild((event) => rebuilds.push(event.ok));
    const log = await events(started);
    const template = path.join(root, 'templates/post.njk');
    mkdirSync(path.dirname(template), { recursive: true });
    writeFileSync(template, '{% include "partials/missing.njk" %}');
    await log.next('problems');
    await started.idle();
    // An editor's second save of the same text (or `touch`).
    writeFileSync(template, '{% include "partials/missing.njk" %}');
    await log.next('problems');
    await started.idle();
    expect(rebuilds).toEqual([false, false]);
    rmSync(template);
    await log.next('ok');
  });

  it('starts even when the site does not build, serving the last good site with the problems until a save fixes them', async () => {
    const root = blog(3);
    const good = await preview(root);
    await good.preview.close();
    // Something of the last build has gone since, too.
    rmSync(path.join(root, '_site/css/quire.css'));
    const file = path.join(root, 'posts/2024-01-02-post-2.md');
    writeFileSync(file, '---\ntitle: [broken\n---\nOops\n');
    const { preview: started, problems } = await preview(root);
    expect(problems[0]![0]!.file).toBe('posts/2024-01-02-post-2.md');
    const log = await events(started);
    expect(JSON.parse(await log.next('problems'))[0]).toMatch(/^posts\/2024-01-02-post-2\.md:\d+/);
    expect((await get(`${started.url}c2/2024/01/02/post-2.html`)).status).toBe(200);
    writeFileSync(file, postText(2, 'Fixed at last.'));
    await log.next('ok');
    expect(await (await get(`${started.url}c2/2024/01/02/post-2.html`)).text()).toContain('Fixed at last.');
    expect((await get(`${started.url}css/quire.css`)).status).toBe(200);
  });

  it('starts on a site that never built: every page is a not-found page that shows the problems and reloads when fixed', async () => {
    const root = blog(2);
    const file = path.join(root, 'posts/2024-01-02-post-2.md');
    writeFileSync(file, '---\ntitle: [broken\n---\nOops\n');
    const { preview: started } = await preview(root);
    const home = await get(started.url);
    expect(home.status).toBe(404);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await home.text()).toContain('<script src="/__quire/live.js" defer></script>');
    const log = await events(started);
    await log.next('problems');
    writeFileSync(file, postText(2));
    const change = JSON.parse(await log.next('change')) as { urls: string[] };
    expect(change.urls).toContain('/');
    expect((await get(started.url)).status).toBe(200);
  });

  it('serves not-found pages that show the problems when the last build\'s folder is gone and the site does not build', async () => {
    const root = blog(2);
    const good = await preview(root);
    await good.preview.close();
    // The build state still lists the files of the deleted _site/.
    rmSync(path.join(root, '_site'), { recursive: true });
    const file = path.join(root, 'posts/2024-01-02-post-2.md');
    writeFileSync(file, '---\ntitle: [broken\n---\nOops\n');
    const { preview: started } = await preview(root);
    for (const page of ['', 'archive/', 'c2/2024/01/02/post-2.html']) {
      const response = await get(`${started.url}${page}`);
      expect(response.status, page).toBe(404);
      expect(await response.text()).toContain('<script src="/__quire/live.js" defer></script>');
    }
    const log = await events(started);
    await log.next('problems');
    writeFileSync(file, postText(2));
    await log.next('ok');
    expect((await get(started.url)).status).toBe(200);
  });

  it('says clearly when the port is taken, or takes the next free one when allowed', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const root = blog(1);
      await expect(preview(root, port, false)).rejects.toBeInstanceOf(PortInUseError);
      const { preview: started } = await preview(blog(1), port, true);
      expect(started.server.port).toBeGreaterThan(port);
    } finally {
      blocker.close();
    }
  });

  it('handles a new folder of posts', async () => {
    const root = blog(2);
    const { preview: started } = await preview(root);
    const log = await events(started);
    mkdirSync(path.join(root, 'posts/2025'));
    writeFileSync(path.join(root, 'posts/2025/2025-01-01-in-folder.md'), postText(7, 'In a folder.'));
    await log.next('change', 10_000, (data) => data.includes('in-folder'));
    expect(await (await get(`${started.url}c1/2025/01/01/in-folder.html`)).text()).toContain('In a folder.');
  });
});
