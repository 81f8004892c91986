import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QUIRE_ROOT } from '../../src/package-root.js';
import { startPreview, type Preview } from '../../src/dev/preview.js';
import { writeSite } from '../helpers/site.js';

let preview: Preview | undefined;
afterAll(async () => preview?.close());

/** Every href/src on a page that stays on this site, resolved against the page's URL. */
function internalLinks(html: string, pageUrl: URL): URL[] {
  const links: URL[] = [];
  for (const match of html.matchAll(/\s(?:href|src)="([^"#]*)(?:#[^"]*)?"/g)) {
    const value = match[1]!.replace(/&amp;/g, '&');
    if (value === '' || /^(mailto|data|javascript):/.test(value)) continue;
    const url = new URL(value, pageUrl);
    if (url.origin === pageUrl.origin) links.push(url);
  }
  return links;
}

describe('a site with a baseurl, served under its sub-path', () => {
  it('has every internal link of every page resolving', async () => {
    const root = writeSite({}, 'quire-baseurl-');
    cpSync(path.join(QUIRE_ROOT, 'posts'), path.join(root, 'posts'), { recursive: true });
    const config = readFileSync(path.join(QUIRE_ROOT, '_config.yml'), 'utf8').replace(/^baseurl:.*$/m, 'baseurl: "/blog"').replace(/^url:.*$/m, 'url: "http://127.0.0.1"');
    writeFileSync(path.join(root, '_config.yml'), config);
    preview = await startPreview({ source: root, overrides: {}, host: '127.0.0.1', port: 0, tryNextPorts: false, log: () => undefined, logProblems: () => undefined });
    expect(preview.url).toMatch(/\/blog\/$/);

    const seen = new Set<string>();
    const queue = [new URL(preview.url)];
    const broken: string[] = [];
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url.pathname)) continue;
      seen.add(url.pathname);
      const response = await fetch(url);
      if (response.status !== 200) {
        broken.push(`${url.pathname} → ${response.status}`);
        continue;
      }
      if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) continue;
      for (const link of internalLinks(await response.text(), url)) {
        // The preview's own script sits outside the site on purpose.
        if (link.pathname.startsWith('/__quire/')) continue;
        expect(link.pathname, `a link on ${url.pathname}`).toMatch(/^\/blog\//);
        queue.push(link);
      }
    }
    expect(broken).toEqual([]);
    // Every post, the map, the archive and the feed were reached by following links alone.
    expect(seen.size).toBeGreaterThan(40);
    expect([...seen]).toEqual(expect.arrayContaining(['/blog/', '/blog/map/', '/blog/archive/', '/blog/feed.xml', '/blog/css/quire.css']));
  });
});
