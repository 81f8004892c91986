/**
 * Every kind of bad input gives a BuildProblem that names the file, gives the line where there is
 * one, and says what to do - and one build reports all of them at once.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInMemory } from '../../src/build.js';
import { resolveConfig } from '../../src/config.js';
import { MAX_TEXT_FILE_BYTES } from '../../src/content/load.js';
import { BuildFailed } from '../../src/errors.js';
import type { BuildProblem } from '../../src/types.js';
import { FIXED_NOW, writeSite } from '../helpers/site.js';

const MB = 1024 * 1024;

/** Each bad post, as its file name and text; `line` is the line the problem is on. */
const BAD_POSTS = {
  yaml: { file: 'posts/2024-01-01-yaml.md', text: '---\ntitle: ok\ntags: [one, two\nmore: x\n---\nBody\n', line: 3 },
  unclosed: { file: 'posts/2024-01-02-unclosed.md', text: '---\ntitle: No end\n\nThe body starts, but the front matter never ended.\n', line: 1 },
  tabs: { file: 'posts/2024-01-03-tabs.md', text: '---\ntitle: Tabs\nmap:\n\tx: 1\n---\nBody\n', line: 4 },
  layout: { file: 'posts/2024-01-04-layout.md', text: '---\ntitle: Layout\nlayout: nope\n---\nBody\n', line: 3 },
  date: { file: 'posts/2024-01-05-date.md', text: '---\ntitle: Date\ndate: 2024-13-45\n---\nBody\n', line: 3 },
  coordinatesRange: { file: 'posts/2024-01-06-c-range.md', text: '---\ntitle: C\ncoordinates: [1.2, 0]\n---\nBody\n', line: 3 },
  coordinatesWord: { file: 'posts/2024-01-07-c-word.md', text: '---\ntitle: C\ncoordinates: north\n---\nBody\n', line: 3 },
  coordinatesNaN: { file: 'posts/2024-01-08-c-nan.md', text: '---\ntitle: C\ncoordinates: [.nan, 0]\n---\nBody\n', line: 3 },
  coordinatesNumber: { file: 'posts/2024-01-09-c-number.md', text: '---\ntitle: C\ncoordinates: 0.5\n---\nBody\n', line: 3 },
  sameA: { file: 'posts/2024-01-10-same-a.md', text: '---\ntitle: A\npermalink: /same/\n---\nA\n', line: 3 },
  sameB: { file: 'posts/2024-01-11-same-b.md', text: '---\ntitle: B\npermalink: /same/\n---\nB\n', line: 3 },
} as const;

const LATIN1 = { file: 'posts/2024-01-12-latin1.md', bytes: Buffer.from('---\ntitle: Caf\xe9\n---\nA na\xefve body.\n', 'latin1'), line: 2 };
const HUGE = { file: 'posts/2024-01-13-huge.md', size: 50 * MB };
const TEMPLATE = { file: 'templates/broken.njk', text: '---\nlayout: default\n---\n<p>{{ page.title }}</p>\n{% if %}\n', line: 5 };
const GOOD = { 'posts/2024-02-01-good.md': '---\ntitle: Good\n---\nFine.\n', 'posts/2024-02-02-empty.md': '' };

function config(root: string) {
  return resolveConfig(root, { timezone: 'UTC', url: 'https://example.com', title: 'Errors' });
}

/** Writes a 50 MB post of ordinary paragraphs. */
function writeHuge(root: string): void {
  const paragraph = 'Lorem ipsum dolor sit amet, *consectetur* adipiscing elit, sed do [eiusmod](https://x.example) tempor.\n\n';
  writeFileSync(path.join(root, HUGE.file), `---\ntitle: Huge\n---\n${paragraph.repeat(Math.ceil(HUGE.size / paragraph.length))}`);
}

/** A site with the given bad inputs plus good posts. */
function siteWith(posts: ReadonlyArray<{ file: string; text: string }>, extra: { latin1?: boolean; huge?: boolean; template?: boolean } = {}): string {
  const files: Record<string, string> = { ...GOOD };
  for (const post of posts) files[post.file] = post.text;
  if (extra.template) files[TEMPLATE.file] = TEMPLATE.text;
  const root = writeSite(files);
  if (extra.latin1) writeFileSync(path.join(root, LATIN1.file), LATIN1.bytes);
  if (extra.huge) writeHuge(root);
  return root;
}

async function problemsOf(root: string): Promise<BuildProblem[]> {
  try {
    await buildInMemory(config(root), { now: FIXED_NOW });
  } catch (error) {
    if (error instanceof BuildFailed) return [...error.problems];
    throw error;
  }
  throw new Error('expected the build to fail');
}

async function onlyProblem(posts: ReadonlyArray<{ file: string; text: string }>, extra: Parameters<typeof siteWith>[1] = {}): Promise<BuildProblem> {
  const problems = await problemsOf(siteWith(posts, extra));
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

/** The problem's file and line, its frame showing that line, and advice in the hint or message. */
function expectPointsAt(problem: BuildProblem, file: string, line: number | undefined, advice: RegExp): void {
  expect(problem.file).toBe(file);
  expect(problem.line).toBe(line);
  if (line !== undefined) expect(problem.frame).toMatch(new RegExp(`^> ${line} \\| `, 'm'));
  expect(`${problem.message}\n${problem.hint ?? ''}`).toMatch(advice);
}

describe('one problem per kind of bad input', () => {
  it('malformed YAML: points at the `[` that is never closed, not where js-yaml gave up', async () => {
    const problem = await onlyProblem([BAD_POSTS.yaml]);
    expectPointsAt(problem, BAD_POSTS.yaml.file, 3, /close it with `\]`/);
    expect(problem.column).toBe(7);
    expect(problem.message).toMatch(/not valid YAML: the `\[` opened here is never closed/);
  });

  it.each([
    ['an unclosed quote', 'title: "Never closed\nmore: x\n', 2, 8, /close it with `"`/],
    ['an unclosed map', 'title: ok\nplace: {x: 1\nmore: x\n', 3, 8, /close it with `\}`/],
    ['a nested list', 'title: ok\ntags: [a, [b, c]\nmore: x\n', 3, 7, /close it with `\]`/],
  ])('malformed YAML, %s: points at where it opened', async (_, yaml, line, column, advice) => {
    const file = 'posts/2024-01-01-open.md';
    const problem = await onlyProblem([{ file, text: `---\n${yaml}---\nBody\n` }]);
    expectPointsAt(problem, file, line, advice);
    expect(problem.column).toBe(column);
  });

  it('a value with ": " in it: says to quote it', async () => {
    const file = 'posts/2024-01-01-colon.md';
    const problem = await onlyProblem([{ file, text: '---\ntitle: Part 2: the sequel\n---\nBody\n' }]);
    expectPointsAt(problem, file, 2, /must be in quotes, like title: "Part 2: the sequel"/);
  });

  it('a missing closing ---: line 1, and says to add it', async () => {
    const problem = await onlyProblem([BAD_POSTS.unclosed]);
    expectPointsAt(problem, BAD_POSTS.unclosed.file, 1, /add a line with just `---`/);
    expect(problem.message).toMatch(/front matter is not closed/);
  });

  it('a tab-indented map: the tab line, and says to indent with spaces', async () => {
    const problem = await onlyProblem([BAD_POSTS.tabs]);
    expectPointsAt(problem, BAD_POSTS.tabs.file, 4, /indent with spaces/);
  });

  it('an unknown layout: names the post and the layouts there are', async () => {
    const problem = await onlyProblem([BAD_POSTS.layout]);
    expect(problem.file).toBe(BAD_POSTS.layout.file);
    expect(problem.message).toMatch(/unknown layout "nope"/);
    expect(problem.hint).toMatch(/add templates\/nope\.njk, or use one of: .*\bpost\b/);
  });

  it('an unknown layout: points at the `layout:` line', async () => {
    const problem = await onlyProblem([BAD_POSTS.layout]);
    expect(problem.line).toBe(BAD_POSTS.layout.line);
  });

  it('a template syntax error: the template file, line, column and frame', async () => {
    const problem = await onlyProblem([], { template: true });
    expect(problem).toMatchObject({ file: TEMPLATE.file, line: TEMPLATE.line });
    expect(problem.column).toBeGreaterThan(0);
    expect(problem.frame).toMatch(/^> 5 \| \{% if %\}/m);
    expect(problem.message).toMatch(/template error/);
  });

  it('a template error past line 9 of a template with front matter: file line numbers, the caret under the column', async () => {
    // The body's line 7 is the file's line 10: the frame shows the file's numbers, one width for all.
    const root = siteWith([{ file: 'templates/wide.njk', text: `---\nlayout: default\n---\n${'<p>line</p>\n'.repeat(6)}<p>{{ page.title }}</p> {% if %}\n` }]);
    const [problem] = await problemsOf(root);
    expect(problem).toMatchObject({ file: 'templates/wide.njk', line: 10 });
    const frame = problem!.frame!.split('\n');
    expect(frame.map((line) => /^[> ] +(\d+) \|/.exec(line)?.[1]).filter(Boolean)).toEqual(['8', '9', '10', '11']);
    const marked = frame.find((line) => line.startsWith('>'))!;
    const caret = frame[frame.indexOf(marked) + 1]!;
    expect(caret.indexOf('|')).toBe(marked.indexOf('|'));
    expect(caret.indexOf('^') - caret.indexOf('|') - 2).toBe(problem!.column! - 1);
  });

  it('a template error while rendering (Nunjucks counts those positions from 0): the file line and column of the mistake', async () => {
    const root = siteWith([{ file: 'templates/post.njk', text: '---\nlayout: default\n---\n<h1>{{ page.title }}</h1>\n<p>{{ no_such_helper(page) }}</p>\n<footer></footer>\n' }]);
    const [problem] = await problemsOf(root);
    expect(problem).toMatchObject({ file: 'templates/post.njk', line: 5 });
    expect(problem!.message).toMatch(/Unable to call `no_such_helper`/);
    const frame = problem!.frame!.split('\n');
    const marked = frame.find((line) => line.startsWith('>'))!;
    expect(marked).toMatch(/^> 5 \| <p>\{\{ no_such_helper\(page\) \}\}<\/p>$/);
    // Nunjucks places a call at its opening parenthesis.
    expect('<p>{{ no_such_helper(page) }}</p>'[problem!.column! - 1]).toBe('(');
  });

  it('a template error while rendering its first line (Nunjucks leaves position 0 out): the template, once, not every page', async () => {
    const root = siteWith([{ file: 'templates/post.njk', text: '---\nlayout: default\n---\n{{ no_such_helper(page) }}\n<p>{{ page.title }}</p>\n' }]);
    const problems = await problemsOf(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'templates/post.njk', line: 4 });
    expect(problems[0]!.message).toBe('template error: Unable to call `no_such_helper`, which is undefined or falsey');
    expect(problems[0]!.frame).toMatch(/^> 4 \| \{\{ no_such_helper\(page\) \}\}$/m);
  });

  describe('a template error while rendering, in a template another one uses', () => {
    /** The one problem of a site whose post layout is `post` plus the given templates. */
    async function problemWith(templates: Record<string, string>): Promise<BuildProblem> {
      const root = siteWith(Object.entries(templates).map(([name, text]) => ({ file: `templates/${name}`, text })));
      const problems = await problemsOf(root);
      expect(problems).toHaveLength(1);
      return problems[0]!;
    }

    it('an included partial: the partial\'s own line and column, not the include', async () => {
      const problem = await problemWith({
        'post.njk': '---\nlayout: default\n---\n<h1>{{ page.title }}</h1>\n{% include "partials/extra.njk" %}\n',
        'partials/extra.njk': '<aside>\n  <p>more</p>\n  {{ missing_helper(page) }}\n</aside>\n',
      });
      // Nunjucks places a call at its opening parenthesis.
      expect(problem).toMatchObject({ file: 'templates/partials/extra.njk', line: 3, column: 20 });
      expect(problem.message).toBe('template error: Unable to call `missing_helper`, which is undefined or falsey');
    });

    it('a block of a template that extends another: the block\'s line in the extending template', async () => {
      const problem = await problemWith({
        'base.njk': '<main>\n{% block body %}{% endblock %}\n</main>\n',
        'post.njk': '---\nlayout: default\n---\n{% extends "base.njk" %}\n{% block body %}\n<p>{{ page.title }}</p>\n{{ gone_helper() }}\n{% endblock %}\n',
      });
      expect(problem).toMatchObject({ file: 'templates/post.njk', line: 7 });
      expect(problem.frame).toMatch(/^> 7 \| \{\{ gone_helper\(\) \}\}$/m);
    });

    it('an include of a template that does not exist: the include tag (Nunjucks would say the line before)', async () => {
      const problem = await problemWith({ 'post.njk': '---\nlayout: default\n---\n<h1>{{ page.title }}</h1>\n  {% include "partials/nowhere.njk" %}\n' });
      expect(problem).toMatchObject({ file: 'templates/post.njk', line: 5, column: 3 });
      expect(problem.message).toMatch(/template not found: partials\/nowhere\.njk/);
    });

    it.each([
      ['an if', '<h1>{{ page.title }}</h1>\n{% if page.tags %}\n<p>tagged</p>\n{% if page.x %}x{% endif %}\n', 5, 'if'],
      ['a for with a closed for inside', '{% for tag in page.tags %}\n  {% for c in tag %}{{ c }}{% endfor %}\n<p>more</p>\n', 4, 'for'],
      ['a set block', '<p>a</p>\n{% set plain = 1 %}\n{% set captured %}\n<p>b</p>\n', 6, 'set'],
    ])('a block left open (%s): the line of its tag, and which end tag it lacks', async (_, body, line, name) => {
      const problem = await problemWith({ 'post.njk': `---\nlayout: default\n---\n${body}` });
      expect(problem).toMatchObject({ file: 'templates/post.njk', line });
      expect(problem.message).toMatch(new RegExp(`this \\{% ${name} %\\} is never closed with \\{% end${name} %\\}$`));
    });

    it('a template that includes itself: says so, at the include, instead of JavaScript\'s stack overflow', async () => {
      const problem = await problemWith({ 'post.njk': '---\nlayout: default\n---\n{% include "post.njk" %}\n' });
      expect(problem).toMatchObject({ file: 'templates/post.njk', line: 4 });
      expect(problem.message).toBe('template error: this template never ends: it includes (or extends) itself, directly or through other templates');
    });

    it('a Liquid include that includes itself: says so, at the include', async () => {
      const root = writeSite({ '_config.yml': 'timezone: UTC\n', '_layouts/default.html': '{{ content }}', '_includes/self.html': 'S{% include self.html %}', '_posts/2024-01-01-a.md': '---\n---\n{% include self.html %}\n' });
      const problems = await problemsOf(root);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ file: '_includes/self.html', line: 1 });
      expect(problems[0]!.message).toMatch(/^Liquid error: this include never ends: it includes itself/);
    });

    it('keeps a template name the message itself mentions', async () => {
      const problem = await problemWith({ 'post.njk': '---\nlayout: default\n---\n<h1>{{ page.title }}</h1>\n{{ page.nothing("see (post.njk) here") }}\n' });
      expect(problem).toMatchObject({ file: 'templates/post.njk', line: 5 });
      expect(problem.message).toMatch(/^template error: Unable to call `page\["nothing"\]`/);
    });
  });

  // Known gap, outside src/content: render/templates.ts gives Nunjucks' message ("unexpected token: %}") and no hint.
  it('a template syntax error: says what to do', async () => {
    const problem = await onlyProblem([], { template: true });
    expect(problem.hint).toBeDefined();
  });

  it('a key written twice: the line of the value read (the last), not the first', async () => {
    const file = 'posts/2024-01-01-twice.md';
    const problem = await onlyProblem([{ file, text: '---\ntitle: A\ncoordinates: [0.1, 0.1]\ncoordinates: [0.9, 1.5]\n---\nBody\n' }]);
    expectPointsAt(problem, file, 4, /but it is \[0\.9, 1\.5\]/);
  });

  it('an invalid date (2024-13-45): the date line, what is wrong and the forms that work', async () => {
    const problem = await onlyProblem([BAD_POSTS.date]);
    expectPointsAt(problem, BAD_POSTS.date.file, 3, /month 13 is out of range.*use a date like 2024-03-20/);
  });

  it.each([
    ['2026-13-01', /month 13 is out of range \(1-12\)/],
    ['2026-00-05', /month 0 is out of range/],
    ['2026-05-00', /day 0 is out of range \(1-31\)/],
    ['2026-02-32', /day 32 is out of range/],
  ])('a date in the file name that is none (%s): the file, what is wrong, and how to name it, as Jekyll stops there too', async (date, wrong) => {
    const file = `posts/${date}-odd.md`;
    const problem = await onlyProblem([{ file, text: '---\ntitle: Odd\n---\nBody\n' }]);
    expectPointsAt(problem, file, undefined, wrong);
    expect(problem.hint).toMatch(/rename the file .* or set `date:` in the front matter/);
  });

  it('a day past the end of its month in the file name moves on into the next month, as in Jekyll', async () => {
    const root = writeSite({ 'posts/2024-02-30-late.md': '---\ntitle: Late\n---\nBody\n' }, 'quire-dates-');
    const { site } = await buildInMemory(config(root), { now: FIXED_NOW });
    expect(site.posts.map((post) => post.url)).toEqual(['/2024/03/01/late.html']);
  });

  it.each([
    ['[1.2, 0]', BAD_POSTS.coordinatesRange, /but it is \[1\.2, 0\]/],
    ['"north"', BAD_POSTS.coordinatesWord, /but it is "north"/],
    ['[.nan, 0]', BAD_POSTS.coordinatesNaN, /but it is \[NaN, 0\]/],
    ['a single number', BAD_POSTS.coordinatesNumber, /but it is 0\.5/],
  ])('bad coordinates %s: the line, the value, and the form that works', async (_, post, value) => {
    const problem = await onlyProblem([post]);
    expectPointsAt(problem, post.file, 3, /two numbers between 0 and 1, like \[0\.25, 0\.8\]/);
    expect(problem.message).toMatch(value);
  });

  it('a file that is not UTF-8 (Latin-1 bytes): the line of the first bad byte, and says to save it as UTF-8', async () => {
    const problem = await onlyProblem([], { latin1: true });
    expect(problem).toMatchObject({ file: LATIN1.file, line: LATIN1.line });
    expect(problem.message).toMatch(/not valid UTF-8/);
    expect(problem.hint).toMatch(/save it as UTF-8/);
  });

  it('two posts with one URL: names both files and the output, and says to change a permalink', async () => {
    const problem = await onlyProblem([BAD_POSTS.sameA, BAD_POSTS.sameB]);
    expect(problem.file).toBe(BAD_POSTS.sameA.file);
    expect(problem.message).toBe(`${BAD_POSTS.sameA.file} and ${BAD_POSTS.sameB.file} would both be written to same/index.html`);
    expect(problem.hint).toMatch(/different `permalink:`/);
  });

  it('two posts with one URL: points at the `permalink:` line', async () => {
    const problem = await onlyProblem([BAD_POSTS.sameA, BAD_POSTS.sameB]);
    expect(problem.line).toBe(BAD_POSTS.sameA.line);
  });

  it('an empty file (0 bytes) in posts/ builds, as in Jekyll: a post with no front matter and no body', async () => {
    const root = writeSite({ 'posts/2024-01-01-empty.md': '' });
    const result = await buildInMemory(config(root), { now: FIXED_NOW });
    expect(result.site.posts.map((post) => post.title)).toEqual(['Empty']);
    const page = result.outputs.find((output) => output.path === '2024/01/01/empty.html');
    expect(page?.contents).toMatch(/<h1[^>]*>Empty<\/h1>/);
  });

  it(`a 50 MB file: refused before it is read, in bounded time, with the limit (${MAX_TEXT_FILE_BYTES / MB} MB) and advice`, async () => {
    const root = siteWith([], { huge: true });
    const started = performance.now();
    const problems = await problemsOf(root);
    const seconds = (performance.now() - started) / 1000;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: HUGE.file, message: expect.stringMatching(/the file is 50\.0 MB, and Quire reads posts, pages and templates only up to 10\.0 MB/) });
    expect(problems[0]!.hint).toMatch(/put big files in public\//);
    expect(seconds).toBeLessThan(5); // ~0.1 s; building it instead took 10-25 s and 2.3 GB here
  });
});

describe('all problems in one build', () => {
  const everyPost = Object.values(BAD_POSTS);

  it('reports every bad file at once, each with its line', async () => {
    const problems = await problemsOf(siteWith(everyPost, { latin1: true, huge: true }));
    const byFile = new Map(problems.map((problem) => [problem.file, problem]));
    const expected = new Map<string, number | undefined>([
      ...[BAD_POSTS.yaml, BAD_POSTS.unclosed, BAD_POSTS.tabs, BAD_POSTS.date, BAD_POSTS.coordinatesRange, BAD_POSTS.coordinatesWord, BAD_POSTS.coordinatesNaN, BAD_POSTS.coordinatesNumber].map(
        (post): [string, number] => [post.file, post.line],
      ),
      [LATIN1.file, LATIN1.line],
      [HUGE.file, undefined],
      [BAD_POSTS.layout.file, BAD_POSTS.layout.line],
      [BAD_POSTS.sameA.file, BAD_POSTS.sameA.line],
    ]);
    expect([...byFile.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [file, line] of expected) expect(byFile.get(file)!.line, file).toBe(line);
    expect(problems).toHaveLength(expected.size);
    for (const problem of problems) expect(problem.hint ?? problem.message, problem.file).toMatch(/\b(add|use|close|indent|save|give|like|put)\b/);
  });

  it('reports the template error together with every content error', async () => {
    const problems = await problemsOf(siteWith(everyPost, { latin1: true, template: true }));
    const files = new Set(problems.map((problem) => problem.file));
    for (const post of [BAD_POSTS.yaml, BAD_POSTS.unclosed, BAD_POSTS.tabs, BAD_POSTS.date, BAD_POSTS.coordinatesRange, BAD_POSTS.coordinatesNaN]) {
      expect(files.has(post.file), post.file).toBe(true);
    }
    expect(files.has(LATIN1.file)).toBe(true);
    expect(files.has(TEMPLATE.file)).toBe(true);
  });

  it('reports unknown layouts and duplicate URLs even when a template does not compile', async () => {
    const problems = await problemsOf(siteWith(everyPost, { template: true }));
    const files = new Set(problems.map((problem) => problem.file));
    expect(files.has(BAD_POSTS.layout.file)).toBe(true);
    expect(files.has(BAD_POSTS.sameA.file)).toBe(true);
  });
});
