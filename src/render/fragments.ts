import nunjucks from 'nunjucks';

/**
 * `{% cached post, show_excerpts %} ... {% endcached %}`: a part of a template rendered once per
 * distinct set of keys and reused while the templates stay the same, like Hugo's `partialCached`.
 * The keys must name everything the part shows: a post (or any object) counts as the same key
 * until Quire changes it in place, as it does when a post's title, excerpt or HTML is edited
 * during `quire serve`; strings and numbers count by value; an array by its items, so a long list
 * can cache blocks of items around the cached items (see templates/partials/post-list.njk), and
 * an edit re-renders one block of the list instead of walking every item.
 *
 * Only the builder behind `quire serve` keeps parts between builds: re-rendering the home page,
 * archive and map of a 10,000-post blog after a title edit then costs one list item each, not
 * 10,000. Elsewhere the tag just renders its content, so templates can use it everywhere.
 */
export function addFragmentCache(env: nunjucks.Environment, keep: boolean): void {
  env.addExtension('cached', new CachedExtension(keep));
}

/**
 * Marks an object as changed in place, so parts keyed by it are rendered again. Views call it
 * when they are refreshed from an edited post.
 */
export function touch(value: object): void {
  versions.set(value, nextVersion++);
}

const versions = new WeakMap<object, number>();
let nextVersion = 0;

function keyPart(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  // Length-prefixed, so no text can pass for two parts or for an array's separators.
  if (typeof value !== 'object' && typeof value !== 'function') {
    const text = String(value);
    return `${typeof value}:${text.length}:${text}`;
  }
  // By its items: a block of a list (`posts | batch(100)`) is a new array in every build.
  if (Array.isArray(value)) return `[${value.map(keyPart).join(',')}]`;
  let version = versions.get(value);
  if (version === undefined) {
    version = nextVersion++;
    versions.set(value, version);
  }
  return `#${version}`;
}

/**
 * Kept parts, by build: the parts of the build going on, and those of the build before. A part is
 * found among the first, or moved there from the second; when a build ends, the parts it did not
 * use are dropped. Every edit in `serve` leaves parts behind that no key will ask for again (a
 * block of 100 list items is tens of KB); this keeps what the site's pages use and no more.
 */
export class PartStore {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();

  get(key: string): string | undefined {
    const part = this.current.get(key);
    if (part !== undefined) return part;
    const kept = this.previous.get(key);
    if (kept !== undefined) {
      this.previous.delete(key);
      this.current.set(key, kept);
    }
    return kept;
  }

  set(key: string, part: string): void {
    this.current.set(key, part);
  }

  /** A whole build is done: parts it did not use are dropped at the end of the next one. */
  endBuild(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  /** How many parts are kept. */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}

/**
 * Tells the `cached` tag of an environment that a whole build is done (see PartStore). Call it
 * after every page of a site was rendered, not after a build of a few pages, which would drop the
 * parts of all the others.
 */
export function endOfBuild(env: nunjucks.Environment): void {
  const extension: unknown = env.getExtension('cached');
  if (extension instanceof CachedExtension) extension.parts.endBuild();
}

/** Node types of the Nunjucks parser, which its typings leave out. */
interface ParserNodes {
  Literal: new (line: number, column: number, value: string) => unknown;
  CallExtension: new (extension: object, method: string, args: unknown, contentArgs: unknown[]) => unknown;
}

interface Parser {
  nextToken(): { value: string; lineno: number; colno: number };
  parseSignature(throwErrors: null, noParens: boolean): { children: unknown[] };
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
}

class CachedExtension {
  readonly tags = ['cached'];
  readonly parts = new PartStore();
  private tagCount = 0;

  constructor(private readonly keep: boolean) {}

  parse(parser: Parser, nodes: ParserNodes): unknown {
    const token = parser.nextToken();
    const args = parser.parseSignature(null, true);
    // Each tag is its own family of parts, whatever its keys.
    args.children.unshift(new nodes.Literal(token.lineno, token.colno, `tag${this.tagCount++}`));
    parser.advanceAfterBlockEnd(token.value);
    const body = parser.parseUntilBlocks('endcached');
    parser.advanceAfterBlockEnd();
    return new nodes.CallExtension(this, 'run', args, [body]);
  }

  run(_context: unknown, tag: string, ...rest: unknown[]): nunjucks.runtime.SafeString {
    const body = rest.pop() as () => string;
    if (!this.keep) return new nunjucks.runtime.SafeString(body());
    const key = `${tag}\0${rest.map(keyPart).join('\0')}`;
    let part = this.parts.get(key);
    if (part === undefined) {
      part = body();
      this.parts.set(key, part);
    }
    return new nunjucks.runtime.SafeString(part);
  }
}
