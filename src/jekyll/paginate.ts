/**
 * jekyll-paginate 1.1 (the plugin GitHub Pages runs): with `paginate: N`, the site's `index.html`
 * page is rendered once per N posts, page 1 where it is and page n at `paginate_path` with `:num`
 * replaced, each with a `paginator`. Pure.
 */
import { outputPathFor, sanitizeUrl } from '../site/permalinks.js';
import type { Paginator } from '../site/pagination.js';

/** One rendering of the paginated page. */
export interface PaginatedPage<T> {
  readonly url: string;
  readonly outputPath: string;
  readonly paginator: Paginator<T>;
}

/**
 * Generator#template_page: the `index.html` page in the folder of `paginate_path` or a folder
 * above it (the deepest one wins), or undefined when there is none.
 */
export function paginationTemplate<P extends { readonly relativePath: string }>(pages: readonly P[], paginatePath: string): P | undefined {
  // File.dirname(File.expand_path(paginate_path)): "/page:num/" is in the root, "/blog/page:num/" in blog.
  const paginateDir = folderOf(paginatePath.replace(/^\/+/, '').replace(/\/+$/, ''));
  const candidates = pages.filter((page) => {
    if (nameOf(page.relativePath) !== 'index.html') return false;
    const dir = folderOf(page.relativePath);
    return dir === paginateDir || dir === '' || paginateDir.startsWith(`${dir}/`);
  });
  return candidates.sort((a, b) => b.relativePath.length - a.relativePath.length)[0];
}

/**
 * The pages of `posts` (already without `hidden: true` ones) for a template page at `firstUrl`:
 * Pager.calculate_pages of them (none for no posts, as jekyll-paginate makes none), with
 * previous and next paths as Pager.paginate_path gives them (no baseurl).
 */
export function jekyllPaginate<T>(posts: readonly T[], perPage: number, firstUrl: string, paginatePath: string): Array<PaginatedPage<T>> {
  const totalPages = Math.ceil(posts.length / perPage);
  const urlOf = (page: number | null): string | null => (page === null ? null : page <= 1 ? firstUrl : pageUrl(paginatePath, page));
  const pages: Array<PaginatedPage<T>> = [];
  for (let page = 1; page <= totalPages; page++) {
    const previous = page !== 1 ? page - 1 : null;
    const next = page !== totalPages ? page + 1 : null;
    // The copy for page n is the template page moved to that folder (Page#dir = the path).
    const url = page <= 1 ? firstUrl : folderUrl(pageUrl(paginatePath, page));
    pages.push({
      url,
      outputPath: outputPathFor(url, '.html'),
      paginator: {
        page,
        per_page: perPage,
        posts: posts.slice((page - 1) * perPage, page * perPage),
        total_posts: posts.length,
        total_pages: totalPages,
        previous_page: previous,
        previous_page_path: urlOf(previous),
        next_page: next,
        next_page_path: urlOf(next),
      },
    });
  }
  return pages;
}

/** Pager.paginate_path for page n > 1: `paginate_path` with `:num` filled in, with a leading slash. */
function pageUrl(paginatePath: string, page: number): string {
  const path = paginatePath.replace(':num', String(page));
  return path.startsWith('/') ? path : `/${path}`;
}

/** The URL a paginated copy of an `index.html` page is written to: its folder, as a folder. */
export function folderUrl(url: string): string {
  return sanitizeUrl(url.endsWith('/') ? url : `${url}/`);
}

function folderOf(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  return slash === -1 ? '' : relativePath.slice(0, slash);
}

function nameOf(relativePath: string): string {
  return relativePath.slice(relativePath.lastIndexOf('/') + 1);
}
