/**
 * Expected URLs and output paths come from Jekyll 4.3.1 on this machine: a Jekyll::Site with
 * the zone as `timezone`, a posts Document given these categories/slug/date, then Document#url
 * and #destination (the same code `jekyll build` runs; a 12,500-case random comparison across
 * the five zones also matched while writing this module).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDateValue } from '../../src/dates.js';
import {
  escapePath,
  expandPermalinkStyle,
  outputExtFor,
  outputPathFor,
  PERMALINK_PLACEHOLDERS,
  PermalinkError,
  permalinkFor,
  permalinkFromFrontMatter,
  postLocation,
  rubyExtname,
  sanitizeUrl,
  unescapePath,
  type PermalinkInput,
} from '../../src/site/permalinks.js';
import type { Instant } from '../../src/types.js';

const LA = 'America/Los_Angeles';

function instant(text: string, zone: string): Instant {
  const result = parseDateValue(text, zone);
  if ('error' in result) throw new Error(result.error);
  return result;
}

interface JekyllCase {
  readonly name: string;
  readonly zone: string;
  readonly path: string;
  readonly basename: string;
  readonly categories: readonly string[];
  readonly slug?: string;
  readonly date: string;
  /** A style name or template for the site; the permalink itself when frontMatter. */
  readonly pattern: string;
  readonly frontMatter?: boolean;
  readonly url?: string;
  readonly outputPath?: string;
  /** The error Jekyll raised; Quire throws a PermalinkError instead. */
  readonly error?: string;
}

const JEKYLL_CASES: readonly JekyllCase[] = [
  {
    name: "date style", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["Tech", "Web Dev"], date: "2024-03-20 10:05:30 -0700", pattern: "date",
    url: "/tech/web%20dev/2024/03/20/my-post.html", outputPath: "tech/web dev/2024/03/20/my-post.html",
  },
  {
    name: "pretty style", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["Tech", "Web Dev"], date: "2024-03-20 10:05:30 -0700", pattern: "pretty",
    url: "/tech/web%20dev/2024/03/20/my-post/", outputPath: "tech/web dev/2024/03/20/my-post/index.html",
  },
  {
    name: "ordinal style", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["Tech"], date: "2024-03-20 10:05:30 -0700", pattern: "ordinal",
    url: "/tech/2024/080/my-post.html", outputPath: "tech/2024/080/my-post.html",
  },
  {
    name: "weekdate style", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["Tech"], date: "2024-03-20 10:05:30 -0700", pattern: "weekdate",
    url: "/tech/2024/W12/Wed/my-post.html", outputPath: "tech/2024/W12/Wed/my-post.html",
  },
  {
    name: "none style", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["Tech"], date: "2024-03-20 10:05:30 -0700", pattern: "none",
    url: "/tech/my-post.html", outputPath: "tech/my-post.html",
  },
  {
    name: "no categories: no empty segment", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "pretty",
    url: "/2024/03/20/my-post/", outputPath: "2024/03/20/my-post/index.html",
  },
  {
    name: "categories downcased and de-duplicated after downcasing", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["Tech", "tech", "TECH", "News"], date: "2024-03-20 10:05:30 -0700", pattern: "/:categories/:title/",
    url: "/tech/news/my-post/", outputPath: "tech/news/my-post/index.html",
  },
  {
    name: "slugified categories", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["Web Dev", "C++", "Ünïcode", "web-dev"], date: "2024-03-20 10:05:30 -0700", pattern: "/:slugified_categories/:title/",
    url: "/web-dev/c/%C3%BCn%C3%AFcode/my-post/", outputPath: "web-dev/c/ünïcode/my-post/index.html",
  },
  {
    name: ":title keeps case, pretty mode, from front-matter slug", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], slug: "Über Café!", date: "2024-03-20 10:05:30 -0700", pattern: "/:title/",
    url: "/%C3%9Cber-Caf%C3%A9!/", outputPath: "Über-Café!/index.html",
  },
  {
    name: ":slug is default mode", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], slug: "Über Café!", date: "2024-03-20 10:05:30 -0700", pattern: "/:slug/",
    url: "/%C3%BCber-caf%C3%A9/", outputPath: "über-café/index.html",
  },
  {
    name: ":title from the file name", zone: LA, path: "_posts/2024-03-20-Hello World & Co.md", basename: "Hello World & Co", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:title/",
    url: "/Hello-World-&-Co/", outputPath: "Hello-World-&-Co/index.html",
  },
  {
    name: ":name and :path keep the date prefix; folder category", zone: LA, path: "tech/_posts/2024-03-20-My Post.md", basename: "My Post", categories: ["tech"], date: "2024-03-20 10:05:30 -0700", pattern: "/:categories/:name/:path/:collection:output_ext",
    url: "/tech/2024-03-20-my-post/tech/2024-03-20-My%20Post/posts.html", outputPath: "tech/2024-03-20-my-post/tech/2024-03-20-My Post/posts.html",
  },
  {
    name: "all date placeholders", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:year/:short_year/:month/:i_month/:short_month/:long_month/:day/:i_day/:y_day/:hour:minute:second/:w_year-W:week-:w_day/:short_day/:long_day/:title.html",
    url: "/2024/24/03/3/Mar/March/20/20/080/100530/2024-W12-3/Wed/Wednesday/my-post.html", outputPath: "2024/24/03/3/Mar/March/20/20/080/100530/2024-W12-3/Wed/Wednesday/my-post.html",
  },
  {
    name: "date near midnight, Kiritimati", zone: "Pacific/Kiritimati", path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:30:00 +0000", pattern: "/:year/:month/:day/:hour/:title/",
    url: "/2024/03/21/00/my-post/", outputPath: "2024/03/21/00/my-post/index.html",
  },
  {
    name: "date near midnight, Pago Pago", zone: "Pacific/Pago_Pago", path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:30:00 +0000", pattern: "/:year/:month/:day/:hour/:title/",
    url: "/2024/03/19/23/my-post/", outputPath: "2024/03/19/23/my-post/index.html",
  },
  {
    name: "ISO week year differs from the year", zone: "UTC", path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-12-30 12:00:00 +0000", pattern: "/:w_year/W:week/:title/",
    url: "/2025/W01/my-post/", outputPath: "2025/W01/my-post/index.html",
  },
  {
    name: "\"_\" after a placeholder", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:year_:month_:day/:title_",
    url: "/2024_03_20/my-post_", outputPath: "2024_03_20/my-post_.html",
  },
  {
    name: "template without a leading slash", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "blog/:title/",
    url: "/blog/my-post/", outputPath: "blog/my-post/index.html",
  },
  {
    name: "literal text is not escaped", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/my blog/:title/",
    url: "/my blog/my-post/", outputPath: "my blog/my-post/index.html",
  },
  {
    name: "unsafe characters escaped", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["c#", "q?", "50%", "a b", "日本", "a\\b", "<tag>", "a#b#c"], date: "2024-03-20 10:05:30 -0700", pattern: "/:categories/:title/",
    url: "/c%23/q?/50%25/a%20b/%E6%97%A5%E6%9C%AC/a%5Cb/%3Ctag%3E/a%23b%23c/my-post/", outputPath: "c#/q?/50%/a b/日本/a\\b/<tag>/a#b#c/my-post/index.html",
  },
  {
    name: "\"..\" in a slug becomes \"/\"", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], slug: "x..y", date: "2024-03-20 10:05:30 -0700", pattern: "/:title/",
    url: "/x/y/", outputPath: "x/y/index.html",
  },
  {
    name: "\"./\" removed", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["v1."], date: "2024-03-20 10:05:30 -0700", pattern: "/:categories/x/:title/",
    url: "/v1x/my-post/", outputPath: "v1x/my-post/index.html",
  },
  {
    name: "site pattern with its own extension still gets output_ext", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:title.xml",
    url: "/my-post.xml", outputPath: "my-post.xml.html",
  },
  {
    name: "trailing dot in file name dropped from :title", zone: LA, path: "_posts/2024-03-20-trailing..md", basename: "trailing", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:title/",
    url: "/trailing/", outputPath: "trailing/index.html",
  },
  {
    name: "multi-dot file name", zone: LA, path: "_posts/2024-03-20-v1.2.3.md", basename: "v1.2.3", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:title/:slug/:name",
    url: "/v1.2.3/v1-2-3/2024-03-20-v1-2-3", outputPath: "v1.2.3/v1-2-3/2024-03-20-v1-2-3.html",
  },
  {
    name: "front matter permalink with placeholders", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["News"], date: "2024-03-20 10:05:30 -0700", pattern: "/blog/:categories/:title/", frontMatter: true,
    url: "/blog/news/my-post/", outputPath: "blog/news/my-post/index.html",
  },
  {
    name: "front matter permalink extension becomes output_ext", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/feeds/:title.xml", frontMatter: true,
    url: "/feeds/my-post.xml", outputPath: "feeds/my-post.xml",
  },
  {
    name: "front matter permalink without extension", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/notes/:title", frontMatter: true,
    url: "/notes/my-post", outputPath: "notes/my-post.html",
  },
  {
    name: "empty front matter permalink means \"/\"", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "", frontMatter: true,
    url: "/", outputPath: "index.html",
  },
  {
    name: "style names are not expanded in front matter", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "pretty", frontMatter: true,
    url: "/pretty", outputPath: "pretty.html",
  },
  {
    name: "unknown placeholder", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:foo/:title/",
    error: "NoMethodError: The URL template doesn't have foo keys. Check your permalink template!",
  },
  {
    name: ":week_day is not a Jekyll placeholder", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:week_day/:title/",
    error: "NoMethodError: The URL template doesn't have week_day keys. Check your permalink template!",
  },
  {
    name: "capitalised name is not a placeholder", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:Title/:title",
    url: "/:Title/my-post", outputPath: ":Title/my-post.html",
  },
  {
    name: "category that reads as a URI scheme", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["Rails 7: intro"], date: "2024-03-20 10:05:30 -0700", pattern: "date",
    error: "Addressable::URI::InvalidURIError: Invalid scheme format: 'rails 7'",
  },
  {
    name: "category with a leading colon", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [":lead"], date: "2024-03-20 10:05:30 -0700", pattern: "date",
    error: "Addressable::URI::InvalidURIError: Cannot assemble URI string with ambiguous path: ':lead'",
  },
  {
    name: "category that is an empty http URI", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["http:"], date: "2024-03-20 10:05:30 -0700", pattern: "date",
    error: "Addressable::URI::InvalidURIError: Absolute URI missing hierarchical segment: 'http:'",
  },
  {
    name: "category that is a valid scheme", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: ["c++:x"], date: "2024-03-20 10:05:30 -0700", pattern: "date",
    url: "/c++:x/2024/03/20/my-post.html", outputPath: "c++:x/2024/03/20/my-post.html",
  },
  {
    name: "front matter permalink \"/:title.:output_ext\"", zone: LA, path: "_posts/2024-03-20-my-post.md", basename: "my-post", categories: [], date: "2024-03-20 10:05:30 -0700", pattern: "/:title.:output_ext", frontMatter: true,
    error: "Addressable::URI::InvalidURIError: Invalid scheme format: '.'",
  },
];

function inputFor(c: JekyllCase): PermalinkInput {
  return {
    date: instant(c.date, c.zone),
    categories: c.categories,
    basename: c.basename,
    slug: c.slug,
    outputExt: '.html',
    collection: 'posts',
    path: c.path,
  };
}

function locate(c: JekyllCase) {
  const input = inputFor(c);
  return c.frontMatter === true ? postLocation(input, '/unused/', c.pattern) : postLocation(input, expandPermalinkStyle(c.pattern));
}

describe('post URLs and output paths match Jekyll 4.3', () => {
  const successes = JEKYLL_CASES.filter((c) => c.error === undefined);
  const failures = JEKYLL_CASES.filter((c) => c.error !== undefined);

  it.each(successes)('$name', (c) => {
    const location = locate(c);
    expect(location.url).toBe(c.url);
    expect(location.outputPath).toBe(c.outputPath);
  });

  it.each(failures)('$name: Jekyll fails ($error), Quire throws PermalinkError', (c) => {
    expect(() => locate(c)).toThrow(PermalinkError);
  });

  it('names the unknown placeholder and lists the known ones', () => {
    const input = inputFor(JEKYLL_CASES[0]!);
    expect(() => permalinkFor(input, '/:foo/')).toThrow(/uses ":foo", which Jekyll does not know\. Use one of: :collection :name :title/);
  });

  it('reads an unquoted YAML timestamp without offset as UTC, like `jekyll build` (p3 in a real build)', () => {
    const input = { date: instant('2024-03-20 10:05:30', LA), categories: [], basename: 'p3', outputExt: '.html' };
    expect(permalinkFor(input, '/:year/:month/:day/:hour:minute:second/:title/')).toBe('/2024/03/20/030530/p3/');
  });

  it('builds :path and :name from the basename when no path is given', () => {
    const input = { date: instant('2024-03-20', 'UTC'), categories: [], basename: 'My Post', outputExt: '.html' };
    expect(permalinkFor(input, '/:path/:name/:collection')).toBe('/My%20Post/my-post/posts');
  });

  it('matches the real `jekyll build` of a small site (Asia/Tokyo, permalink: pretty)', () => {
    const tokyo = (text: string) => instant(text, 'Asia/Tokyo');
    const pretty = expandPermalinkStyle('pretty');
    const hello = { date: tokyo('2024-03-20'), categories: ['Web Dev', 'tech', 'Tech'], basename: 'hello', slug: 'Über Café!', outputExt: '.html' };
    expect(postLocation(hello, pretty).outputPath).toBe('web dev/tech/2024/03/20/Über-Café!/index.html');
    const feed = { date: tokyo('2024-03-21'), categories: [], basename: 'feed', outputExt: '.html' };
    expect(postLocation(feed, pretty, '/feeds/:title.xml').outputPath).toBe('feeds/feed.xml');
    const qa = { date: tokyo('2024-03-20 23:30:00 -0800'), categories: ['Tech', 'News'], basename: 'Q&A: what? #1', outputExt: '.html' };
    expect(postLocation(qa, pretty).outputPath).toBe('tech/news/2024/03/21/Q&A-what-1/index.html');
  });
});

describe('expandPermalinkStyle', () => {
  it.each([
    [undefined, '/:categories/:year/:month/:day/:title:output_ext'],
    [null, '/:categories/:year/:month/:day/:title:output_ext'],
    ['date', '/:categories/:year/:month/:day/:title:output_ext'],
    ['pretty', '/:categories/:year/:month/:day/:title/'],
    ['ordinal', '/:categories/:year/:y_day/:title:output_ext'],
    ['weekdate', '/:categories/:year/W:week/:short_day/:title:output_ext'],
    ['none', '/:categories/:title:output_ext'],
    ['Pretty', 'Pretty'],
    ['/:title/', '/:title/'],
    ['blog/:title', 'blog/:title'],
    ['', ''],
  ])('%j -> %j', (style, template) => {
    expect(expandPermalinkStyle(style)).toBe(template);
  });
});

describe('front-matter permalinks', () => {
  const input: PermalinkInput = { date: instant('2024-03-20', 'UTC'), categories: ['News'], basename: 'my-post', outputExt: '.html' };

  it.each([
    ['/:categories/:title.xml', '.xml', '/news/my-post.xml'],
    ['/:title/', '.html', '/my-post/'],
    ['/:title', '.html', '/my-post'],
    ['/a.b/:title', '.html', '/a.b/my-post'],
    ['/:title:output_ext', '.html', '/my-post.html'],
    ['/:title.json/', '.html', '/my-post.json/'],
  ])('%j: output_ext %j, URL %j', (permalink, ext, url) => {
    expect(outputExtFor(permalink, '.html')).toBe(ext);
    expect(permalinkFromFrontMatter(permalink, input)).toBe(url);
  });
});

describe('escapePath (URL.escape_path)', () => {
  it.each([
    ['', ''],
    ['plain/path-1.2', 'plain/path-1.2'],
    ['a b', 'a%20b'],
    ['ü', '%C3%BC'],
    ['😀', '%F0%9F%98%80'],
    ['50%', '50%25'],
    ['%41', '%2541'],
    ['q?x', 'q?x'],
    ['a#b#c', 'a%23b%23c'],
    ['a?b#c', 'a?b%23c'],
    ["!$&'()*+,;=@~_", "!$&'()*+,;=@~_"],
    ["x:!$&'()*+,;=:@~_", "x:!$&'()*+,;=:@~_"],
    ['<>"{}|\\^`[]', '%3C%3E%22%7B%7D%7C%5C%5E%60%5B%5D'],
    ['c++:x', 'c++:x'],
    ['//host/x', '//host/x'],
    ['//user@h:0012/p q', '//user@h:12/p%20q'],
    ['ok\nnot ok', 'ok\nnot ok'],
    ['a b\nok', 'a b\nok'],
  ])('%j -> %j', (value, escaped) => {
    expect(escapePath(value)).toBe(escaped);
  });

  it.each(["!$&'()*+,;=:@~_", 'rails 7: intro', ':lead', 'http:', '.:output_ext', '//h st/x', '//h:abc'])('%j throws, as Addressable does', (value) => {
    expect(() => escapePath(value)).toThrow(PermalinkError);
  });
});

describe('sanitizeUrl (URL#sanitize_url)', () => {
  it.each([
    ['', '/'],
    ['blog/x', '/blog/x'],
    ['//a///b//', '/a/b/'],
    ['/a/../b', '/a/b'],
    ['/a/.../b', '/a//b'.replace('//', '/')],
    ['/v1./x', '/v1x'],
    ['/a/./b', '/a/b'],
  ])('%j -> %j', (url, sanitized) => {
    expect(sanitizeUrl(url)).toBe(sanitized);
  });
});

describe('outputPathFor (Document#destination)', () => {
  it.each([
    ['/', '.html', 'index.html'],
    ['/blog/', '.html', 'blog/index.html'],
    ['/blog/post', '.html', 'blog/post.html'],
    ['/blog/post.html', '.html', 'blog/post.html'],
    ['/feed.xml', '.html', 'feed.xml.html'],
    ['/feed.xml', '.xml', 'feed.xml'],
    ['/post.HTML', '.html', 'post.HTML.html'],
    ['/a%20b/%C3%BC/', '.html', 'a b/ü/index.html'],
    ['/50%25/x', '.html', '50%/x.html'],
    ['/q?x/y', '.html', 'q?x/y.html'],
    ['/a/%2e/b', '.html', 'a/b.html'],
    ['/foo/.', '.html', 'foo.html'],
    ['//a//b//', '.html', 'a/b/index.html'],
    ['no-leading-slash', '.html', 'no-leading-slash.html'],
    ['/x', '', 'x'],
  ])('%j (%j) -> %j', (url, ext, path) => {
    expect(outputPathFor(url, ext)).toBe(path);
  });

  it.each(['/a/%2e%2e/x', '/a/../x', '/..', '/a/..%5C..%5Cx', '/a/%00b', '', '/C:%5Cx', '/c:/x'])('%j throws PermalinkError', (url) => {
    expect(() => outputPathFor(url)).toThrow(PermalinkError);
  });

  it('decodes percent-escapes as UTF-8', () => {
    expect(unescapePath('/%E6%97%A5%E6%9C%AC')).toBe('/日本');
    expect(unescapePath('/no-escapes')).toBe('/no-escapes');
    expect(unescapePath('/ü%20x')).toBe('/ü x');
  });

  it.each([
    ['foo.md', '.md'],
    ['a/b.c/d', ''],
    ['.md', ''],
    ['..md', ''],
    ['foo.', '.'],
    ['a..b', '.b'],
  ])('rubyExtname(%j) = %j', (path, ext) => {
    expect(rubyExtname(path)).toBe(ext);
  });
});

describe('output paths from user data never leave the destination', () => {
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom('..', '.', '../..', '/', '//', '%2e%2e', '..%2f..', '\\..\\', 'a/../b', '~', 'C:\\x', '/etc/passwd', '%00', ' '),
    fc.array(fc.constantFrom('.', '/', '%', '2', 'e', 'f', '\\', 'a', ':', '#', '?'), { maxLength: 12 }).map((chars) => chars.join('')),
  );
  const zone = fc.constantFrom('UTC', LA, 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago');
  const date = fc.tuple(fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 }), zone).map(([epochMs, z]) => instant(new Date(epochMs).toISOString(), z));
  const patterns = ['date', 'pretty', 'ordinal', 'weekdate', 'none', '/:categories/:slugified_categories/:name/:path/:title:output_ext', '/:slug/', ':title', '/../:title/'];

  it('refuses a URL with a line break or another control character (a `permalink: |` block)', () => {
    expect(() => outputPathFor('/line1\nline2\n')).toThrow(PermalinkError);
    expect(() => outputPathFor('/a%0Ab/')).toThrow(/line break or another control character/);
    expect(outputPathFor('/caf%C3%A9/')).toBe('café/index.html');
  });

  it('is always a relative path without ".." segments, or a PermalinkError', () => {
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 4 }),
        text,
        fc.option(text, { nil: undefined }),
        date,
        fc.constantFrom(...patterns),
        fc.option(text, { nil: undefined }),
        (categories, basename, slug, postDate, style, frontMatterPermalink) => {
          const input: PermalinkInput = { date: postDate, categories, basename, slug, outputExt: '.html', path: `_posts/2024-01-01-${basename}.md` };
          let outputPath: string;
          try {
            outputPath = postLocation(input, expandPermalinkStyle(style), frontMatterPermalink).outputPath;
          } catch (error) {
            expect(error).toBeInstanceOf(PermalinkError);
            return;
          }
          expect(outputPath).not.toMatch(/^[/\\]/);
          expect(outputPath).not.toMatch(/^[A-Za-z]:/);
          expect(outputPath.split(/[/\\]/)).not.toContain('..');
          expect(outputPath).not.toContain('\0');
          expect(outputPath.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('knows every UrlDrop placeholder of Jekyll 4.3', () => {
    expect([...PERMALINK_PLACEHOLDERS].sort()).toEqual(
      ['categories', 'collection', 'day', 'hour', 'i_day', 'i_month', 'long_day', 'long_month', 'minute', 'month', 'name', 'output_ext', 'path', 'second', 'short_day', 'short_month', 'short_year', 'slug', 'slugified_categories', 'title', 'w_day', 'w_year', 'week', 'y_day', 'year'].sort(),
    );
  });
});
