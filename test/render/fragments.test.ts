import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { addFragmentCache, keepPartsOfPages, PartStore, renderingPage, touch } from '../../src/render/fragments.js';

/**
 * An environment with the `cached` tag, a filter that counts how often a part really renders, and
 * `compile`, whose templates render as the page `page` (as the builder renders each page).
 */
function environment(keep: boolean) {
  const env = new nunjucks.Environment(null, { autoescape: true });
  addFragmentCache(env, keep);
  const calls = { count: 0 };
  env.addFilter('counted', (value: unknown) => {
    calls.count++;
    return value;
  });
  const compile = (source: string, page = 'index.html') => {
    const template = nunjucks.compile(source, env);
    return { render: (context: object) => renderingPage(env, page, () => template.render(context)) };
  };
  const parts = (env.getExtension('cached') as unknown as { parts: PartStore }).parts;
  return { env, calls, compile, parts };
}

const LIST = '{% for post in posts %}{% cached post, wide %}<li>{{ post.title | counted }}{% if wide %}!{% endif %}</li>{% endcached %}{% endfor %}';

describe('{% cached %} parts', () => {
  it('renders a part once per set of keys, and again for an object changed in place', () => {
    const { calls, compile } = environment(true);
    const template = compile(LIST);
    const posts = [{ title: 'A & B' }, { title: 'C' }];
    expect(template.render({ posts, wide: false })).toBe('<li>A &amp; B</li><li>C</li>');
    expect(template.render({ posts, wide: false })).toBe('<li>A &amp; B</li><li>C</li>');
    expect(calls.count).toBe(2);
    // Another key value is another part.
    expect(compile(LIST, 'wide.html').render({ posts, wide: true })).toBe('<li>A &amp; B!</li><li>C!</li>');
    expect(calls.count).toBe(4);
    // Changed in place and touched: rendered again; not touched: the old part (the keys must say).
    posts[1]!.title = 'D';
    touch(posts[1]!);
    posts[0]!.title = 'not shown';
    expect(template.render({ posts, wide: false })).toBe('<li>A &amp; B</li><li>D</li>');
    expect(calls.count).toBe(5);
  });

  it('keys an array by its items: blocks of a list are new arrays each time, yet reused until one of their items changes', () => {
    const { calls, compile } = environment(true);
    const blocks = '{% for block in posts | batch(2) %}{% cached block %}[{{ "block" | counted }}{% for post in block %}{% cached post %}{{ post.title | counted }}{% endcached %}{% endfor %}]{% endcached %}{% endfor %}';
    const template = compile(blocks);
    const posts = [{ title: 'a' }, { title: 'b' }, { title: 'c' }, { title: 'd' }, { title: 'e' }];
    expect(template.render({ posts })).toBe('[blockab][blockcd][blocke]');
    expect(calls.count).toBe(3 + 5);
    // Each render makes new block arrays; with no item changed, nothing renders again.
    expect(template.render({ posts })).toBe('[blockab][blockcd][blocke]');
    expect(calls.count).toBe(8);
    // One item touched: only its block renders again, and within it only that item.
    posts[2]!.title = 'C';
    touch(posts[2]!);
    expect(template.render({ posts })).toBe('[blockab][blockCd][blocke]');
    expect(calls.count).toBe(8 + 2);
    // An item added shifts the blocks after it: they are other keys, their items still cached.
    const more = [{ title: 'z' }, ...posts];
    expect(template.render({ posts: more })).toBe('[blockza][blockbC][blockde]');
    expect(calls.count).toBe(10 + 3 + 1);
  });

  it('keeps each tag apart, even with the same keys', () => {
    const { compile } = environment(true);
    const template = compile('{% cached x %}one{{ x }}{% endcached %}/{% cached x %}two{{ x }}{% endcached %}');
    expect(template.render({ x: 1 })).toBe('one1/two1');
  });

  it('only renders its content where parts are not kept (quire build)', () => {
    const { calls, compile } = environment(false);
    const template = compile(LIST);
    const posts = [{ title: 'A' }];
    template.render({ posts, wide: false });
    template.render({ posts, wide: false });
    expect(calls.count).toBe(2);
  });

  it('renders without keeping parts outside a page', () => {
    const { env, calls, parts } = environment(true);
    const template = nunjucks.compile(LIST, env);
    template.render({ posts: [{ title: 'A' }], wide: false });
    template.render({ posts: [{ title: 'A' }], wide: false });
    expect(calls.count).toBe(2);
    expect(parts.size).toBe(0);
  });

  it('keeps a part while the latest render of some page uses it (PartStore)', () => {
    const store = new PartStore();
    const made: string[] = [];
    const part = (key: string) => store.part(key, () => (made.push(key), key.toUpperCase()));
    store.renderPage('a.html', () => [part('shared'), part('only-a')]);
    store.renderPage('b.html', () => expect(part('shared')).toBe('SHARED'));
    expect(made).toEqual(['shared', 'only-a']);
    // a.html renders again without its own part: that part goes, the shared one stays for b.html.
    store.renderPage('a.html', () => part('only-a-now'));
    expect(store.size).toBe(2);
    store.renderPage('b.html', () => [part('shared'), part('only-a')]);
    expect(made).toEqual(['shared', 'only-a', 'only-a-now', 'only-a']);
    // Rebuilds that render neither page keep everything; a page the site no longer has lets go.
    store.keepPages(new Set(['a.html']));
    expect(store.size).toBe(1);
    store.renderPage('a.html', () => part('only-a-now'));
    expect(made).toHaveLength(4);
  });

  it('keeps the parts used inside a kept part, and a failed render keeps the previous parts of the page', () => {
    const store = new PartStore();
    const made: string[] = [];
    const part = (key: string, inside: () => string = () => key) => store.part(key, () => (made.push(key), inside()));
    const block = (items: string[]) => part(`block:${items.join()}`, () => items.map((item) => part(item)).join());
    store.renderPage('list.html', () => block(['a', 'b']));
    expect(made).toEqual(['block:a,b', 'a', 'b']);
    // The block is found, so its items are not asked for; they are kept with it.
    store.renderPage('list.html', () => block(['a', 'b']));
    expect(made).toHaveLength(3);
    // One item replaced: a new block around the old item and the new one; the old block and item go.
    store.renderPage('list.html', () => block(['a', 'c']));
    expect(made).toEqual(['block:a,b', 'a', 'b', 'block:a,c', 'c']);
    expect(store.size).toBe(3);
    expect(() =>
      store.renderPage('list.html', () => {
        part('half-made');
        throw new Error('template error');
      }),
    ).toThrow('template error');
    expect(store.size).toBe(3);
    store.renderPage('other.html', () => block(['a', 'c']));
    expect(made).toHaveLength(6);
  });

  it('renders a part asked for within its own rendering without keeping it twice', () => {
    const store = new PartStore();
    const nested = (depth: number): string => store.part('same-key', () => (depth === 0 ? '.' : `(${nested(depth - 1)})`));
    expect(store.renderPage('tree.html', () => nested(2))).toBe('((.))');
    expect(store.size).toBe(1);
    expect(store.renderPage('tree.html', () => nested(2))).toBe('((.))');
    store.keepPages(new Set());
    expect(store.size).toBe(0);
  });

  it('a serve session keeps one part per list item however many edits, and the parts of pages it does not render again', () => {
    const { env, calls, compile, parts } = environment(true);
    const list = compile(LIST, 'index.html');
    const other = compile('{% cached page %}<p>{{ page.title | counted }}</p>{% endcached %}', 'other.html');
    const posts = [{ title: 'A' }, { title: 'B' }];
    const page = { title: 'Other' };
    expect(list.render({ posts, wide: false })).toBe('<li>A</li><li>B</li>');
    expect(other.render({ page })).toBe('<p>Other</p>');
    for (let edit = 0; edit < 50; edit++) {
      posts[0]!.title = `A${edit}`;
      touch(posts[0]!);
      expect(list.render({ posts, wide: false })).toBe(`<li>A${edit}</li><li>B</li>`);
      keepPartsOfPages(env, new Set(['index.html', 'other.html']));
    }
    expect(calls.count).toBe(3 + 50);
    expect(parts.size).toBe(3);
    expect(other.render({ page })).toBe('<p>Other</p>');
    expect(calls.count).toBe(3 + 50);
  });
});
