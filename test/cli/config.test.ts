import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configWarnings, lineOfKey, loadConfig, resolveConfig } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import { assertCompiled, quire, tempDir } from './run.js';

beforeAll(assertCompiled);

/** A folder holding only `_config.yml` with `text`. */
function siteWithConfig(text: string): string {
  const dir = tempDir('quire-config-');
  writeFileSync(path.join(dir, '_config.yml'), text);
  return dir;
}

/** What `run` throws (undefined when it does not). */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function site(config: string): string {
  const dir = tempDir('quire-config-');
  writeFileSync(path.join(dir, '_config.yml'), config);
  mkdirSync(path.join(dir, 'posts'));
  writeFileSync(path.join(dir, 'posts/2024-01-01-hello.md'), '---\ntitle: Hello\n---\nHi.\n');
  return dir;
}

describe('a misspelt setting in _config.yml', () => {
  it('warns in `quire build` output, naming the line and the setting meant, and still builds', async () => {
    const dir = site('title: T\ntimezone: UTC\n# the URL style\npermalnk: /:year/:title/\nflavour: vanilla\n');
    const result = await quire(['build', '--source', dir], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('warning _config.yml:4: `permalnk` is not a known setting; did you mean `permalink`?\n');
    expect(result.stdout).toMatch(/^Built 1 post, /);
  });

  it('warns about a url without a scheme or with a path, saying what to write', () => {
    expect(configWarnings(resolveConfig('/site', { url: 'user.github.io' }))).toEqual([
      '_config.yml: `url: user.github.io` has no scheme, so the feed, the sitemap and canonical links would point at paths, not at the site; write it with https://, like `url: "https://user.github.io"`',
    ]);
    expect(configWarnings(resolveConfig('/site', { url: 'https://user.github.io/blog/' }))).toEqual([
      '_config.yml: `url` ends in a path (/blog): links and stylesheets take the path from `baseurl`, so they would miss it; keep `url` to the scheme and host and set `baseurl: "/blog"`',
    ]);
    expect(configWarnings(resolveConfig('/site', { url: 'https://example.org:8080/' }))).toEqual([]);
  });

  it('takes --baseurl over baseurl: in _config.yml, and warns when a production build has no url', async () => {
    const dir = site('title: T\ntimezone: UTC\nbaseurl: /other\n');
    const built = await quire(['build', '--source', dir, '--baseurl', '/blog', '--production'], { cwd: dir });
    expect(built.status).toBe(0);
    expect(built.stderr).toMatch(/^warning `url` is not set in _config.yml, so this production build's feed, sitemap and canonical links are paths/);
    const home = readFileSync(path.join(dir, '_site/index.html'), 'utf8');
    expect(home).toContain('href="/blog/css/quire.css"');
    expect(home).not.toContain('/other/');
    // An empty --baseurl (GitHub Pages' for a user site) means the root.
    await quire(['build', '--source', dir, '--baseurl', ''], { cwd: dir });
    expect(readFileSync(path.join(dir, '_site/index.html'), 'utf8')).toContain('href="/css/quire.css"');
  });

  it('names .inf and .nan as they are, not as null', () => {
    expect(thrownBy(() => resolveConfig('/site', { paginate: Number.POSITIVE_INFINITY }))).toMatchObject({ message: '`paginate` must be a whole number above 0, but it is Infinity' });
  });

  it('names the config file given with --config', async () => {
    const dir = site('title: T\n');
    writeFileSync(path.join(dir, 'other.yml'), 'timezone: UTC\npaginte: 3\n');
    const result = await quire(['build', '--source', dir, '--config', path.join(dir, 'other.yml')], { cwd: dir });
    expect(result.stderr).toContain('warning other.yml:2: `paginte` is not a known setting; did you mean `paginate`?');
  });

  it('stays silent about custom keys, and about keys too far from any setting', () => {
    const config = resolveConfig('/site', { flavour: 'vanilla', tag: 'x', home: 'y', social_links: [], menu: [], permalink: 'date', map: {}, feed: {} });
    expect(configWarnings(config)).toEqual([]);
  });

  it('catches swapped letters, wrong case and missing or extra letters', () => {
    const text = 'titel: A\nDescription: B\nautor: C\ntimzone: UTC\nurls: x\nexcludes: [a]\npagniate: 3\n';
    const config = resolveConfig('/site', { titel: 'A', Description: 'B', autor: 'C', timzone: 'UTC', urls: 'x', excludes: ['a'], pagniate: 3 }, {}, '_config.yml', text);
    expect(configWarnings(config)).toEqual([
      '_config.yml:1: `titel` is not a known setting; did you mean `title`?',
      '_config.yml:2: `Description` is not a known setting; did you mean `description`?',
      '_config.yml:3: `autor` is not a known setting; did you mean `author`?',
      '_config.yml:4: `timzone` is not a known setting; did you mean `timezone`?',
      '_config.yml:5: `urls` is not a known setting; did you mean `url`?',
      '_config.yml:6: `excludes` is not a known setting; did you mean `exclude`?',
      '_config.yml:7: `pagniate` is not a known setting; did you mean `paginate`?',
    ]);
  });

  it('warns about misspelt keys inside map: and feed:, naming their lines, and keeps other keys there for templates', () => {
    const text = 'title: T\nmap:\n  x_label: Left\n  # spread out\n  nearbye: 5\n  colour: red\nfeed:\n  posts_limt: 20\n  icon: /icon.png\n';
    const raw = { title: 'T', map: { x_label: 'Left', nearbye: 5, colour: 'red' }, feed: { posts_limt: 20, icon: '/icon.png' } };
    expect(configWarnings(resolveConfig('/site', raw, {}, '_config.yml', text))).toEqual([
      '_config.yml:5: `map.nearbye` is not a known setting; did you mean `map.nearby`?',
      '_config.yml:8: `feed.posts_limt` is not a known setting; did you mean `feed.posts_limit`?',
    ]);
    // A theme's own keys (a Jekyll theme may keep its own settings under map:) reach templates.
    const config = resolveConfig('/site', raw, {}, '_config.yml', text);
    expect([config.map.colour, config.feed.icon]).toEqual(['red', '/icon.png']);
    // Written inline, a key is reported at its setting's line.
    expect(configWarnings(resolveConfig('/site', { title: 'T', map: { nearbye: 5 } }, {}, '_config.yml', 'title: T\nmap: { nearbye: 5 }\n'))).toEqual([
      '_config.yml:2: `map.nearbye` is not a known setting; did you mean `map.nearby`?',
    ]);
    // jekyll-feed's other keys are known, not typos; those asking for feeds Quire does not write are named.
    expect(configWarnings(resolveConfig('/site', { feed: { categories: ['a'], collections: ['posts'], tags: false, disable_in_development: true } }))).toEqual([]);
    expect(configWarnings(resolveConfig('/site', { feed: { collections: { posts: { path: 'atom.xml' } } } }))).toEqual([]);
    expect(configWarnings(resolveConfig('/site', { feed: { tags: { only: ['a'] }, collections: ['posts', 'recipes'] } }, {}, '_config.yml', 'feed:\n  tags:\n    only: [a]\n  collections: [posts, recipes]\n'))).toEqual([
      '_config.yml:2: `feed.tags` asks jekyll-feed for a feed per tag (/feed/by_tag/<tag>.xml), which Quire does not write',
      '_config.yml:4: `feed.collections` asks jekyll-feed for feeds of `recipes`, which Quire does not write (only posts have feeds)',
    ]);
  });

  it('does not show warnings to templates as a setting', () => {
    const config = resolveConfig('/site', { permalnk: 'x' });
    expect(configWarnings(config)).toHaveLength(1);
    expect(Object.keys(config)).not.toContain('warnings');
  });
});

describe('pages at the top of a Quire site', () => {
  it('are named in a warning, since only a Jekyll site builds them', async () => {
    const dir = site('title: T\ntimezone: UTC\n');
    mkdirSync(path.join(dir, 'templates'));
    writeFileSync(path.join(dir, 'about.md'), '---\ntitle: About\n---\nMe.\n');
    writeFileSync(path.join(dir, 'README.md'), '# Notes, no front matter\n');
    const result = await quire(['build'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('warning about.md: not built: a Quire site builds only posts/ (with templates/) and public/; put a page like this in public/ as HTML, or make the whole site a Jekyll one (`jekyll_site: true`, layouts in _layouts/)\n');
    // As a Jekyll site, it is built.
    writeFileSync(path.join(dir, '_config.yml'), 'title: T\ntimezone: UTC\njekyll_site: true\n');
    const jekyll = await quire(['build'], { cwd: dir });
    expect(jekyll.stderr).toBe('');
    expect(existsSync(path.join(dir, '_site/about.html'))).toBe(true);
  });

  it('keep a site with posts/ and no templates/ a Quire site, its posts still posts', async () => {
    const dir = site('title: T\ntimezone: UTC\n');
    writeFileSync(path.join(dir, 'posts', '2024-01-01-first.md'), '---\ntitle: First post\n---\nx\n');
    writeFileSync(path.join(dir, 'about.md'), '---\ntitle: About\n---\nMe.\n');
    const result = await quire(['build'], { cwd: dir });
    expect(result.stdout).toMatch(/^Built 2 posts, /); // site() writes one too
    expect(result.stderr).toMatch(/^warning about\.md: not built: a Quire site/);
    expect(existsSync(path.join(dir, '_site/2024/01/01/first.html'))).toBe(true);
  });
});

describe('the site folder', () => {
  it('must exist: a mistyped --source is an error, and no folder is made for it', async () => {
    const missing = path.join(tempDir('quire-config-'), 'blgo');
    for (const command of ['build', 'serve', 'check']) {
      const result = await quire([command, '--source', missing]);
      expect(result.status, command).toBe(1);
      expect(result.stderr).toContain(`there is no site folder ${missing}`);
      // `check` alone reads files and builds nothing: its problems are not a failed build.
      if (command === 'check') expect(result.stderr).not.toContain('Build failed');
      else expect(result.stderr).toContain('Build failed');
      expect(existsSync(missing)).toBe(false);
    }
  });
});

describe('a setting of the wrong type', () => {
  it('fails `quire build` with the file, the line of the key and a code frame', async () => {
    const dir = site('title: T\ntimezone: UTC\n\n# posts per page\npaginate: five\nlang: en\n');
    const result = await quire(['build'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error _config.yml:5: `paginate` must be a whole number above 0, but it is "five"');
    expect(result.stderr).toContain('> 5 | paginate: five');
    expect(result.stdout).toBe('');
  });

  it('names the line for every checked key, quoted keys included', () => {
    const cases: Array<[string, number]> = [
      ['title: T\nfuture: maybe\n', 2],
      ['title: T\n"exclude": 3\n', 2],
      ['a: 1\nb: 2\ntimezone: Mars/Base\n', 3],
      ['title: [1, 2]\n', 1],
      ['title: T\nmap: 5\n', 2],
      // Written twice, a key takes its last value, as in Jekyll: the line of that one.
      ['paginate: 10\ntitle: T\npaginate: five\n', 3],
    ];
    for (const [text, line] of cases) {
      const error = thrownBy(() => loadConfig(siteWithConfig(text)));
      expect(error, text).toBeInstanceOf(InputError);
      expect((error as InputError).line, text).toBe(line);
      expect((error as InputError).frame, text).toContain(`> ${line} |`);
    }
  });

  it('checks show_excerpts, the default theme\'s switch, but leaves it unset when unset, as Jekyll does', () => {
    expect(resolveConfig('/site', {}).show_excerpts).toBeUndefined();
    expect(resolveConfig('/site', { show_excerpts: false }).show_excerpts).toBe(false);
    expect(() => resolveConfig('/site', { show_excerpts: 'sometimes' })).toThrow('`show_excerpts` must be `true` or `false`, but it is "sometimes"');
  });

  it('checks the values inside map: and feed:, naming the setting and its own line', () => {
    const cases: Array<[string, string]> = [
      ['title: T\nfeed:\n  limit: "two"\n', '`feed.limit` must be a whole number of 1 or more, but it is "two"'],
      ['feed:\n  limit: 0\n', '`feed.limit` must be a whole number of 1 or more, but it is 0'],
      ['feed:\n  posts_limit: 0\n', '`feed.posts_limit` must be a whole number of 1 or more, but it is 0'],
      ['feed:\n  excerpt_only: "yes"\n', '`feed.excerpt_only` must be `true` or `false`, but it is "yes"'],
      ['feed:\n  categories: [news, 3]\n', '`feed.categories` must be a list of names, each usable as a file name (no `/`), but it is ["news",3]'],
      ['feed:\n  categories: [news, ../up]\n', '`feed.categories` must be a list of names, each usable as a file name (no `/`), but it is ["news","../up"]'],
      ['feed:\n  path: ../feed.xml\n', '`feed.path` must be a path inside the site, such as feed.xml, but it is "../feed.xml"'],
      ['title: T\nmap:\n  nearby: -2\n', '`map.nearby` must be a whole number of 0 or more, but it is -2'],
      ['map:\n  quadrants: [only-one]\n', '`map.quadrants` must be a list of four labels'],
      ['map:\n  x_label: [a, b]\n', '`map.x_label` must be text'],
    ];
    for (const [text, message] of cases) {
      const error = thrownBy(() => loadConfig(siteWithConfig(text)));
      expect(error, text).toBeInstanceOf(InputError);
      expect((error as InputError).message, text).toContain(message);
      // Each value is written on the line below its map's.
      expect((error as InputError).line, text).toBe(text.split('\n').findIndex((line) => /^(map|feed):/.test(line)) + 2);
    }
    // Written inline, a value is reported at its map's line.
    expect((thrownBy(() => loadConfig(siteWithConfig('title: T\nmap: { nearby: -1 }\n'))) as InputError).line).toBe(2);
    const good = resolveConfig('/site', { feed: { limit: 3, path: '/feeds/all.xml' }, map: { nearby: 0, x_label: 5, quadrants: ['a', 'b', 'c', 'd'] } });
    // The site's own keys stay for templates (site.feed.limit); jekyll-feed's posts_limit is filled in.
    expect(good.feed).toEqual({ limit: 3, posts_limit: 3, path: 'feeds/all.xml', excerpt_only: false, categories: [] });
    expect(resolveConfig('/site', { feed: { posts_limit: 20, excerpt_only: true, categories: 'News' } }).feed).toEqual({ posts_limit: 20, path: 'feed.xml', excerpt_only: true, categories: ['News'] });
    expect(good.map).toEqual({ x_label: '5', y_label: undefined, quadrants: ['a', 'b', 'c', 'd'], nearby: 0 });
  });

  it('explains a YAML mistake in _config.yml as in front matter: where the quote opened, a hint, the path as given', async () => {
    const dir = site('title: "Unclosed\ntimezone: UTC\n');
    const result = await quire(['build'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error _config.yml:1:8: configuration is not valid YAML: the quote `"` opened here is never closed');
    expect(result.stderr).toContain('hint: close it with `"` on this line');
    const missing = await quire(['build', '--config', 'nope.yml'], { cwd: dir });
    expect(missing.stderr).toContain('error nope.yml: there is no such configuration file');
    expect(missing.stderr).not.toContain('ENOENT');
  });

  it('checks permalink: and paginate_path: once, at their line, rather than failing every post', () => {
    const cases: Array<[string, RegExp]> = [
      ['title: T\npermalink: /:year/:bogus/\n', /`permalink` uses ":bogus", which Jekyll does not know/],
      ['title: T\npermalink: 5\n', /`permalink` must be a style .* or a pattern such as `\/:year\/:title\/`, but it is 5/],
      ['title: T\npaginate: 2\npaginate_path: /blog/page/\n', /`paginate_path` must be a path with `:num`/],
    ];
    for (const [text, message] of cases) {
      const error = thrownBy(() => loadConfig(siteWithConfig(text)));
      expect(error, text).toBeInstanceOf(InputError);
      expect((error as InputError).message, text).toMatch(message);
      expect((error as InputError).line, text).toBe(text.split('\n').length - 1);
    }
    for (const permalink of ['date', 'pretty', 'ordinal', 'weekdate', 'none', '/:categories/:year_:month/:title:output_ext', '/blog/:slug/']) {
      expect(resolveConfig('/site', { permalink }).permalink).toBe(permalink);
    }
    // Without pages to number, paginate_path is not used.
    expect(resolveConfig('/site', { paginate_path: '/blog/' }).paginate_path).toBe('/blog/');
  });

  it('says how to write a YAML 1.1 yes/no/on/off, which YAML 1.2 reads as text', () => {
    for (const [word, meant] of [['no', 'false'], ['Yes', 'true'], ['off', 'false']]) {
      const error = thrownBy(() => resolveConfig('/site', { future: word }));
      expect((error as InputError).hint, word).toBe(`write ${meant}: Quire reads YAML 1.2, where \`${word}\` is text`);
    }
  });

  it('finds top-level keys only, not nested keys or text in block scalars', () => {
    const text = 'map:\n  paginate: 1\ndescription: |\n  paginate: 2\n\'paginate\' : 3\n';
    expect(lineOfKey(text, 'paginate')).toBe(5);
    expect(lineOfKey(text, 'missing')).toBeUndefined();
    expect(lineOfKey('jekyll-archives: {}\n', 'jekyll-archives')).toBe(1);
  });
});

describe('the machine zone, for a site without `timezone:`', () => {
  // Ruby (so Jekyll) reads $TZ as the C library does; Intl names only IANA zones. Each form gives
  // the offset Jekyll 4.3.1 printed for this post, and none is an "internal error".
  it.each([
    ['UTC0', '2024-03-09 12:00:00 +0000'],
    ['EST5', '2024-03-09 12:00:00 -0500'],
    ['JST-9', '2024-03-09 12:00:00 +0900'],
    ['/usr/share/zoneinfo/Asia/Tokyo', '2024-03-09 12:00:00 +0900'],
    ['IST-5:30', '2024-03-09 12:00:00 +0530'],
    ['<+03>-3', '2024-03-09 12:00:00 +0300'],
    ['america/new_york', '2024-03-09 12:00:00 +0000'],
    ['Invalid/Zone', '2024-03-09 12:00:00 +0000'],
    ['', '2024-03-09 12:00:00 +0000'],
  ])('reads TZ=%j', async (tz, shown) => {
    const dir = tempDir('quire-tz-');
    writeFileSync(path.join(dir, '_config.yml'), 'title: Zones\n');
    mkdirSync(path.join(dir, '_posts'));
    mkdirSync(path.join(dir, '_layouts'));
    writeFileSync(path.join(dir, '_layouts', 'plain.html'), '{{ page.date }}');
    writeFileSync(path.join(dir, '_posts', '2024-03-09-a.md'), '---\nlayout: plain\ndate: 2024-03-09 12:00\n---\nx\n');
    const run = await quire(['build', '--source', dir], { env: { TZ: tz } });
    expect(run.stderr).toBe('');
    expect(readFileSync(path.join(dir, '_site', '2024', '03', '09', 'a.html'), 'utf8')).toBe(shown);
  });
});

describe('a $TZ rule with daylight saving, which Quire cannot read', () => {
  it('is said in a warning naming the setting to write, and dates are UTC', async () => {
    const dir = tempDir('quire-tz-');
    writeFileSync(path.join(dir, '_config.yml'), 'title: Zones\n');
    mkdirSync(path.join(dir, 'posts'));
    writeFileSync(path.join(dir, 'posts', '2024-03-09-a.md'), '---\ntitle: A\n---\nx\n');
    const run = await quire(['build', '--source', dir], { env: { TZ: 'CET-1CEST,M3.5.0,M10.5.0/3' } });
    expect(run.stderr).toMatch(/^warning \$TZ is CET-1CEST,M3\.5\.0,M10\.5\.0\/3, a rule with daylight saving Quire cannot read, so dates are shown in UTC .*set `timezone:` in _config\.yml/);
    writeFileSync(path.join(dir, '_config.yml'), 'title: Zones\ntimezone: Europe/Berlin\n');
    expect((await quire(['build', '--source', dir], { env: { TZ: 'CET-1CEST,M3.5.0,M10.5.0/3' } })).stderr).toBe('');
  });
});

describe('`timezone:` in _config.yml', () => {
  it('takes the forms Jekyll takes through the C library: EST5, IST-5:30', () => {
    expect(loadConfig(siteWithConfig('timezone: EST5\n')).timezone).toBe('Etc/GMT+5');
    expect(loadConfig(siteWithConfig('timezone: IST-5:30\n')).timezone).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
  });

  it('is UTC when empty, as Jekyll sets TZ to it', () => {
    expect(loadConfig(siteWithConfig('timezone: ""\n')).timezone).toBe('UTC');
  });

  it('is an error when written in the wrong case, which Jekyll on Linux reads as UTC', () => {
    const error = thrownBy(() => loadConfig(siteWithConfig('title: x\ntimezone: america/new_york\n'))) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/spelt America\/New_York/);
    expect(error.line).toBe(2);
    expect(loadConfig(siteWithConfig('timezone: US/Eastern\n')).timezone).toBe('US/Eastern');
    expect(loadConfig(siteWithConfig('timezone: utc\n')).timezone).toBe('utc');
  });
});

describe('`paginate_path` out of the site', () => {
  it.each(['/page:num/../x', '/../../../pag:num/', 'C:/page:num'])('is an error at its line: %s', (value) => {
    const error = thrownBy(() => loadConfig(siteWithConfig(`title: T\npaginate: 2\npaginate_path: "${value}"\n`))) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/cannot be used: The URL .* outside the site/);
  });
});

describe('`destination:`', () => {
  it('reads ~ as the home folder, as Jekyll does', () => {
    expect(loadConfig(siteWithConfig('destination: ~/blog-site\n')).destination).toBe(path.join(os.homedir(), 'blog-site'));
  });
});

describe('`feed: posts_limit`', () => {
  it('takes quoted digits as the number, as Ruby\'s Liquid does', () => {
    expect(loadConfig(siteWithConfig('feed:\n  posts_limit: "2"\n')).feed.posts_limit).toBe(2);
    expect(thrownBy(() => loadConfig(siteWithConfig('feed:\n  posts_limit: "two"\n')))).toBeInstanceOf(InputError);
  });
});

describe('`destination:` with a NUL character', () => {
  it('is an error at its line, not an internal error', () => {
    const error = thrownBy(() => loadConfig(siteWithConfig('title: T\ndestination: "\\0x"\n'))) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.line).toBe(2);
  });
});

describe('--destination with a quoted ~/', () => {
  it('is in the home folder, as Jekyll reads it', async () => {
    const dir = site('title: T\n');
    const name = `quire-tilde-${process.pid}-${Date.now()}`;
    try {
      const run = await quire(['build', '--source', dir, '--destination', `~/${name}`]);
      expect(run.status).toBe(0);
      expect(existsSync(path.join(os.homedir(), name, 'index.html'))).toBe(true);
      expect(existsSync(path.join(os.tmpdir(), '~', name))).toBe(false);
    } finally {
      rmSync(path.join(os.homedir(), name), { recursive: true, force: true });
    }
  });
});
