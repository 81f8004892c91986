import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { addFragmentCache, touch } from '../../src/render/fragments.js';

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
});
