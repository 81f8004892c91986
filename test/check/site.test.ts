import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { QUIRE_ROOT } from '../../src/package-root.js';
import { checkLinks } from '../../src/check/links.js';
import { readBuiltSite } from '../../src/check/site.js';
import { loadConfig } from '../../src/config.js';
import { FIXED_NOW, writeSite } from '../helpers/site.js';
import { ensureCompiled, runCli } from '../errors/support.js';

// Excerpts on the home page, so a short post's broken link shows there too.
const CONFIG = 'title: Links\nurl: https://example.com\ntimezone: UTC\nshow_excerpts: true\n';

/** A small site on the fallback theme whose posts hold good and deliberately broken links. */
const BROKEN_SITE = {
  '_config.yml': CONFIG,
  'public/img/ok.png': 'png',
  'posts/2024-01-01-a.md': [
    '---',
    'title: A',
    '---',
    '## Real heading',
    '',
    'Good: [b](/2024/01/02/b.html), [b relative](../02/b.html), [heading](#real-heading), ![ok](/img/ok.png), [note][1].',
    '',
    'Broken: [missing post](/2024/01/09/nope.html) and ![missing image](/img/missing.png).',
    '',
    'Broken fragment: [here](#no-such-heading), [there](/2024/01/02/b.html#nowhere).',
    '',
    'fn1. A note.',
    '',
  ].join('\n'),
  'posts/2024-01-02-b.md': '---\ntitle: B\n---\nSee [the tag](/tags/nope/) and [A](/2024/01/01/a.html#real-heading).\n',
};

describe('quire check on a built site', () => {
  let root: string;
  let destination: string;

  beforeAll(async () => {
    ensureCompiled();
    root = writeSite(BROKEN_SITE);
    destination = path.join(root, '_site');
    await build(loadConfig(root), { now: FIXED_NOW });
  });

  it('finds exactly the broken links, theme links included, with their lines', async () => {
    const site = await readBuiltSite(destination);
    const report = checkLinks(site.pages, site.files, { url: 'https://example.com', baseurl: '' });
    expect(report.pages).toBeGreaterThan(5);
    const found = report.broken.map((link) => `${link.page}: ${link.where} ${link.url}: ${link.reason}`);
    expect(found).toEqual([
      '2024/01/01/a.html: a href /2024/01/09/nope.html: no file 2024/01/09/nope.html in the site',
      '2024/01/01/a.html: img src /img/missing.png: no file img/missing.png in the site',
      '2024/01/01/a.html: a href #no-such-heading: no element on this page has id="no-such-heading"',
      '2024/01/01/a.html: a href /2024/01/02/b.html#nowhere: 2024/01/02/b.html has no element with id="nowhere"',
      '2024/01/02/b.html: a href /tags/nope/: no file tags/nope/index.html in the site',
      // B is short, so its excerpt on the home page is all of it, broken link included.
      'index.html: a href /tags/nope/: no file tags/nope/index.html in the site',
    ]);
    const html = site.pages.get('2024/01/01/a.html')!.split('\n');
    for (const link of report.broken) {
      expect(site.pages.get(link.page)!.split('\n')[link.line - 1]).toContain(link.url.replace(/&/g, '&amp;'));
    }
    expect(html.length).toBeGreaterThan(10);
  });

  it('prints them grouped by page and exits 1 (real CLI, reading _site)', async () => {
    const result = await runCli(['check', '--source', root]);
    expect(result.code).toBe(1);
    const out = result.stdout;
    const a = out.indexOf(`${path.relative(QUIRE_ROOT, destination)}/2024/01/01/a.html\n`);
    const b = out.indexOf(`${path.relative(QUIRE_ROOT, destination)}/2024/01/02/b.html\n`);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    const aBlock = out.slice(a, b);
    expect(aBlock).toMatch(/line \d+ +<a href="\/2024\/01\/09\/nope\.html"> no file 2024\/01\/09\/nope\.html in the site/);
    expect(aBlock).toMatch(/<img src="\/img\/missing\.png">/);
    expect(aBlock).toMatch(/<a href="#no-such-heading"> no element on this page has id="no-such-heading"/);
    expect(out.slice(b)).toMatch(/<a href="\/tags\/nope\/">/);
    expect(out).toMatch(/6 broken links on 3 pages \(checked [\d,]+ links on \d+ pages in [\d.]+ s\)\n$/);
    expect(result.stderr).toBe('');
  });

  it('--build checks a site built in memory, and writes nothing', async () => {
    const fresh = writeSite(BROKEN_SITE);
    const result = await runCli(['check', '--build', '--source', fresh]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^2024\/01\/01\/a\.html\n/m);
    expect(result.stdout).toMatch(/6 broken links on 3 pages/);
    await expect(readBuiltSite(path.join(fresh, '_site'))).rejects.toThrow(/no built site/);
  });

  it('exits 0 once the links are fixed', async () => {
    const fixed = writeSite({
      ...BROKEN_SITE,
      'posts/2024-01-01-a.md': '---\ntitle: A\n---\n## Real heading\n\n[b](/2024/01/02/b.html#top) ![ok](/img/ok.png) [me](#real-heading)\n',
      'posts/2024-01-02-b.md': '---\ntitle: B\ntags: [yes]\n---\n[tag](/tags/yes/) [A](/2024/01/01/a.html#real-heading)\n',
    });
    await build(loadConfig(fixed), { now: FIXED_NOW });
    const result = await runCli(['check', '-s', fixed]);
    expect(result.stdout).toMatch(/^No broken links: checked [\d,]+ links on \d+ pages/);
    expect(result.code).toBe(0);
  });

  it('says what to do when there is no built site', async () => {
    const empty = writeSite({ '_config.yml': CONFIG });
    const result = await runCli(['check', '--source', empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/there is no built site here to check\n  hint: run `quire build` first, or `quire check --build`/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('documents --build in --help', async () => {
    const result = await runCli(['check', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--build +build in memory first/);
  });
});

describe('quire check with a baseurl', () => {
  it('checks a site built with --baseurl when told the same --baseurl (real CLI)', async () => {
    const root = writeSite({ '_config.yml': CONFIG, 'posts/2024-01-01-a.md': '---\ntitle: A\ncoordinates: [0.2, 0.3]\n---\nFirst paragraph.\n' });
    const destination = path.join(mkdtempSync(path.join(os.tmpdir(), 'quire-check-')), 'out');
    expect((await runCli(['build', '--source', root, '--destination', destination, '--baseurl', '/sub'])).code).toBe(0);
    const checked = await runCli(['check', '--source', root, '--destination', destination, '--baseurl', '/sub']);
    expect(checked.stdout).toMatch(/^No broken links: checked [\d,]+ links on \d+ pages/);
    expect(checked.code).toBe(0);
    // Without it, every link is outside the baseurl the config gives (none).
    expect((await runCli(['check', '--source', root, '--destination', destination])).code).toBe(1);
  });

  it('takes a link to nothing in the built site for a missing file, not an internal error', async () => {
    const destination = mkdtempSync(path.join(os.tmpdir(), 'quire-check-'));
    writeFileSync(path.join(destination, 'index.html'), '<a href="/old.html">old</a>');
    symlinkSync('/nonexistent-quire-target', path.join(destination, 'old.html'));
    const site = await readBuiltSite(destination);
    expect([...site.files]).toEqual(['index.html']);
    const report = checkLinks(site.pages, site.files, { url: '', baseurl: '' });
    expect(report.broken.map((link) => link.url)).toEqual(['/old.html']);
  });

  it('finds no broken links in the theme under /blog, and reports a post link written without the baseurl', async () => {
    const root = writeSite({
      '_config.yml': `${CONFIG}baseurl: /blog\n`,
      'posts/2024-01-01-a.md': '---\ntitle: A\ncategories: [open source]\ntags: [x]\ncoordinates: [0.2, 0.3]\n---\nFirst paragraph.\n\n[bad](/2024/01/02/b.html)\n',
      'posts/2024-01-02-b.md': '---\ntitle: B\n---\nFirst paragraph.\n\n[relative](../../../open%20source/2024/01/01/a.html) [absolute](https://example.com/blog/tags/x/)\n',
    });
    const config = loadConfig(root);
    await build(config, { now: FIXED_NOW });
    const site = await readBuiltSite(config.destination);
    const report = checkLinks(site.pages, site.files, { url: config.url, baseurl: config.baseurl });
    expect(report.pages).toBeGreaterThan(5);
    expect(report.broken.map((link) => `${link.page}: ${link.url}: ${link.reason}`)).toEqual([
      "open source/2024/01/01/a.html: /2024/01/02/b.html: is outside the site's baseurl /blog; write it as /blog/path/ in a post, or with relative_url in a template ({{ '/path/' | relative_url }})",
    ]);
  });
});

describe('the example site (the repository root)', () => {
  it('builds with zero broken links', async () => {
    const destination = mkdtempSync(path.join(os.tmpdir(), 'quire-example-'));
    const config = loadConfig(QUIRE_ROOT, { destination });
    await build(config);
    const site = await readBuiltSite(destination);
    const report = checkLinks(site.pages, site.files, { url: config.url, baseurl: config.baseurl });
    expect(report.pages).toBeGreaterThan(20);
    expect(report.links).toBeGreaterThan(500);
    expect(report.broken).toEqual([]);
  });
});
