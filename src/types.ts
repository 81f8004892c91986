/**
 * The data that flows through the pipeline. Imports nothing, so every stage can share it.
 *
 *   load -> Source -> parse -> Post -> collect -> Site -> render -> Output -> write
 */

/** An instant plus the UTC offset the writer meant it in, so calendar parts never drift a day. */
export interface Instant {
  /** Milliseconds since the Unix epoch. */
  readonly epochMs: number;
  /** Offset from UTC in minutes at that instant (e.g. -420 for 2024-03-20 in America/Los_Angeles). */
  readonly offsetMinutes: number;
}

/** The calendar parts of an Instant as seen at its offset. */
export interface CalendarParts {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number; // 0 = Sunday
  readonly yearDay: number; // 1-366
}

/** Where a problem is; line and column are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * What kind of input a file is; decided by where it sits in the source tree (and, in a Jekyll
 * site, by whether it starts with front matter). `page`, `include`, `data` and `document` (a file
 * of a Jekyll collection such as `_docs/`) occur only in Jekyll sites.
 */
export type SourceKind = 'post' | 'draft' | 'page' | 'document' | 'layout' | 'include' | 'data' | 'static';

/** A file read from the source tree. Only the load stage creates these. */
export interface Source {
  readonly kind: SourceKind;
  /** Path relative to the site source, with forward slashes. */
  readonly relativePath: string;
  readonly absolutePath: string;
  /** UTF-8 text; absent for static files, which are copied without being read. */
  readonly text?: string;
  /** Last modification time; drafts without a date take it, as in Jekyll. */
  readonly mtimeMs?: number;
}

export type Coordinates = readonly [number, number];

/** A post after its front matter and file name have been read; markup not yet rendered. */
export interface Post {
  readonly kind: 'post' | 'draft';
  readonly relativePath: string;
  /** Jekyll's id, e.g. "/tech/2024/03/20/my-post". */
  readonly id: string;
  /** The slug from the file name, or `slug:` from front matter. */
  readonly slug: string;
  readonly title: string;
  readonly date: Instant;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  readonly coordinates: Coordinates | null;
  readonly layout: string | null;
  /** 1-based line of `layout:` in the file, for errors about the layout; undefined when not written. */
  readonly layoutLine?: number;
  /** 1-based line of `permalink:` in the file, for errors about the URL; undefined when not written. */
  readonly permalinkLine?: number;
  /** 'markdown' for .md/.markdown, 'html' for .html (passed through). */
  readonly format: 'markdown' | 'html';
  /** The text after the front matter. */
  readonly body: string;
  /** 1-based line in the file where `body` starts, so markup errors can point into the file. */
  readonly bodyLine: number;
  /** Every front matter key, as written (after YAML parsing). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Site-relative URL without baseurl, e.g. "/tech/2024/03/20/my-post.html". */
  readonly url: string;
  /** Output path relative to the destination, e.g. "tech/2024/03/20/my-post.html". */
  readonly outputPath: string;
}

/** The HTML made from a post's markup. */
export interface RenderedMarkup {
  readonly html: string;
  readonly excerptHtml: string;
}

/** A problem that stops the build: always names the file, and the line where there is one. */
export interface BuildProblem extends SourceLocation {
  readonly message: string;
  /** What to do about it, when we know. */
  readonly hint?: string;
  /** A few lines of the file around `line`, already formatted. */
  readonly frame?: string;
}

/** One file the build produces. */
export interface Output {
  /** Path relative to the destination, forward slashes. */
  readonly path: string;
  /** Text to write, or the absolute path of a file to copy. */
  readonly contents: string | { readonly copyFrom: string };
  /** The source file that made it (for "two sources, one output" errors). */
  readonly origin: string;
}
