/** `{% link %}` and `{% post_url %}` lookups, matched by Jekyll 4.3's rules (link.rb, post_url.rb). */
import { describe, expect, it } from 'vitest';
import { createLinkResolver, PostNameError, postName } from '../../src/liquid/links.js';
import { zonedInstant } from '../../src/dates.js';

const posts = [
  { relativePath: '_posts/2024-01-02-second.md', url: '/2024/01/02/second.html', slug: 'second', date: zonedInstant({ year: 2024, month: 1, day: 2 }, 'UTC') },
  { relativePath: '_posts/sub/2024-01-03-third.markdown', url: '/2024/01/03/third.html', slug: 'third', date: zonedInstant({ year: 2024, month: 1, day: 3 }, 'UTC') },
  { relativePath: 'cat/_posts/2024-01-04-fourth.md', url: '/cat/2024/01/04/fourth.html', slug: 'fourth', date: zonedInstant({ year: 2024, month: 1, day: 4 }, 'UTC') },
  // A front-matter date on another day than the file name.
  { relativePath: '_posts/2024-02-01-moved.md', url: '/2024/03/05/moved.html', slug: 'moved', date: zonedInstant({ year: 2024, month: 3, day: 5 }, 'UTC') },
];
const files = [
  { relativePath: 'about.md', url: '/about.html' },
  { relativePath: 'assets/img.png', url: '/assets/img.png' },
];

describe('link', () => {
  const resolver = createLinkResolver(files, posts);

  it('finds pages, static files and posts by their path from the source', () => {
    expect(resolver.link('about.md')).toBe('/about.html');
    expect(resolver.link('assets/img.png')).toBe('/assets/img.png');
    expect(resolver.link('_posts/sub/2024-01-03-third.markdown')).toBe('/2024/01/03/third.html');
  });

  it('accepts a leading slash, as Jekyll does for static files', () => {
    expect(resolver.link('/assets/img.png')).toBe('/assets/img.png');
  });

  it('finds nothing for other spellings', () => {
    expect(resolver.link('about')).toBeUndefined();
    expect(resolver.link('./about.md')).toBeUndefined();
    expect(resolver.link('_posts/2024-01-02-second')).toBeUndefined();
  });
});

describe('post_url', () => {
  it('matches the file name without extension, below _posts/ or a category folder', () => {
    const resolver = createLinkResolver(files, posts);
    expect(resolver.postUrl('2024-01-02-second')).toBe('/2024/01/02/second.html');
    expect(resolver.postUrl('/2024-01-02-second')).toBe('/2024/01/02/second.html');
    expect(resolver.postUrl('sub/2024-01-03-third')).toBe('/2024/01/03/third.html');
    expect(resolver.postUrl('cat/2024-01-04-fourth')).toBe('/cat/2024/01/04/fourth.html');
    expect(resolver.postUrl('2024-02-01-moved')).toBe('/2024/03/05/moved.html');
  });

  it('falls back to date and slug, with a warning, as Jekyll’s deprecated rule does', () => {
    const warnings: string[] = [];
    const resolver = createLinkResolver(files, posts, (message) => warnings.push(message));
    expect(resolver.postUrl('2024-01-03-third')).toBe('/2024/01/03/third.html');
    expect(warnings).toEqual([
      '{% post_url 2024-01-03-third %} matched _posts/sub/2024-01-03-third.markdown only by its date and slug; Jekyll accepts this but asks to write the post\'s file name: {% post_url sub/2024-01-03-third %}',
    ]);
  });

  it('finds nothing for a post that is not there, and refuses a name without a date', () => {
    const resolver = createLinkResolver(files, posts);
    expect(resolver.postUrl('2024-01-09-nope')).toBeUndefined();
    expect(resolver.postUrl('2024-01-02-second.md')).toBeUndefined();
    expect(() => resolver.postUrl('second')).toThrow(PostNameError);
  });

  it('names posts the way post_url expects them', () => {
    expect(postName('_posts/2024-01-02-second.md')).toBe('2024-01-02-second');
    expect(postName('_posts/sub/2024-01-03-third.markdown')).toBe('sub/2024-01-03-third');
    expect(postName('cat/_posts/2024-01-04-fourth.md')).toBe('cat/2024-01-04-fourth');
  });
});
