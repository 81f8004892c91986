/** jekyll-paginate's `paginator` object, field for field. */
export interface Paginator<T> {
  readonly page: number;
  readonly per_page: number;
  readonly posts: readonly T[];
  readonly total_posts: number;
  readonly total_pages: number;
  readonly previous_page: number | null;
  readonly previous_page_path: string | null;
  readonly next_page: number | null;
  readonly next_page_path: string | null;
}

/**
 * The site-relative path of page `page` of a paginated list whose first page is `firstPath`:
 * page 1 is `firstPath`, page N is `paginatePath` with `:num` replaced, below `firstPath`'s folder
 * (jekyll-paginate puts `/page2/` beside the home page's index.html).
 */
export function pagePath(page: number, firstPath: string, paginatePath: string): string {
  if (page <= 1) return firstPath;
  const folder = firstPath.endsWith('/') ? firstPath : firstPath.replace(/[^/]*$/, '');
  const relative = paginatePath.replace(/:num/g, String(page)).replace(/^\/+/, '');
  return folder === '/' ? `/${relative}` : `${folder}${relative}`;
}

/**
 * Splits `items` into pages of `perPage` (all on one page when perPage is null). A list with no
 * items still has one (empty) page, so its index page exists.
 */
export function paginate<T>(items: readonly T[], perPage: number | null, firstPath: string, paginatePath: string): Array<Paginator<T>> {
  const size = perPage === null || perPage <= 0 ? Math.max(items.length, 1) : perPage;
  const totalPages = Math.max(1, Math.ceil(items.length / size));
  const pages: Array<Paginator<T>> = [];
  for (let page = 1; page <= totalPages; page++) {
    const previous = page > 1 ? page - 1 : null;
    const next = page < totalPages ? page + 1 : null;
    pages.push({
      page,
      per_page: size,
      posts: items.slice((page - 1) * size, page * size),
      total_posts: items.length,
      total_pages: totalPages,
      previous_page: previous,
      previous_page_path: previous === null ? null : pagePath(previous, firstPath, paginatePath),
      next_page: next,
      next_page_path: next === null ? null : pagePath(next, firstPath, paginatePath),
    });
  }
  return pages;
}
