/**
 * Quire against what real Jekyll 4.3.1 produced for the same small sites (recorded under
 * test/conformance/expected by test/conformance/record.mjs; CI needs no Jekyll).
 */
import { describe, expect, it } from 'vitest';
import { buildInMemory } from '../src/build.js';
import { dateToXmlschema, strftime } from '../src/dates.js';
import type { SitePost } from '../src/site/collections.js';
import { configLikeJekyll, conformanceCases, type ExpectedCase } from './conformance/cases.js';

const cases = conformanceCases().filter((expected) => !expected.case.startsWith('filters'));

/** Builds a fixture the way its recording ran Jekyll (flags and TZ). */
function buildLikeJekyll(expected: ExpectedCase) {
  return buildInMemory(configLikeJekyll(expected));
}

/**
 * Excerpts that still differ from Jekyll's, each with the reason. The test checks they really do
 * differ, so a fix shows up as a failure asking to remove the entry.
 */
const KNOWN_EXCERPT_DIFFERENCES: Record<string, string> = {
  '_posts/2024-01-04-typography.md': "markdown-it's smart quotes leave a leading apostrophe ('90s) and inch marks (5'10\") straight",
};

/** Tags and whitespace differ between kramdown and markdown-it; the words must not. */
function words(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&#8617;|↩︎?/g, '').replace(/\s+/g, ' ').trim();
}

describe.each(cases)('Jekyll conformance: $case', (expected) => {
  it('publishes the same posts at the same URLs and output paths', async () => {
    const { site } = await buildLikeJekyll(expected);
    const bySource = new Map(site.posts.map((post) => [post.relativePath, post]));
    expect([...bySource.keys()].sort()).toEqual(expected.posts.map((post) => post.source).sort());
    for (const want of expected.posts) {
      const got = bySource.get(want.source)!;
      expect({ source: want.source, url: got.url, output: got.outputPath }).toEqual({ source: want.source, url: want.url, output: want.output_path });
    }
  });

  it('gives each post the same id, date, title, slug, categories, tags and neighbours', async () => {
    const { site } = await buildLikeJekyll(expected);
    const bySource = new Map(site.posts.map((post) => [post.relativePath, post]));
    const urlOf = (post: SitePost | undefined) => post?.url ?? null;
    const index = new Map(site.posts.map((post, i) => [post, i]));
    for (const want of expected.posts) {
      const got = bySource.get(want.source)!;
      const i = index.get(got)!;
      expect({
        source: want.source,
        id: got.id,
        date: dateToXmlschema(got.date),
        date_string: strftime(got.date, '%Y-%m-%d %H:%M:%S %z'),
        title: got.title,
        slug: got.slug,
        categories: got.categories,
        tags: got.tags,
        next: urlOf(site.posts[i - 1]),
        previous: urlOf(site.posts[i + 1]),
      }).toEqual({
        source: want.source,
        id: want.id,
        date: want.date,
        date_string: want.date_string,
        title: want.title,
        slug: want.slug,
        categories: want.categories,
        tags: want.tags,
        next: want.next,
        previous: want.previous,
      });
    }
  });

  it('cuts the same excerpts', async () => {
    const { site } = await buildLikeJekyll(expected);
    const bySource = new Map(site.posts.map((post) => [post.relativePath, post]));
    for (const want of expected.posts) {
      const got = bySource.get(want.source)!;
      if (want.source in KNOWN_EXCERPT_DIFFERENCES) {
        expect(words(got.excerptHtml), KNOWN_EXCERPT_DIFFERENCES[want.source]).not.toEqual(words(want.excerpt));
        continue;
      }
      expect({ source: want.source, excerpt: words(got.excerptHtml) }).toEqual({ source: want.source, excerpt: words(want.excerpt) });
    }
  });

  it('writes the files Jekyll wrote, besides the pages and theme files Quire adds', async () => {
    const { outputs } = await buildLikeJekyll(expected);
    const written = outputs.filter((output) => !/^\((generated|theme)\)/.test(output.origin ?? '')).map((output) => output.path);
    expect(written.sort()).toEqual([...expected.files].sort());
  });

  it('lists site.posts and site.categories / site.tags in Jekyll\'s order', async () => {
    expect(expected.site, 'every case but filters has a site.json page').toBeDefined();
    const { site } = await buildLikeJekyll(expected);
    expect(site.posts.map((post) => post.url)).toEqual(expected.site!.posts);
    expect(site.categories.map((group) => group.name)).toEqual(expected.site!.categories);
    expect(site.tags.map((group) => group.name)).toEqual(expected.site!.tags);
  });

  it('gives site.json, a page that prints the site\'s lists, the same text as Jekyll', async () => {
    expect(expected.site, 'every case but filters has a site.json page').toBeDefined();
    const { outputs } = await buildLikeJekyll(expected);
    const page = outputs.find((output) => output.path === 'site.json')!;
    expect(JSON.parse(String(page.contents))).toEqual(expected.site);
  });
});

/** The ids links point at: headings' and footnotes' (`fn:1`, `fnref:1`), in document order. */
function anchorIds(html: string): string[] {
  return [...html.matchAll(/<(?:h[1-6]|li|sup)\b[^>]*\bid="([^"]+)"/g)].map((match) => match[1]!);
}

describe('kramdown markup that links depend on', () => {
  const expected = cases.find((item) => item.case === 'kramdown-markup')!;

  it('gives headings and footnotes the ids Jekyll gave them', async () => {
    const { outputs, site } = await buildLikeJekyll(expected);
    let compared = 0;
    for (const post of site.posts) {
      const want = anchorIds(expected.pages[post.relativePath] ?? '');
      if (want.length === 0) continue;
      const page = outputs.find((output) => output.path === post.outputPath)!;
      const got = anchorIds(page.contents as string).filter((id) => want.includes(id));
      expect({ post: post.relativePath, ids: got }).toEqual({ post: post.relativePath, ids: want });
      compared += want.length;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('writes the notes as kramdown does, a no-break space before each link back (so the arrow never wraps alone)', async () => {
    const { outputs, site } = await buildLikeJekyll(expected);
    const post = site.posts.find((candidate) => candidate.slug === 'footnotes')!;
    // Only the spacing between tags is kramdown's own: ASCII whitespace is folded, a no-break space is not.
    const notes = (html: string) => html.slice(html.indexOf('<div class="footnotes"')).split('</div>')[0]!.replace(/[ \t\n]+/g, ' ').replace(/> </g, '><');
    const page = outputs.find((output) => output.path === post.outputPath)!;
    expect(notes(page.contents as string)).toBe(notes(expected.pages[post.relativePath]!));
  });

  it.each([
    ['reads HTML as kramdown does: a line starting with an image or link is paragraph text, and a block ends where its element closes', 'html-blocks'],
    ['writes $$ math as kramdown does for MathJax, \\(inline\\) and \\[display\\], its TeX untouched by markdown', 'math'],
    ['numbers ordered lists from 1 and strikes with <del>, as kramdown does', 'lists-and-strikes'],
  ])('%s', async (_, slug) => {
    const { outputs, site } = await buildLikeJekyll(expected);
    const post = site.posts.find((candidate) => candidate.slug === slug)!;
    const page = outputs.find((output) => output.path === post.outputPath)!;
    // The post's body (after the page's JSON), its markup compared with spacing and XHTML's ` />` evened out.
    const body = (html: string) => html.slice(html.lastIndexOf('<p>Start of the body.')).split('<!--content-end-->')[0]!.replaceAll(' />', '>').replace(/\s+/g, ' ').trim();
    expect(body(page.contents as string)).toEqual(body(expected.pages[post.relativePath]!));
  });

  it("turns only kramdown's typographic symbols into other characters: dashes, ellipses, guillemets", async () => {
    // markdown-it's own replacements also turn (c), +-, .., ,, and !!!! into other text.
    const { outputs, site } = await buildLikeJekyll(expected);
    const post = site.posts.find((candidate) => candidate.slug === 'typographic-symbols')!;
    const page = outputs.find((output) => output.path === post.outputPath)!;
    const body = (html: string) => words(html.slice(html.lastIndexOf('Copyright'))); // the post's body, after the page's JSON
    expect(body(page.contents as string)).toEqual(body(expected.pages[post.relativePath]!));
  });
});
