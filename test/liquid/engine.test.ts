/**
 * The Liquid engine against what Jekyll 4.3.1 printed for the same templates (each expectation
 * below was checked with a real `jekyll build`; see test/jekyll-site/README.md).
 */
import { describe, expect, it } from 'vitest';
import nunjucks from 'nunjucks';
import { resolveConfig } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import { createLiquidEngine, engineFor, hasLiquid, liquidValues, rendersWithLiquid, type LiquidLayout } from '../../src/liquid/engine.js';
import { createLinkResolver } from '../../src/liquid/links.js';
import { createMarkdown } from '../../src/markup/markdown.js';
import { TemplateDate } from '../../src/render/views.js';

const config = resolveConfig('/site', { title: 'Liquid Lab', description: 'Testing tags', url: 'https://example.com', baseurl: '/blog', timezone: 'UTC', repository: 'owner/repo' });
const site = { ...config };
const POST = '_posts/2024-01-01-first.md';

function layout(file: string, body: string, data: Record<string, unknown> = {}, bodyLine = 1): LiquidLayout {
  return { file, body, data, bodyLine };
}

/** A minima-shaped theme: default wraps everything, post sits inside default. */
const layouts = new Map<string, LiquidLayout>([
  [
    'default',
    layout(
      '_layouts/default.html',
      '<html lang="{{ layout.lang }}"><title>{{ page.title }}</title>\n[layout.shared={{ layout.shared }}][layout.only_post={{ layout.only_post }}]\n{{ content }}\n{% include footer.html %}\n</html>\n',
      { lang: 'en', shared: 'from-default' },
      5,
    ),
  ],
  ['post', layout('_layouts/post.html', '<article>{{ content }}</article>\n[assigned-in-content={{ in_content }}]\n', { layout: 'default', shared: 'from-post', only_post: true }, 6)],
  ['page', layout('_layouts/page.html', '<section>{{ content }}</section>', { layout: 'default' }, 4)],
  ['loop-a', layout('_layouts/loop-a.html', 'A[{{ content }}]', { layout: 'loop-b' })],
  ['loop-b', layout('_layouts/loop-b.html', 'B[{{ content }}]', { layout: 'loop-a' })],
  ['orphan', layout('_layouts/orphan.html', 'O[{{ content }}]', { layout: 'gone' })],
]);

const includes = new Map([
  ['footer.html', '<footer>{{ site.title }} {% if include.note %}note={{ include.note }}{% endif %}</footer>\n'],
  ['note.html', `<div class="{{ include.type | default: 'info' }}">{{ include.text }}|{{ include.count | plus: 1 }}|{% include social/link.html %}</div>\n`],
  ['social/link.html', '<a href="{{ include.url }}">inner sees include.text={{ include.text }}</a>{% assign leaked = "yes" %}\n'],
  ['my-logo@2x.svg', '<svg/>'],
  ['bad.html', 'line one\n{% bogus %}\n'],
]);

const siteFiles = new Map([
  ['_posts/snippet.txt', 'POSTREL {{ page.title }}\n'],
  ['notes/snippet.md', 'RELATIVE {{ page.title }}\n'],
]);

const links = createLinkResolver(
  [
    { relativePath: 'about.md', url: '/about.html' },
    { relativePath: 'assets/img.png', url: '/assets/img.png' },
  ],
  [
    { relativePath: '_posts/2024-01-02-second.md', url: '/2024/01/02/second.html' },
    { relativePath: '_posts/sub/2024-01-03-third.md', url: '/2024/01/03/third.html' },
    { relativePath: 'cat/_posts/2024-01-04-fourth.md', url: '/cat/2024/01/04/fourth.html' },
  ],
);

const engine = createLiquidEngine({ config, layouts, includes, links, readFile: (path) => siteFiles.get(path) });
const post = { title: 'First', url: '/2024/01/01/first.html', path: POST, date: TemplateDate.of({ epochMs: Date.UTC(2024, 0, 1), offsetMinutes: 0 }) };
const context = { site, page: post, file: POST };

function render(text: string, page: Record<string, unknown> = post, file = POST): string {
  return engine.renderLiquidInContent(text, { site, page, file });
}

function thrown(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('engineFor', () => {
  it('reads Quire templates as Nunjucks and everything Jekyll renders as Liquid', () => {
    expect(engineFor('templates/post.njk')).toBe('nunjucks');
    expect(engineFor('templates/feed.xml.njk')).toBe('nunjucks');
    expect(engineFor('templates/partials/head.njk')).toBe('nunjucks');
    expect(engineFor('theme/extra.njk')).toBe('nunjucks');
    expect(engineFor('_layouts/default.html')).toBe('liquid');
    expect(engineFor('_includes/head.html')).toBe('liquid');
    expect(engineFor('_posts/2024-01-01-x.md')).toBe('liquid');
    expect(engineFor('about.md')).toBe('liquid');
    expect(engineFor('feed.xml')).toBe('liquid');
  });

  it('knows when Jekyll runs Liquid over a text', () => {
    expect(hasLiquid('plain text')).toBe(false);
    expect(hasLiquid('a {{ b }}')).toBe(true);
    expect(hasLiquid('a {% b %}')).toBe(true);
    expect(rendersWithLiquid('{{ x }}', {})).toBe(true);
    expect(rendersWithLiquid('{{ x }}', { render_with_liquid: false })).toBe(false);
    expect(rendersWithLiquid('no tags', {})).toBe(false);
  });
});

describe('Liquid in content (before markdown)', () => {
  it('leaves text without Liquid untouched', () => {
    const text = 'Curly { braces } and 100% text';
    expect(render(text)).toBe(text);
  });

  it('reads site and page variables; unknown variables and filters print nothing / pass through', () => {
    expect(render('{{ site.repository }} {{ page.title }} [{{ page.nothing.deeper }}] {{ "x" | no_such_filter }}')).toBe('owner/repo First [] x');
  });

  it('uses Ruby truthiness: empty strings and 0 are true', () => {
    expect(render('{% if "" %}a{% endif %}{% if 0 %}b{% endif %}{% if nil %}c{% endif %}{% if false %}d{% endif %}')).toBe('ab');
  });

  it('includes with quoted, single-quoted and variable parameters, nested includes seeing the outer ones', () => {
    expect(render(`{% include note.html type="warn" text='He said "hi"' count=page.num url="/x" %}`)).toBe(
      '<div class="warn">He said "hi"|1|<a href="/x">inner sees include.text=He said "hi"</a>\n</div>\n',
    );
  });

  it('lets an assign inside an include leak into the page, as Liquid does', () => {
    expect(render('{% include social/link.html %}leaked={{ leaked }}')).toContain('leaked=yes');
  });

  it('includes a file named by a variable, with parameters', () => {
    expect(render('{% assign file = "footer.html" %}{% include {{ file }} note="dyn" %}')).toBe('<footer>Liquid Lab note=dyn</footer>\n');
  });

  it('accepts the file-name characters Jekyll 3.9.1+ allows', () => {
    expect(render('{% include my-logo@2x.svg %}')).toBe('<svg/>');
  });

  it('include_relative reads beside the page being rendered', () => {
    expect(render('{% include_relative snippet.txt %}')).toBe('POSTREL First\n');
    expect(render('{% include_relative notes/snippet.md %}', { title: 'About' }, 'about.md')).toBe('RELATIVE About\n');
  });

  it('include_cached renders like include', () => {
    expect(render('{% include_cached footer.html note="c" %}')).toBe('<footer>Liquid Lab note=c</footer>\n');
  });

  it('link and post_url give URLs with baseurl, for posts in sub-folders and category folders too', () => {
    expect(render('{% link _posts/2024-01-02-second.md %} {% link about.md %} {% link assets/img.png %} {% link /assets/img.png %}')).toBe(
      '/blog/2024/01/02/second.html /blog/about.html /blog/assets/img.png /blog/assets/img.png',
    );
    expect(render('{% post_url 2024-01-02-second %} {% post_url sub/2024-01-03-third %} {% post_url cat/2024-01-04-fourth %}')).toBe(
      '/blog/2024/01/02/second.html /blog/2024/01/03/third.html /blog/cat/2024/01/04/fourth.html',
    );
  });

  it('renders Liquid in a link path', () => {
    expect(render('{% assign target = "about.md" %}{% link {{ target }} %}')).toBe('/blog/about.html');
  });

  it('keeps raw blocks as written', () => {
    expect(render('{% raw %}{{ not rendered }} {% if %}{% endraw %}')).toBe('{{ not rendered }} {% if %}');
  });

  it('sees the first layout’s front matter as `layout`, and never the page’s own assigns in layouts', () => {
    expect(engine.renderLiquidInContent('{{ layout.only_post }} {{ layout.shared }}', context, { layout: 'post' })).toBe('true from-post');
    expect(engine.renderLiquidInContent('[{{ layout.shared }}]', context, { layout: null })).toBe('[]');
  });

  it('offers jekyll.environment and jekyll.version', () => {
    expect(render('{{ jekyll.environment }} {{ jekyll.version }}')).toBe(`${config.environment} 4.3.1`);
  });

  it('prints Nunjucks-safe strings of template views as plain text and compares them as strings', () => {
    const page = { content: new nunjucks.runtime.SafeString('<p>Hi</p>'), excerpt: new nunjucks.runtime.SafeString('') };
    expect(render('{{ page.content }}|{% if page.excerpt == empty %}empty{% endif %}|{{ page.content | size }}|{% if page.content contains "Hi" %}yes{% endif %}', page)).toBe(
      '<p>Hi</p>|empty|9|yes',
    );
  });

  it('sees a page object that gained content since its last render', () => {
    const page: Record<string, unknown> = { title: 'P' };
    expect(render('[{{ page.content }}]', page, 'p.md')).toBe('[]');
    page.content = '<p>done</p>';
    expect(render('[{{ page.content }}]', page, 'p.md')).toBe('[<p>done</p>]');
  });

  it('keeps cycles between posts (next/previous) working', () => {
    const a: Record<string, unknown> = { title: 'A' };
    const b: Record<string, unknown> = { title: 'B', previous: a };
    a.next = b;
    expect(render('{{ page.next.title }} {{ page.next.previous.title }}', a)).toBe('B A');
  });
});

describe('Jekyll filters through Liquid', () => {
  it('uses Quire’s Jekyll filters (dates in the site zone, URLs with baseurl, jsonify as text)', () => {
    expect(render('{{ page.date | date_to_xmlschema }} {{ page.date | date: "%b %-d, %Y" }} {{ page.date | date_to_string: "ordinal", "US" }}')).toBe(
      '2024-01-01T00:00:00+00:00 Jan 1, 2024 Jan 1st, 2024',
    );
    expect(render('{{ "/about/" | relative_url }} {{ "/about/" | absolute_url }}')).toBe('/blog/about/ https://example.com/blog/about/');
    expect(render('{{ page.title | jsonify }} {{ "Tom & Jerry\'s" | xml_escape }} {{ "a b" | slugify }}')).toBe('"First" Tom &amp; Jerry&apos;s a-b');
    expect(render('{{ page.date }}')).toBe('2024-01-01 00:00:00 +0000');
  });

  it('keeps Liquid’s standard filters and Jekyll’s array filters', () => {
    expect(render('{{ "a,b,c" | split: "," | join: "-" }} {{ "hello" | upcase | truncate: 4 }} {{ 7 | divided_by: 2 }} {{ "x" | append: "y" }}')).toBe('a-b-c H... 3 xy');
    const page = { items: [{ n: 'a', t: ['x'] }, { n: 'b', t: ['y'] }, { n: 'c', t: ['x'] }] };
    expect(render('{{ page.items | where: "t", "x" | map: "n" | join: "," }} {{ page.items | where_exp: "i", "i.n != \'b\'" | size }} {% assign g = page.items | group_by: "t" %}{{ g.size }}', page)).toBe('a,c 2 2');
  });

  it('divides as Ruby does: whole numbers by a whole number rounding down, by a written decimal exactly (as Jekyll 4.3.1 wrote)', () => {
    expect(render('A{{ 7 | divided_by: 2.0 }} B{{ 7 | divided_by: 5.0 | ceil }} C{{ 7 | divided_by: 2 }} D{{ "one two three four five six seven" | number_of_words | divided_by: 5.0 | ceil }} F{{ -7 | divided_by: 2 }}')).toBe('A3.5 B2 C3 D2 F-4');
  });

  it('adds markdownify and smartify', () => {
    expect(render('{{ "Some *markdown*" | markdownify }}')).toBe('<p>Some <em>markdown</em></p>\n');
    expect(render(`{{ '"Quotes" -- and it\\'s ... done' | smartify }}`)).toBe('“Quotes” – and it’s … done');
  });
});

describe('{% highlight %}', () => {
  it('writes Rouge’s figure markup, with Liquid inside rendered (Jekyll 4.3)', () => {
    const html = render('{% highlight ruby %}\ndef hello\n  puts "{{ page.title }}"\nend\n{% endhighlight %}');
    expect(html).toMatch(/^<figure class="highlight"><pre><code class="language-ruby" data-lang="ruby">.*<\/code><\/pre><\/figure>$/s);
    expect(html).toContain('<span class="hljs-keyword">def</span>');
    expect(html.replace(/<[^>]+>/g, '')).toBe('def hello\n  puts &quot;First&quot;\nend');
  });

  it('turns + into - in the class, keeps the lower-cased language in data-lang', () => {
    expect(render('{% highlight C++ %}\nint main() {}\n{% endhighlight %}')).toMatch(/^<figure class="highlight"><pre><code class="language-c--" data-lang="c\+\+">/);
  });

  it('writes Rouge’s line-number table for linenos', () => {
    const html = render('{% highlight text linenos %}\nx = 1\n\ny = 2\n{% endhighlight %}');
    expect(html).toBe(
      '<figure class="highlight"><pre><code class="language-text" data-lang="text"><table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">1\n2\n3\n</pre></td><td class="code"><pre>x = 1\n\ny = 2\n</pre></td></tr></tbody></table></code></pre></figure>',
    );
  });

  it('escapes code in an unknown language', () => {
    expect(render('{% highlight nosuchlang %}\n<b>&</b>\n{% endhighlight %}')).toBe('<figure class="highlight"><pre><code class="language-nosuchlang" data-lang="nosuchlang">&lt;b&gt;&amp;&lt;/b&gt;</code></pre></figure>');
  });

  it('stays one HTML block through markdown-it when the code has blank lines', () => {
    const md = createMarkdown();
    const text = engine.renderLiquidInContent('Before\n\n{% highlight python %}\nx = 1\n\n    y = 2\n{% endhighlight %}\n\nAfter\n', context, { markdown: true });
    const html = md.render(text);
    expect(html).toContain('<figure class="highlight">');
    expect(html).not.toContain('<pre><code>y');
    expect(html).toMatch(/<\/figure>\n<p>After<\/p>/);
    expect(html.match(/<figure[\s\S]*<\/figure>/)![0].replace(/<[^>]+>/g, '')).toBe('x = 1\n\n    y = 2');
  });
});

describe('layouts', () => {
  it('renders content through the chain, merging layout front matter child-first', () => {
    const text = engine.renderLiquidInContent('{% assign in_content = "ic" %}Hello', context, { layout: 'post' });
    const { html, warnings } = engine.renderWithLayouts(`<p>${text}</p>`, 'post', context);
    expect(warnings).toEqual([]);
    expect(html).toBe(
      '<html lang="en"><title>First</title>\n[layout.shared=from-post][layout.only_post=true]\n<article><p>Hello</p></article>\n[assigned-in-content=]\n\n<footer>Liquid Lab </footer>\n\n</html>\n',
    );
  });

  it('gives each layout only its own and its children’s data', () => {
    const { html } = engine.renderWithLayouts('x', 'page', { site, page: { title: 'About' }, file: 'about.md' });
    expect(html).toContain('[layout.shared=from-default][layout.only_post=]');
  });

  it('warns about a missing layout and leaves the content alone', () => {
    expect(engine.renderWithLayouts('<p>x</p>', 'nosuch', context)).toEqual({ html: '<p>x</p>', warnings: [`Layout 'nosuch' requested in ${POST} does not exist.`] });
  });

  it('treats null, "" and "none" as no layout, silently', () => {
    for (const name of [null, undefined, '', 'none']) expect(engine.renderWithLayouts('x', name, context)).toEqual({ html: 'x', warnings: [] });
  });

  it('stops quietly at a loop or a missing parent, as Jekyll does', () => {
    expect(engine.renderWithLayouts('x', 'loop-a', context).html).toBe('B[A[x]]');
    expect(engine.renderWithLayouts('x', 'orphan', context).html).toBe('O[x]');
  });

  it('gives layouts the paginator', () => {
    const paged = createLiquidEngine({ config, includes, layouts: new Map([['home', layout('_layouts/home.html', '{{ paginator.page }}/{{ paginator.total_pages }} {{ paginator.next_page_path }}')]]) });
    expect(paged.renderWithLayouts('', 'home', { ...context, paginator: { page: 1, total_pages: 3, next_page_path: '/page2/' } }).html).toBe('1/3 /page2/');
  });

  it('writes {% seo %} and {% feed_meta %} in a layout', () => {
    const seo = createLiquidEngine({ config, includes, layouts: new Map([['head', layout('_layouts/head.html', '<head>{% seo %}{% feed_meta %}</head>')]]) });
    const { html } = seo.renderWithLayouts('', 'head', { site, page: { ...post, title: 'SEO Post' }, file: POST });
    expect(html).toContain('<title>SEO Post | Liquid Lab</title>');
    expect(html).toContain('<link rel="canonical" href="https://example.com/blog/2024/01/01/first.html">');
    expect(html).toContain('<meta property="og:type" content="article">');
    expect(html).toMatch(/<\/script>\n<link type="application\/atom\+xml" rel="alternate" href="https:\/\/example.com\/blog\/feed.xml" title="Liquid Lab" \/><\/head>$/);
  });
});

describe('errors name the file and line', () => {
  it('in a layout, counting the front matter lines', () => {
    const broken = createLiquidEngine({ config, includes, layouts: new Map([['broken', layout('_layouts/broken.html', '<html>\n{{ content }}\n{% if page.x %}\n</html>\n', {}, 4)]]) });
    const error = thrown(() => broken.renderWithLayouts('c', 'broken', context));
    expect(error).toMatchObject({ file: '_layouts/broken.html', line: 6, column: 1 });
    expect(error.message).toMatch(/not closed/);
    expect(error.frame).toContain('> 6 | {% if page.x %}');
  });

  it('in an include, at the include’s own line', () => {
    const error = thrown(() => render('text\n{% include bad.html %}'));
    expect(error).toMatchObject({ file: '_includes/bad.html', line: 2 });
    expect(error.message).toMatch(/bogus/);
  });

  it('in a post, counting from the body line', () => {
    const error = thrown(() => engine.renderLiquidInContent('hello\n\nsee {% link missing.md %} now', context, { line: 5 }));
    expect(error).toMatchObject({ file: POST, line: 7, column: 5 });
    expect(error.message).toBe("Liquid error: Could not find document 'missing.md' in tag 'link'. Make sure the document exists and the path is correct.");
  });

  it('for a missing include, at the include tag', () => {
    const error = thrown(() => engine.renderLiquidInContent('\n  {% include nope.html %}', context, { line: 3 }));
    expect(error).toMatchObject({ file: POST, line: 4, column: 3 });
    expect(error.message).toContain(`Could not locate the included file 'nope.html' in any of ["_includes"]`);
  });

  it('for post_url names without a date and posts that do not exist', () => {
    expect(thrown(() => render('{% post_url nodate %}')).message).toContain('Could not parse name of post "nodate" in tag \'post_url\'');
    expect(thrown(() => render('{% post_url 2024-01-01-nope %}')).message).toContain('Could not find post "2024-01-01-nope" in tag \'post_url\'');
  });

  it('for include syntax Jekyll refuses', () => {
    expect(thrown(() => render('{% include a b %}')).message).toContain('Invalid syntax for include tag');
    expect(thrown(() => render('{% include ../secret.html %}')).message).toContain('File contains invalid characters or sequences');
    expect(thrown(() => render('{% highlight %}x{% endhighlight %}')).message).toContain("Syntax Error in tag 'highlight'");
  });
});

describe('the values Liquid templates see', () => {
  it('copies a site whose posts link 200,000 deep through next and previous, keeping the links', () => {
    // A chain this long overflowed the call stack when the copy recursed (a 10,000-post site sometimes did).
    const posts: Array<Record<string, unknown>> = Array.from({ length: 200_000 }, (_, i) => ({ title: `Post ${i}`, excerpt: new nunjucks.runtime.SafeString(`<p>${i}</p>`) }));
    posts.forEach((post, i) => {
      post.next = posts[i - 1] ?? null;
      post.previous = posts[i + 1] ?? null;
    });
    const site = { posts };
    const copy = liquidValues().site(site) as { posts: Array<Record<string, unknown>> };
    // Identities compared as booleans: printing a 200,000-deep object is what vitest cannot do.
    expect(copy.posts.length).toBe(200_000);
    expect(copy.posts[0]!.previous === copy.posts[1]).toBe(true);
    expect(copy.posts[199_999]!.next === copy.posts[199_998]).toBe(true);
    expect(copy.posts[5]!.excerpt).toBe('<p>5</p>');
    expect(copy.posts[5] === posts[5]).toBe(false);
  });
});
