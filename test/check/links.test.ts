import { describe, expect, it } from 'vitest';
import { checkLinks, groupByPage, srcsetUrls, type LinkSite } from '../../src/check/links.js';
import { formatReport } from '../../src/cli/check.js';

/** Checks one page (`from`) holding `html` against a site of `files`. */
function brokenOn(html: string, files: string[], site: LinkSite = {}, from = 'index.html', others: Record<string, string> = {}) {
  const pages = new Map<string, string>([[from, html], ...Object.entries(others)]);
  const all = new Set([from, ...files, ...Object.keys(others)]);
  return checkLinks(pages, all, site).broken.map((link) => `${link.where} ${link.url}: ${link.reason}`);
}

const SITE = ['about/index.html', 'notes.html', 'raw', 'open source/index.html', 'css/site.css', 'img/a.png', 'img/a-2x.png', 'feed.xml', 'js/app.js'];

describe('checkLinks: which URLs resolve', () => {
  it('finds /x/ as x/index.html and /x as x, x.html or x/index.html', () => {
    const html = '<a href="/about/">a</a><a href="/about">b</a><a href="/notes">c</a><a href="/notes.html">d</a><a href="/raw">e</a><a href="/">f</a>';
    expect(brokenOn(html, SITE)).toEqual([]);
  });

  it('reports a missing page, naming the files it looked for', () => {
    expect(brokenOn('<a href="/missing/">x</a><a href="/gone">y</a><img src="/img/nope.png">', SITE)).toEqual([
      'a href /missing/: no file missing/index.html in the site',
      'a href /gone: no file gone, gone.html or gone/index.html in the site',
      'img src /img/nope.png: no file img/nope.png in the site',
    ]);
  });

  it('decodes percent-encoding: /open%20source/ is the folder "open source/"', () => {
    expect(brokenOn('<a href="/open%20source/">x</a><a href="/open source/">y</a>', SITE)).toEqual([]);
    expect(brokenOn('<a href="/open%2520source/">x</a>', SITE)).toEqual(['a href /open%2520source/: no file open%20source/index.html in the site']);
  });

  it('ignores query strings and decodes entities in attributes', () => {
    expect(brokenOn('<a href="/about/?utm=1&amp;x=2">x</a><link rel="stylesheet" href="/css/site.css?v=3">', SITE)).toEqual([]);
  });

  it('resolves relative URLs against the page, including ../ and <base href>', () => {
    const page = 'posts/2024/one.html';
    expect(brokenOn('<a href="two.html">x</a><a href="../../about/">y</a><img src="../../img/a.png">', [...SITE, 'posts/2024/two.html'], {}, page)).toEqual([]);
    expect(brokenOn('<a href="three.html">x</a>', SITE, {}, page)).toEqual(['a href three.html: no file posts/2024/three.html in the site']);
    expect(brokenOn('<head><base href="/img/"></head><img src="a.png">', SITE, {}, page)).toEqual([]);
  });

  it('checks img srcset, script src and the link rels a browser follows, and skips other links', () => {
    const html = [
      '<img srcset="/img/a.png 1x, /img/a-3x.png 3x" src="/img/a.png">',
      '<picture><source srcset="/img/b.webp"></picture>',
      '<script src="/js/app.js"></script><script src="/js/missing.js"></script>',
      '<link rel="stylesheet" href="/css/gone.css"><link rel="alternate" type="application/atom+xml" href="/feed.xml">',
      '<link rel="alternate" href="/feed/missing.xml"><link rel="preconnect" href="/not-checked"><link rel="dns-prefetch" href="//cdn.example">',
    ].join('\n');
    expect(brokenOn(html, SITE)).toEqual([
      'img srcset /img/a-3x.png: no file img/a-3x.png in the site',
      'source srcset /img/b.webp: no file img/b.webp in the site',
      'script src /js/missing.js: no file js/missing.js in the site',
      'link href /css/gone.css: no file css/gone.css in the site',
      'link href /feed/missing.xml: no file feed/missing.xml in the site',
    ]);
  });

  it('skips external sites, mailto:, tel:, data: and javascript: URLs, but checks the site\'s own absolute URLs', () => {
    const html = [
      '<a href="https://other.example/x">a</a><a href="//cdn.example/y.js">b</a><a href="mailto:me@example.com">c</a>',
      '<a href="tel:+123">d</a><img src="data:image/png;base64,AAAA"><a href="javascript:void(0)">e</a>',
      '<a href="https://example.com/about/">f</a><a href="http://EXAMPLE.com/missing/">g</a>',
    ].join('');
    expect(brokenOn(html, SITE, { url: 'https://example.com' })).toEqual(['a href http://EXAMPLE.com/missing/: no file missing/index.html in the site']);
  });

  it('ignores links inside comments and scripts, and empty hrefs', () => {
    expect(brokenOn('<!-- <a href="/x/"> --><script>document.write("<a href=\'/y/\'>")</script><a href="">self</a><a>no href</a>', SITE)).toEqual([]);
  });
});

describe('checkLinks: fragments', () => {
  it('checks #id on the same page, allowing # and #top', () => {
    const html = '<h2 id="intro">x</h2><a name="legacy"></a><a href="#intro">a</a><a href="#legacy">b</a><a href="#">c</a><a href="#top">d</a><a href="#nowhere">e</a>';
    expect(brokenOn(html, SITE)).toEqual(['a href #nowhere: no element on this page has id="nowhere"']);
  });

  it('checks page.html#id in another page, and decodes the fragment', () => {
    const others = { 'notes.html': '<p id="café">x</p><p id="a b">y</p>' };
    const html = '<a href="/notes.html#café">a</a><a href="/notes#caf%C3%A9">b</a><a href="/notes.html#a%20b">c</a><a href="/notes.html#missing">d</a>';
    expect(brokenOn(html, SITE, {}, 'index.html', others)).toEqual(['a href /notes.html#missing: notes.html has no element with id="missing"']);
  });

  it('does not look for fragments in files that are not HTML', () => {
    expect(brokenOn('<a href="/feed.xml#x">a</a>', SITE)).toEqual([]);
  });
});

describe('checkLinks: baseurl', () => {
  const files = ['index.html', 'about/index.html', 'css/site.css'];

  it('resolves /blog/x/ to x/index.html and reports links that miss the baseurl', () => {
    const html = '<a href="/blog/about/">a</a><a href="/blog/">b</a><a href="/blog">c</a><link rel="stylesheet" href="/css/site.css">';
    expect(brokenOn(html, files, { baseurl: '/blog', url: 'https://example.com' })).toEqual([
      "link href /css/site.css: is outside the site's baseurl /blog; write it as /blog/path/ in a post, or with relative_url in a template ({{ '/path/' | relative_url }})",
    ]);
  });

  it('accepts absolute URLs made with absolute_url', () => {
    expect(brokenOn('<a href="https://example.com/blog/about/">a</a>', files, { baseurl: '/blog', url: 'https://example.com' })).toEqual([]);
  });

  it('resolves relative links from a page under the baseurl', () => {
    expect(brokenOn('<a href="../about/">a</a><a href="../css/site.css">b</a>', files, { baseurl: '/blog' }, 'tags/index.html')).toEqual([]);
  });
});

describe('checkLinks: reporting', () => {
  it('gives the line of each broken link and groups them by page', () => {
    const pages = new Map([
      ['b.html', '<p>\n<a href="/x/">x</a>\n\n<img\n  src="/y.png">'],
      ['a.html', '<a href="/z/">z</a>'],
    ]);
    const report = checkLinks(pages, new Set(pages.keys()));
    expect(report.broken.map((link) => [link.page, link.line])).toEqual([['b.html', 2], ['b.html', 4], ['a.html', 1]]);
    expect([...groupByPage(report.broken).keys()]).toEqual(['b.html', 'a.html']);
    expect(report).toMatchObject({ pages: 2, links: 3 });
    const text = formatReport(report.broken, '_site');
    expect(text).toBe(
      '_site/a.html\n  line 1    <a href="/z/"> no file z/index.html in the site\n\n' +
        '_site/b.html\n  line 2    <a href="/x/"> no file x/index.html in the site\n  line 4    <img src="/y.png"> no file y.png in the site\n\n',
    );
  });

  it('reports a link broken on many pages once, as a template\'s', () => {
    const pages = new Map(Array.from({ length: 8 }, (_, i) => [`p${i}.html`, `<nav><a href="/about/">About</a></nav>${i === 3 ? '<a href="/only-here/">x</a>' : ''}`] as [string, string]));
    const text = formatReport(checkLinks(pages, new Set(pages.keys())).broken, '_site');
    expect(text).toContain('Broken on many pages (probably in a template):\n  <a href="/about/"> no file about/index.html in the site\n    on 8 pages: _site/p0.html:1, _site/p1.html:1, _site/p2.html:1, ...');
    expect(text).toContain('_site/p3.html\n  line 1    <a href="/only-here/">');
    expect(text).not.toContain('_site/p0.html\n');
  });
});

describe('srcsetUrls', () => {
  it('parses candidates as the HTML standard does', () => {
    expect(srcsetUrls('a.png 1x, b.png 2x')).toEqual(['a.png', 'b.png']);
    expect(srcsetUrls('  a.png, b.png 100w ,c.png')).toEqual(['a.png', 'b.png', 'c.png']);
    expect(srcsetUrls('a.png,b.png 2x')).toEqual(['a.png,b.png']); // a comma inside a URL belongs to it
    expect(srcsetUrls('data:image/png;base64,AA== 1x, x.png (max-width: 10px, y) 2x, z.png')).toEqual(['data:image/png;base64,AA==', 'x.png', 'z.png']);
    expect(srcsetUrls('')).toEqual([]);
  });
});

describe('checkLinks: speed', () => {
  it('checks every link of a 10,000-page site', () => {
    const pages = new Map<string, string>();
    const files = new Set<string>(['css/site.css']);
    const nav = Array.from({ length: 20 }, (_, i) => `<a href="/posts/${i}/">Post ${i}</a>`).join('\n');
    const body = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n'.repeat(60);
    for (let i = 0; i < 10_000; i++) {
      const file = `posts/${i}/index.html`;
      files.add(file);
      pages.set(
        file,
        `<!doctype html><html><head><link rel="stylesheet" href="/css/site.css"><title>${i}</title></head><body>\n${nav}\n<main id="main">${body}` +
          `<a href="#main">top</a><a href="../${(i + 1) % 10_000}/#main">next</a><img src="/img/${i}.png" srcset="/img/${i}.png 1x"></main></body></html>`,
      );
    }
    // Correct on a site of 10,000 pages; how fast is the benchmark's business, not a test's.
    const report = checkLinks(pages, files);
    expect(report.links).toBe(10_000 * 25);
    expect(report.broken).toHaveLength(20_000); // every image
  });
});
