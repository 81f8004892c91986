import nunjucks from 'nunjucks';
import { strftime } from '../dates.js';
import type { Instant } from '../types.js';
import type { Group, Site, SitePost } from '../site/collections.js';
import { slugify } from '../site/slugify.js';
import { BoundedMemo } from '../memo.js';
import type { PointDrawing } from '../site/map.js';
import { touch } from './fragments.js';

/**
 * A date as templates see it: filters read its instant and offset, and printing it gives Jekyll's
 * `2024-03-20 00:00:00 +0000` form.
 */
export class TemplateDate implements Instant {
  constructor(
    readonly epochMs: number,
    readonly offsetMinutes: number,
  ) {}

  static of(instant: Instant): TemplateDate {
    return new TemplateDate(instant.epochMs, instant.offsetMinutes);
  }

  toString(): string {
    return strftime(this, '%Y-%m-%d %H:%M:%S %z');
  }

  /** As Ruby's Time#to_json, which is its to_s: `{{ page.date | jsonify }}` gives what Jekyll's does. */
  toJSON(): string {
    return this.toString();
  }
}

/** A link to a category or tag page. */
export interface TermLink {
  readonly name: string;
  readonly slug: string;
  readonly url: string;
}

/** A post as templates see it (`page` on its own page, items of `site.posts`). */
export interface PostView extends Record<string, unknown> {
  readonly title: string;
  readonly url: string;
  readonly id: string;
  readonly date: TemplateDate;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  readonly category_links: readonly TermLink[];
  readonly tag_links: readonly TermLink[];
  readonly coordinates: readonly [number, number] | null;
  readonly excerpt: nunjucks.runtime.SafeString;
  readonly content: nunjucks.runtime.SafeString;
  readonly slug: string;
  readonly path: string;
  readonly draft: boolean;
  next: PostView | null;
  previous: PostView | null;
  /** The nearest other posts on the coordinate map, closest first. */
  nearby: readonly PostView[];
  /** Where the post is drawn on the map (after spreading overlaps) and its colour; null if unplaced. */
  map_point: ({ readonly drawX: number; readonly drawY: number; readonly colorIndex: number; readonly anchor: string } & PointDrawing) | null;
}

/** The URL of the page listing a category or tag, relative to the site (no baseurl). */
export function termUrl(kind: 'categories' | 'tags', name: string): string {
  return `/${kind}/${termSlug(name)}/`;
}

/** A readable, stable slug for a category or tag: letters of any script kept, lowercased. */
export function termSlug(name: string): string {
  return termSlugs.get(name);
}

// A blog has few category names and every post repeats them: slugify each once.
const termSlugs = new BoundedMemo(10_000, (name) => slugify(name, 'default') || 'untitled');

function termLinks(kind: 'categories' | 'tags', names: readonly string[]): TermLink[] {
  return names.map((name) => ({ name, slug: termSlug(name), url: termUrl(kind, name) }));
}

/**
 * Builds the template views of every post once per build, linked to their neighbours
 * (`next` is the newer post, `previous` the older, as in Jekyll).
 */
export function postViews(
  site: Site,
  nearby: (post: SitePost) => readonly SitePost[],
  mapPoint: (post: SitePost) => PostView['map_point'],
): Map<SitePost, PostView> {
  const views = new Map<SitePost, PostView>();
  for (const post of site.posts) {
    const view = postView(post);
    view.map_point = mapPoint(post);
    views.set(post, view);
  }
  const ordered = site.posts;
  for (let i = 0; i < ordered.length; i++) {
    const view = views.get(ordered[i]!)!;
    view.next = i > 0 ? views.get(ordered[i - 1]!)! : null;
    view.previous = i + 1 < ordered.length ? views.get(ordered[i + 1]!)! : null;
    view.nearby = nearby(ordered[i]!).map((near) => views.get(near)!);
  }
  return views;
}

function postView(post: SitePost): PostView {
  // A literal of fixed shape, then the other front matter keys: spreading the front matter first
  // made V8 build each of 10,000 views as a slow dictionary object.
  const view: PostView = {
    title: post.title,
    url: post.url,
    id: post.id,
    date: TemplateDate.of(post.date),
    categories: post.categories,
    tags: post.tags,
    category_links: termLinks('categories', post.categories),
    tag_links: termLinks('tags', post.tags),
    coordinates: post.coordinates,
    excerpt: new nunjucks.runtime.SafeString(post.excerptHtml),
    content: new nunjucks.runtime.SafeString(post.html),
    slug: post.slug,
    path: post.relativePath,
    // Jekyll's document fields, which themes read for "edit this page" links and checks.
    relative_path: post.relativePath,
    name: typeof post.data.name === 'string' ? post.data.name : post.relativePath.slice(post.relativePath.lastIndexOf('/') + 1),
    ext: /\.[^./]*$/.exec(post.relativePath)?.[0] ?? '',
    collection: 'posts',
    draft: post.kind === 'draft',
    layout: post.layout,
    next: null,
    previous: null,
    nearby: [],
    map_point: null,
  };
  for (const key in post.data) if (!(key in view)) view[key] = post.data[key];
  return view;
}

/** The fields of a view that link it to other views; everything else comes from its post alone. */
const LINKS = new Set(['next', 'previous', 'nearby', 'map_point']);

/**
 * Makes a view's own fields again from a new version of its post that keeps its place in the site
 * (same date, URL, categories, coordinates...): the view object stays, so every list, neighbour
 * and map point that holds it shows the new title, excerpt and front matter.
 */
export function refreshPostView(view: PostView, post: SitePost): void {
  const fresh = postView(post);
  const target = view as Record<string, unknown>;
  for (const key of Object.keys(target)) if (!LINKS.has(key) && !(key in fresh)) delete target[key];
  for (const key of Object.keys(fresh)) if (!LINKS.has(key)) target[key] = fresh[key];
  touch(view);
  const holder = holders.get(view);
  if (holder) touch(holder);
}

/** Objects made for templates that show a view's fields (a map point shows its post's title). */
const holders = new WeakMap<PostView, object>();

/** Records that `holder` shows `view`: refreshing the view touches it too (see fragments.ts). */
export function showsView(holder: object, view: PostView): void {
  holders.set(view, holder);
}

/**
 * Gives a view a post's (new) HTML. Views are made once per site assembly; when only a post's HTML
 * changed, or arrived later from a worker, swapping it in is all the rest of the site needs.
 */
export function setViewContent(view: PostView, html: string): void {
  (view as { content: nunjucks.runtime.SafeString }).content = new nunjucks.runtime.SafeString(html);
  touch(view);
}

/** A category or tag as templates see it. */
export interface GroupView extends TermLink {
  readonly posts: readonly PostView[];
  readonly size: number;
}

export function groupViews(kind: 'categories' | 'tags', groups: readonly Group[], views: Map<SitePost, PostView>): GroupView[] {
  return groups.map((group) => ({
    name: group.name,
    slug: termSlug(group.name),
    url: termUrl(kind, group.name),
    posts: group.posts.map((post) => views.get(post)!),
    size: group.posts.length,
  }));
}

/**
 * One group per page: names that share a slug (`Machine Learning`, `machine learning`) are one
 * category page and one feed, named as first written, with their posts merged newest first.
 */
export function groupsBySlug(groups: readonly GroupView[], order: ReadonlyMap<PostView, number>): GroupView[] {
  const bySlug = new Map<string, GroupView>();
  for (const group of groups) {
    const known = bySlug.get(group.slug);
    if (!known) {
      bySlug.set(group.slug, group);
      continue;
    }
    const posts = [...new Set([...known.posts, ...group.posts])].sort((a, b) => order.get(a)! - order.get(b)!);
    bySlug.set(group.slug, { ...known, posts, size: posts.length });
  }
  return [...bySlug.values()];
}

/**
 * A warning for each set of different category (or tag) names that share a page because their
 * slugs are the same (`C`, `C#` and `C++` are all /tags/c/; names of emoji alone are all
 * /tags/untitled/). Names that differ only in case are one category on purpose: no warning.
 */
export function sharedTermPageWarnings(site: Site): string[] {
  const warnings: string[] = [];
  for (const [kind, groups] of [['categories', site.categories], ['tags', site.tags]] as const) {
    const bySlug = new Map<string, string[]>();
    for (const { name } of groups) {
      const slug = termSlug(name);
      const names = bySlug.get(slug) ?? [];
      if (!names.some((other) => other.toLowerCase() === name.toLowerCase())) names.push(name);
      bySlug.set(slug, names);
    }
    for (const [slug, names] of bySlug) {
      if (names.length < 2) continue;
      const listed = names.map((name) => JSON.stringify(name)).join(', ');
      warnings.push(`${kind} ${listed} share one page, /${kind}/${slug}/, as their names make the same address; rename all but one of them to keep them apart`);
    }
  }
  return warnings;
}

/** Jekyll's `site.categories` / `site.tags`: a map from name to posts, newest first. */
export function groupHash(groups: readonly GroupView[]): Record<string, readonly PostView[]> {
  const hash: Record<string, readonly PostView[]> = {};
  for (const group of groups) hash[group.name] = group.posts;
  return hash;
}
