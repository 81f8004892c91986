import { TemplateDate, groupHash, groupsBySlug, groupViews, postViews, showsView, type GroupView, type PostView } from './views.js';
import { renderWithLayouts, type PageContext } from './layouts.js';
import { renderingPage } from './fragments.js';
import type { TemplateSet } from './templates.js';
import type { Site, SitePost } from '../site/collections.js';
import type { BuildProblem, Output } from '../types.js';
import { toProblem } from '../errors.js';
import type { Config } from '../config.js';
import { slugify } from '../site/slugify.js';
import { MAP_DRAWING, mapModel, nearestPosts, phoneLabel, pointDrawing, type MapModel, type MapPoint, type PhoneLabel, type PointDrawing } from '../site/map.js';

/** What templates see of the whole site, built once per build and shared by every page. */
export interface SiteViews {
  readonly site: Record<string, unknown>;
  readonly posts: ReadonlyMap<SitePost, PostView>;
  readonly categories: readonly GroupView[];
  readonly tags: readonly GroupView[];
  /** The coordinate map of all posts, drawn on /map/ and (small) on every post page. */
  readonly map: MapModel;
  /** The map as templates see it: points with their post views and drawing positions. */
  readonly mapView: Record<string, unknown>;
  /** The post behind each view, so a page can say which posts it shows. */
  readonly postOf: ReadonlyMap<PostView, SitePost>;
}

/** Builds `site` for templates: the config keys plus Jekyll's `posts`, `categories`, `tags`, `time`. */
export function siteViews(site: Site): SiteViews {
  const map = mapModel(site);
  const anchors = mapAnchors(map);
  const posts = postViews(
    site,
    (post) => nearestPosts(map, post, site.config.map.nearby),
    (post) => {
      const point = map.pointOf.get(post);
      return point ? { drawX: point.drawX, drawY: point.drawY, colorIndex: point.colorIndex, anchor: anchors.get(post)!, ...pointDrawing(point.drawX, point.drawY, point.room) } : null;
    },
  );
  // site.categories keeps Jekyll's exact names; pages and feeds go by slug.
  const exactCategories = groupViews('categories', site.categories, posts);
  const exactTags = groupViews('tags', site.tags, posts);
  const order = new Map(site.posts.map((post, index) => [posts.get(post)!, index]));
  const categories = groupsBySlug(exactCategories, order);
  const tags = groupsBySlug(exactTags, order);
  const postList = site.posts.map((post) => posts.get(post)!);
  return {
    posts,
    categories,
    tags,
    map,
    mapView: mapView(map, posts, site.config.map),
    postOf: new Map([...posts].map(([post, view]) => [view, post])),
    site: {
      ...site.config,
      posts: postList,
      categories: groupHash(exactCategories),
      tags: groupHash(exactTags),
      category_list: categories,
      tag_list: tags,
      time: TemplateDate.of(site.time),
    },
  };
}

/** One page to render: its template context, layout and where it goes. */
export interface PageJob {
  readonly outputPath: string;
  readonly layout: string | null;
  readonly context: PageContext;
  /** The HTML the first layout receives as `content`. */
  readonly content: string;
  /** The file that made this page, for errors and "two sources, one output" checks. */
  readonly origin: string;
  /**
   * Every post whose data the page shows. With `key` and the site-wide inputs, this decides
   * whether a rebuild must render the page again.
   */
  readonly dependsOn: readonly SitePost[];
  /** The post whose page this is (its HTML is `content`); null for index pages. */
  readonly ownPost: SitePost | null;
  /** The line of `origin` that chose the layout, for "unknown layout" errors. */
  readonly layoutLine?: number;
  /** The page's own inputs that are not posts (title, page number...), as text. */
  readonly key: string;
}

/** A page job for each post. */
export function postJobs(site: Site, views: SiteViews): PageJob[] {
  return site.posts.map((post) => {
    const page = views.posts.get(post)!;
    const shown = [post, page.next, page.previous, ...page.nearby].flatMap((view) => (view ? [views.postOf.get(view as PostView) ?? post] : []));
    return {
      outputPath: post.outputPath,
      layout: post.layout,
      context: { site: views.site, page, map: views.mapView },
      content: post.html,
      origin: post.relativePath,
      dependsOn: shown,
      ownPost: post,
      layoutLine: post.layoutLine,
      // Where the post sits on the map can move when another post lands close to it.
      key: `${post.outputPath}\0${JSON.stringify(page.map_point)}`,
    };
  });
}

/**
 * Renders page jobs, collecting every problem instead of stopping at the first. With `onRendered`,
 * each page is handed on as soon as it is rendered instead of collected, so a caller that writes
 * it there and then never holds more than one page.
 */
export function renderJobs(set: TemplateSet, jobs: readonly PageJob[], onRendered?: (output: Output) => void): { outputs: Output[]; problems: BuildProblem[] } {
  const outputs: Output[] = [];
  const problems: BuildProblem[] = [];
  const failedTemplates = new Set<string>();
  for (const job of jobs) {
    let html: string;
    try {
      html = renderingPage(set.env, job.outputPath, () => renderWithLayouts(set, job.layout, job.context, job.content, job.origin, job.layoutLine));
    } catch (error) {
      const problem = toProblem(error, job.origin);
      // A broken template fails every page that uses it; report it once.
      const key = `${problem.file}:${problem.line}:${problem.message}`;
      if (!failedTemplates.has(key)) problems.push(problem);
      failedTemplates.add(key);
      continue;
    }
    // Outside the try: a page that cannot be written is not a mistake in the site.
    const output = { path: job.outputPath, contents: html, origin: job.origin };
    if (onRendered) onRendered(output);
    else outputs.push(output);
  }
  return { outputs, problems };
}

/**
 * Each placed post's id on the map page (`p-<slug>`, the target of `/map/#p-<slug>`), made unique
 * where posts share a slug: the oldest keeps `p-<slug>`, later ones get `-2`, `-3`, so adding a
 * post never moves an older post's anchor.
 */
function mapAnchors(map: MapModel): Map<SitePost, string> {
  const anchors = new Map<SitePost, string>();
  const taken = new Set<string>();
  for (const { post } of [...map.points].reverse()) {
    const base = `p-${slugify(post.slug, 'default')}`;
    let anchor = base;
    for (let n = 2; taken.has(anchor); n++) anchor = `${base}-${n}`;
    taken.add(anchor);
    anchors.set(post, anchor);
  }
  return anchors;
}

/** The map for templates: each point carries its post's view (title, url, categories). */
function mapView(map: MapModel, posts: ReadonlyMap<SitePost, PostView>, labels: Config['map']): Record<string, unknown> {
  // Each post's view already has its point's drawing (map_point).
  const points = map.points.map((point) => {
    const view = posts.get(point.post)!;
    const drawing = view.map_point!;
    // Written out rather than spread: 10,000 objects of one shape are made much faster.
    const shown: Omit<MapPoint, 'post'> & PointDrawing & { post: PostView; anchor: string; readonly phone: PhoneLabel } = {
      post: view,
      x: point.x,
      y: point.y,
      drawX: drawing.drawX,
      drawY: drawing.drawY,
      colorIndex: drawing.colorIndex,
      cx: drawing.cx,
      cy: drawing.cy,
      room: drawing.room,
      label_x: drawing.label_x,
      label_y: drawing.label_y,
      label_anchor: drawing.label_anchor,
      anchor: drawing.anchor,
      // From the title as it is when the map is rendered: `quire serve` edits views in place.
      get phone(): PhoneLabel {
        return phoneLabel(drawing, view.title);
      },
    };
    // The point shows the post's title: an edited title must reach the cached map parts.
    showsView(shown, view);
    return shown;
  });
  return {
    points,
    unplaced: map.unplaced.map((post) => posts.get(post)!),
    legend: map.legend,
    drawing: MAP_DRAWING,
    x_label: labels.x_label,
    y_label: labels.y_label,
    quadrants: labels.quadrants,
  };
}
