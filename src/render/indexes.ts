import path from 'node:path';
import { calendarParts, parseDateValue } from '../dates.js';
import { outputPathFor } from '../site/permalinks.js';
import { pagePath, paginate } from '../site/pagination.js';
import type { Site } from '../site/collections.js';
import type { PageJob, SiteViews } from './pages.js';
import { TemplateDate, termSlug, type GroupView, type PostView } from './views.js';

/** The layouts of the generated pages; every other layout is for posts (and pages). */
export const INDEX_LAYOUTS: ReadonlySet<string> = new Set(['home', 'categories', 'category', 'tags', 'tag', 'archive', 'map', 'map-points.svg', '404', 'feed.xml', 'sitemap.xml', 'robots.txt']);

/** A generated page: Quire writes it from a theme template, not from a file in the source. */
interface IndexPage {
  readonly url: string;
  readonly layout: string;
  readonly title: string;
  readonly extra?: Record<string, unknown>;
  readonly paginator?: Record<string, unknown>;
  /** Leave out of sitemap.xml (feeds, the 404 page, robots.txt). */
  readonly sitemap?: boolean;
  /** The posts the page shows; it is rendered again when one of them changes. */
  readonly shows: readonly PostView[];
}

/**
 * The pages that index the posts: home (paginated), categories and tags (an overview plus one page
 * each), the archive by year, the coordinate map, the 404 page, Atom feeds, sitemap and robots.txt.
 * `otherPages` are the site's own pages (a Jekyll site's), for the sitemap. A page `leftToSite`
 * claims (the site has its own file at its path, or its own home page) is neither made nor listed.
 */
export function indexJobs(site: Site, views: SiteViews, otherPages: ReadonlyArray<SitemapPage> = [], leftToSite: (page: { readonly outputPath: string; readonly layout: string }) => boolean = () => false): PageJob[] {
  const config = site.config;
  const allPosts = site.posts.map((post) => views.posts.get(post)!);
  const pages: IndexPage[] = [];

  for (const paginator of paginate(allPosts, config.paginate, '/', config.paginate_path)) {
    // Untitled, as a theme's index.html usually is: the head says "Page 2 of 5 for" the site's title.
    pages.push({ url: pagePath(paginator.page, '/', config.paginate_path), layout: 'home', title: '', paginator: { ...paginator }, shows: paginator.posts });
  }
  pages.push(...termPages('categories', 'category', 'Categories', views.categories, allPosts));
  pages.push(...termPages('tags', 'tag', 'Tags', views.tags, allPosts));
  pages.push({ url: '/archive/', layout: 'archive', title: 'Archive', extra: { years: byYear(allPosts) }, shows: allPosts });
  pages.push({ url: '/map/', layout: 'map', title: 'Map', extra: {}, shows: allPosts });
  // Every dot once, as an image that each post page's small map shows under its own highlight.
  pages.push({ url: '/map/points.svg', layout: 'map-points.svg', title: 'Map points', extra: {}, sitemap: false, shows: allPosts });
  pages.push({ url: '/404.html', layout: '404', title: 'Page not found', sitemap: false, shows: [] });
  /** A feed of the newest of `posts`, at `url`. */
  const feed = (url: string, title: string, posts: readonly PostView[], category?: GroupView) => {
    const shown = feedOrder(posts).slice(0, config.feed.posts_limit);
    const extra = { feed_posts: shown, feed_url: url, feed_category: category, feed_updated: latestUpdate(shown, config.timezone) };
    pages.push({ url, layout: 'feed.xml', title, extra, sitemap: false, shows: shown });
  };
  feed(`/${config.feed.path}`, config.title, allPosts);
  // jekyll-feed titles a category's feed "Site | Category" (the name through Ruby's capitalize).
  const categoryTitle = (name: string) => `${config.title} | ${name.charAt(0).toUpperCase()}${name.slice(1).toLowerCase()}`;
  for (const category of views.categories) feed(`/feed/${category.slug}.xml`, categoryTitle(category.name), category.posts, category);
  // jekyll-feed's category feeds, where it writes them: `/feed/<name>.xml` with the name as
  // `feed.categories` lists it, holding the posts filed under exactly that name, so subscribers'
  // links keep working after a move. A name that is its own slug already has its feed above.
  for (const name of config.feed.categories) {
    const feedUrl = `/feed/${name}.xml`;
    if (pages.some((page) => page.url === feedUrl)) continue;
    const category = views.categories.find((group) => group.slug === termSlug(name));
    feed(feedUrl, categoryTitle(name), allPosts.filter((post) => post.categories.includes(name)), category);
  }

  const isMade = (page: IndexPage) => !leftToSite({ outputPath: outputPathOf(page.url), layout: page.layout });
  const made = pages.filter(isMade);
  const listed = new Set<string>();
  const sitemapEntries = [
    ...allPosts.filter((post) => post.sitemap !== false).map((post) => ({ url: post.url, lastmod: post.last_modified_at ?? post.date })),
    ...made.filter((page) => page.sitemap !== false).map((page) => ({ url: page.url, lastmod: null })),
    // jekyll-sitemap leaves out the site's own not-found page.
    ...otherPages.filter((page) => page.url !== '/404.html').map((page) => ({ url: page.url, lastmod: page.lastmod ?? null })),
  ]
    // As jekyll-sitemap: a page written as …/index.html is listed by its folder.
    .map((entry) => ({ ...entry, url: entry.url.replace(/\/index\.html$/, '/') }))
    .filter((entry) => !listed.has(entry.url) && Boolean(listed.add(entry.url)));
  // The sitemap shows each post's URL and date, which its key covers, not what lists show of a
  // post: a title edit leaves it as it was.
  pages.push({ url: '/sitemap.xml', layout: 'sitemap.xml', title: 'Sitemap', extra: { entries: sitemapEntries }, sitemap: false, shows: [] });
  pages.push({ url: '/robots.txt', layout: 'robots.txt', title: 'robots.txt', sitemap: false, shows: [] });

  return pages.filter(isMade).map((page): PageJob => ({
    outputPath: outputPathOf(page.url),
    layout: page.layout,
    context: { site: views.site, page: { title: page.title, url: page.url, generated: true, ...page.extra }, paginator: page.paginator, map: views.mapView },
    content: '',
    origin: `(generated) ${page.url}`,
    dependsOn: page.shows.map((view) => views.postOf.get(view)!),
    ownPost: null,
    // Which pages exist matters too: the sitemap lists them, pagination links them.
    key: JSON.stringify([page.url, page.title, page.paginator?.page, page.paginator?.total_pages, page.layout === 'sitemap.xml' ? sitemapEntries : 0]),
  }));
}

/** A page the sitemap lists, with its date of last change where it has one. */
export interface SitemapPage {
  readonly url: string;
  readonly lastmod?: unknown;
}

function outputPathOf(url: string): string {
  return outputPathFor(url, path.posix.extname(url) || '.html');
}

function termPages(kind: 'categories' | 'tags', singular: string, title: string, groups: readonly GroupView[], allPosts: readonly PostView[]): IndexPage[] {
  return [
    { url: `/${kind}/`, layout: kind, title, extra: { terms: [...groups].sort((a, b) => a.name.localeCompare(b.name)), kind }, shows: allPosts },
    ...groups.map((group) => ({ url: group.url, layout: singular, title: group.name, extra: { term: group, kind }, shows: group.posts })),
  ];
}

/** Posts grouped by year, newest year first (posts are already newest first). */
function byYear(posts: readonly PostView[]): Array<{ year: number; posts: PostView[] }> {
  const years: Array<{ year: number; posts: PostView[] }> = [];
  for (const post of posts) {
    const year = calendarParts(post.date).year;
    const last = years[years.length - 1];
    if (last && last.year === year) last.posts.push(post);
    else years.push({ year, posts: [post] });
  }
  return years;
}

/**
 * The posts as jekyll-feed lists them (`sort: "date" | reverse`): newest first, and posts of the
 * same time in the order of their paths, the reverse of site.posts' (so a feed of same-day posts
 * cut at `posts_limit` keeps the ones Jekyll's keeps).
 */
function feedOrder(posts: readonly PostView[]): PostView[] {
  return [...posts].reverse().sort((a, b) => b.date.epochMs - a.date.epochMs);
}

/**
 * When a feed last changed, for its `<updated>`: the latest of its entries' (a post's
 * `last_modified_at`, else its date), so the feed is never older than an entry in it (RFC 4287)
 * and is the same in every build of the same posts; null for a feed without entries.
 */
function latestUpdate(posts: readonly PostView[], timeZone: string): TemplateDate | null {
  let latest: TemplateDate | null = null;
  for (const post of posts) {
    const modified = post.last_modified_at;
    const parsed = modified === undefined || modified === null || modified === '' ? null : parseDateValue(modified, timeZone, { source: 'string' });
    const updated = parsed !== null && !('error' in parsed) ? TemplateDate.of(parsed) : post.date;
    if (latest === null || updated.epochMs > latest.epochMs) latest = updated;
  }
  return latest;
}
