import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { addFragmentCache, endOfBuild, PartStore, touch } from '../../src/render/fragments.js';

/** An environment with the `cached` tag and a filter that counts how often a part really renders. */
function environment(keep: boolean) {
  const env = new nunjucks.Environment(null, { autoescape: true });
  addFragmentCache(env, keep);
  const calls = { count: 0 };
  env.addFilter('counted', (value: unknown) => {
    calls.count++;
    return value;
  });
  return { env, calls };
}

const LIST = '{% for post in posts %}{% cached post, wide %}<li>{{ post.title | counted }}{% if wide %}!{% endif %}</li>{% endcached %}{% endfor %}';

describe('{% cached %} parts', () => {
  it('renders a part once per set of keys, and again for an object changed in place', () => {
    const { env, calls } = environment(true);
    const template = nunjucks.compile(LIST, env);
    const posts = [{ title: 'A & B' }, { title: 'C' }];
    expect(template.render({ posts, wide: false })).toBe('<li>A &amp; B</li><li>C</li>');
    expect(template.render({ posts, wide: false })).toBe('<li>A &amp; B</li><li>C</li>');
    expect(calls.count).toBe(2);
    // Another key value is another part.
    expect(template.render({ posts, wide: true })).toBe('<li>A &amp; B!</li><li>C!</li>');
    expect(calls.count).toBe(4);
    // Changed in place and touched: rendered again; not touched: the old part (the keys must say).
    posts[1]!.title = 'D';
    touch(posts[1]!);
    posts[0]!.title = 'not shown';
    expect(template.render({ posts, wide: false })).toBe('<li>A &amp; B</li><li>D</li>');
    expect(calls.count).toBe(5);
  });

  it('keys an array by its items: blocks of a list are new arrays each time, yet reused until one of their items changes', () => {
    const { env, calls } = environment(true);
    const blocks = '{% for block in posts | batch(2) %}{% cached block %}[{{ "block" | counted }}{% for post in block %}{% cached post %}{{ post.title | counted }}{% endcached %}{% endfor %}]{% endcached %}{% endfor %}';
    const template = nunjucks.compile(blocks, env);
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
    const { env } = environment(true);
    const template = nunjucks.compile('{% cached x %}one{{ x }}{% endcached %}/{% cached x %}two{{ x }}{% endcached %}', env);
    expect(template.render({ x: 1 })).toBe('one1/two1');
  });

  it('only renders its content where parts are not kept (quire build)', () => {
    const { env, calls } = environment(false);
    const template = nunjucks.compile(LIST, env);
    const posts = [{ title: 'A' }];
    template.render({ posts, wide: false });
    template.render({ posts, wide: false });
    expect(calls.count).toBe(2);
  });

  it('keeps the parts each whole build uses and drops the others when the next one ends (PartStore)', () => {
    const store = new PartStore();
    const inUse = Array.from({ length: 5 }, (_, i) => [`in-use-${i}`, 'x'.repeat(50)] as const);
    for (const [key, part] of inUse) store.set(key, part);
    store.endBuild();
    // Many builds, each using the same parts and leaving one part behind that no key asks for again.
    for (let build = 0; build < 200; build++) {
      for (const [key, part] of inUse) expect(store.get(key)).toBe(part);
      store.set(`left-behind-${build}`, 'y'.repeat(100));
      store.endBuild();
    }
    expect(store.size).toBe(5 + 1);
    expect(store.get('left-behind-198')).toBeUndefined();
    expect(store.get('left-behind-199')).toBe('y'.repeat(100));
  });

  it('a serve session drops the cached parts of a list item whose post was edited, after the next whole build', async () => {
    const { env, calls } = environment(true);
    const template = nunjucks.compile(LIST, env);
    const posts = [{ title: 'A' }, { title: 'B' }];
    const render = () => {
      const html = template.render({ posts, wide: false });
      endOfBuild(env);
      return html;
    };
    expect(render()).toBe('<li>A</li><li>B</li>');
    for (let edit = 0; edit < 50; edit++) {
      posts[0]!.title = `A${edit}`;
      touch(posts[0]!);
      expect(render()).toBe(`<li>A${edit}</li><li>B</li>`);
    }
    expect(calls.count).toBe(2 + 50);
    const parts = (env.getExtension('cached') as unknown as { parts: PartStore }).parts;
    expect(parts.size).toBeLessThanOrEqual(4);
  });
});
