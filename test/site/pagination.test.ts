import { describe, expect, it } from 'vitest';
import { pagePath, paginate } from '../../src/site/pagination.js';

describe('paginate', () => {
  const items = Array.from({ length: 12 }, (_, i) => i + 1);

  it('splits into pages with jekyll-paginate fields', () => {
    const pages = paginate(items, 5, '/', '/page:num/');
    expect(pages.map((page) => page.posts)).toEqual([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12]]);
    expect(pages[0]).toMatchObject({ page: 1, per_page: 5, total_posts: 12, total_pages: 3, previous_page: null, previous_page_path: null, next_page: 2, next_page_path: '/page2/' });
    expect(pages[1]).toMatchObject({ previous_page: 1, previous_page_path: '/', next_page: 3, next_page_path: '/page3/' });
    expect(pages[2]).toMatchObject({ next_page: null, next_page_path: null, previous_page_path: '/page2/' });
  });

  it('puts everything on one page without a page size, and keeps one page when empty', () => {
    expect(paginate(items, null, '/', '/page:num/')).toHaveLength(1);
    const empty = paginate([], 5, '/', '/page:num/');
    expect(empty).toHaveLength(1);
    expect(empty[0]).toMatchObject({ total_pages: 1, total_posts: 0, posts: [] });
  });

  it.each([
    [1, '/', '/page:num/', '/'],
    [2, '/', '/page:num/', '/page2/'],
    [3, '/', 'page/:num/', '/page/3/'],
    [2, '/blog/', '/page:num/', '/blog/page2/'],
    [4, '/', '/p/:num/index.html', '/p/4/index.html'],
  ])('page %i of %s with %s is %s', (page, first, pattern, expected) => {
    expect(pagePath(page, first, pattern)).toBe(expected);
  });
});
