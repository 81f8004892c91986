import { closeSync, mkdirSync, openSync, promises as fs, readSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import v8 from 'node:v8';
import type { Config } from '../config.js';
import { hash, quireBuildId } from '../pipeline.js';
import { CACHE_FOLDER } from '../output/state.js';
import type { SitePost } from '../site/collections.js';
import type { Instant, Source } from '../types.js';
import { isHiddenInTheFuture } from './publishing.js';

/**
 * Parsed posts kept between `quire build` runs, so a post whose file did not change is neither
 * parsed nor rendered to HTML again. Lives in `.quire-cache/posts/`; deleting it only makes the
 * next build parse every post.
 *
 * Layout: `index.v8` maps each post's source path to its cache key, its summary (the post without
 * HTML, what the whole site needs) and where its HTML is; the HTML itself sits in `*.html` blobs,
 * one per shard per build, read back by byte range only for the pages that are rendered
 * again. Blobs no entry points to are deleted when the index is saved.
 */
export interface CachedPost {
  /** Identifies what the post was made from (see postCacheKey). */
  readonly key: string;
  /** The post with `body` and `html` emptied. */
  readonly summary: SitePost;
  /** Identifies what lists show of the post (see summaryKey). */
  readonly summaryKey: string;
  readonly html: HtmlRef;
}

/** Where a post's HTML is: a byte range of a blob file. */
export interface HtmlRef {
  readonly blob: string;
  readonly offset: number;
  readonly length: number;
}

interface SavedIndex {
  readonly version: number;
  readonly setup: string;
  readonly posts: Record<string, CachedPost>;
}

const INDEX_VERSION = 1;

export function postCacheFolder(config: Config): string {
  return path.join(config.source, CACHE_FOLDER, 'posts');
}

/**
 * What a post's parse and markup depend on besides its file: the whole configuration except
 * where the site is written, and Quire's code.
 */
export function markupSetup(config: Config): string {
  return hash(JSON.stringify({ ...config, destination: undefined, quire: quireBuildId() }));
}

/**
 * A post file's cache key: its path, text and, for drafts (dated by their modification time when
 * they have no date), that time.
 */
export function postCacheKey(source: Source): string {
  return hash(`${source.kind}\0${source.relativePath}\0${source.kind === 'draft' ? source.mtimeMs : ''}\0${source.text ?? ''}`);
}

/**
 * Whether a cached post or draft can stand for its file at `now`: one is cached only when it was
 * published, and stays so as time goes on, but a build told of an earlier time (a test's fixed
 * clock) must hide what is in its future, as reading the file would.
 */
export function usableAt(entry: CachedPost, config: Config, now: Instant): boolean {
  return !isHiddenInTheFuture(entry.summary.date, now, config);
}

/** The cached posts of the last build made with the same setup; empty when there is none. */
export async function readPostCache(config: Config, setup: string): Promise<Map<string, CachedPost>> {
  try {
    const saved = v8.deserialize(await fs.readFile(path.join(postCacheFolder(config), 'index.v8'))) as SavedIndex;
    if (saved.version !== INDEX_VERSION || saved.setup !== setup) return new Map();
    return new Map(Object.entries(saved.posts));
  } catch {
    return new Map();
  }
}

/**
 * Saves the index atomically and deletes the blobs it no longer uses. When more than half of the
 * bytes still kept are HTML of posts that have changed since, the live HTML is copied into one
 * new blob first, so the cache never grows far beyond the site.
 */
export async function savePostCache(config: Config, setup: string, posts: ReadonlyMap<string, CachedPost>, slackBytes = COMPACT_SLACK_BYTES): Promise<void> {
  const folder = postCacheFolder(config);
  await fs.mkdir(folder, { recursive: true });
  let entries = Object.fromEntries(posts);
  const liveBytes = new Map<string, number>();
  for (const entry of posts.values()) liveBytes.set(entry.html.blob, (liveBytes.get(entry.html.blob) ?? 0) + entry.html.length);
  const blobs = (await fs.readdir(folder)).filter((name) => name.endsWith('.html'));
  const storedBytes = blobs.filter((name) => liveBytes.has(name)).reduce((sum, name) => sum + statSync(path.join(folder, name)).size, 0);
  const live = [...liveBytes.values()].reduce((sum, bytes) => sum + bytes, 0);
  if (storedBytes > 2 * live + slackBytes) entries = compact(folder, posts);
  const temporary = path.join(folder, `index.${process.pid}.tmp`);
  await fs.writeFile(temporary, v8.serialize({ version: INDEX_VERSION, setup, posts: entries } satisfies SavedIndex));
  await fs.rename(temporary, path.join(folder, 'index.v8'));
  const used = new Set(Object.values(entries).map((entry) => entry.html.blob));
  await Promise.all(blobs.filter((name) => !used.has(name)).map((name) => fs.rm(path.join(folder, name), { force: true })));
}

/** Deletes blobs a failed build wrote, so the cache is as the last good build left it. */
export async function discardBlobs(config: Config, blobs: Iterable<string>): Promise<void> {
  await Promise.all([...blobs].map((blob) => fs.rm(path.join(postCacheFolder(config), blob), { force: true })));
}

/** Waste tolerated before compacting, so small sites never bother. */
const COMPACT_SLACK_BYTES = 4 * 1024 * 1024;

function compact(folder: string, posts: ReadonlyMap<string, CachedPost>): Record<string, CachedPost> {
  const reader = new HtmlReader(folder);
  const writer = new HtmlWriter(folder);
  try {
    const entries: Record<string, CachedPost> = {};
    for (const [file, entry] of posts) entries[file] = { ...entry, html: writer.add(reader.read(entry.html)) };
    writer.finish();
    return entries;
  } finally {
    reader.close();
  }
}

/** Appends HTML to one new blob, a megabyte at a time; refs are valid once `finish` ran. */
export class HtmlWriter {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private offset = 0;
  private fd: number | null = null;
  readonly blob = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.html`;

  constructor(private readonly folder: string) {}

  add(html: string): HtmlRef {
    const bytes = Buffer.from(html, 'utf8');
    const ref = { blob: this.blob, offset: this.offset, length: bytes.length };
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.offset += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return ref;
  }

  finish(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    if (this.fd === null) {
      mkdirSync(this.folder, { recursive: true });
      this.fd = openSync(path.join(this.folder, this.blob), 'w');
    }
    const bytes = Buffer.concat(this.pending, this.pendingBytes);
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
    this.pending.length = 0;
    this.pendingBytes = 0;
  }
}

const FLUSH_BYTES = 1 << 20;

/** Reads HTML back by byte range, keeping each blob open while it is needed. */
export class HtmlReader {
  private readonly open = new Map<string, number>();

  constructor(private readonly folder: string) {}

  read(ref: HtmlRef): string {
    // A shard whose posts all had empty HTML wrote no blob at all.
    if (ref.length === 0) return '';
    let fd = this.open.get(ref.blob);
    if (fd === undefined) {
      fd = openSync(path.join(this.folder, ref.blob), 'r');
      this.open.set(ref.blob, fd);
    }
    const bytes = Buffer.allocUnsafe(ref.length);
    let done = 0;
    while (done < ref.length) {
      const read = readSync(fd, bytes, done, ref.length - done, ref.offset + done);
      if (read === 0) throw new Error(`the post cache blob ${ref.blob} is shorter than its index says`);
      done += read;
    }
    return bytes.toString('utf8');
  }

  close(): void {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
  }
}
