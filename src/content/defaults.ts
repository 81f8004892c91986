/**
 * Front matter defaults (`defaults:` in _config.yml), as Jekyll 4.3's FrontmatterDefaults
 * applies them: every set whose scope matches a file's path and type adds its values, more
 * specific scopes winning, and the file's own front matter winning over all of them. Many Jekyll
 * sites set `layout: post` for every post this way instead of in each post.
 */

import { escapeRegExp } from './files.js';

/** What a file is, for `scope: { type: ... }`: `posts`, `drafts`, `pages`, or a collection label. */
export type DefaultsType = string;

interface DefaultsSet {
  readonly scope?: Scope;
  readonly values: Record<string, unknown>;
}

/**
 * The default front matter for the file at `relativePath` (from the source, e.g.
 * `_posts/2024-01-01-x.md`, `about.md`) of `type`. `defaults` is the raw `defaults:` value;
 * sets that are not `{ scope?, values: {...} }` are ignored, as Jekyll ignores them.
 *
 * A scope `path` is a folder or file prefix (`projects`, `_posts/2024`), or a glob when it holds
 * `*` (matched folder by folder, `*` within a name, `**` across folders). With several matching
 * sets, one with a longer path wins; with equal paths, one that names a type wins.
 */
export function frontMatterDefaults(defaults: unknown, relativePath: string, type: DefaultsType): Record<string, unknown> {
  let result: Record<string, unknown> = {};
  let winning: Scope | null = null;
  for (const set of matchingSets(defaults, relativePath, type)) {
    if (hasPrecedence(winning, set.scope)) {
      result = deepMerge(result, set.values);
      winning = set.scope;
    } else {
      result = deepMerge(set.values, result);
    }
  }
  return result;
}

/**
 * A file's front matter with the defaults that apply to it, the front matter deep-merged over
 * them: what Jekyll's Document#merge_defaults gives posts and what Page#to_liquid gives pages
 * (`page.sidebar.side` from a default survives a front matter `sidebar: { show: false }`).
 */
export function applyDefaults(frontMatter: Readonly<Record<string, unknown>>, defaults: unknown, relativePath: string, type: DefaultsType): Record<string, unknown> {
  return deepMerge(frontMatterDefaults(defaults, relativePath, type), frontMatter);
}

type Scope = { readonly path?: unknown; readonly type?: unknown };

function matchingSets(defaults: unknown, relativePath: string, type: DefaultsType): Array<{ scope: Scope; values: Record<string, unknown> }> {
  return validSets(defaults)
    .map((set) => ({ scope: set.scope ?? {}, values: set.values }))
    .filter((set) => appliesType(set.scope, normalizeType(type)) && appliesPath(set.scope, relativePath));
}

/** Jekyll still reads the old singular type names (with a deprecation warning). */
function normalizeType(type: unknown): string {
  const name = String(type);
  return name === 'page' ? 'pages' : name === 'post' ? 'posts' : name === 'draft' ? 'drafts' : name;
}

function validSets(defaults: unknown): DefaultsSet[] {
  if (!Array.isArray(defaults)) return [];
  return defaults.filter((set): set is DefaultsSet => isMap(set) && isMap(set.values) && (set.scope === undefined || set.scope === null || isMap(set.scope))).map((set) => ({
    scope: set.scope ?? undefined,
    values: set.values,
  }));
}

function appliesType(scope: Scope, type: string): boolean {
  return !Object.hasOwn(scope, 'type') || scope.type === undefined || scope.type === null || normalizeType(scope.type) === type;
}

function appliesPath(scope: Scope, relativePath: string): boolean {
  const scopePath = scope.path;
  if (typeof scopePath !== 'string' || scopePath === '') return true;
  const path = sanitizePath(relativePath);
  if (scopePath.includes('*')) {
    // Dir.glob lists the files and folders the pattern names; the file is in scope when its path
    // starts with one of them.
    const regex = globRegex(scopePath.replace(/^\/+/, ''));
    const parts = path.split('/');
    for (let depth = 1; depth <= parts.length; depth++) if (regex.test(parts.slice(0, depth).join('/'))) return true;
    return false;
  }
  return path.startsWith(scopePath);
}

/** FrontmatterDefaults#has_precedence?. */
function hasPrecedence(old: Scope | null, next: Scope): boolean {
  if (old === null) return true;
  const nextPath = sanitizePath(stringOf(next.path));
  const oldPath = sanitizePath(stringOf(old.path));
  if (nextPath.length !== oldPath.length) return nextPath.length >= oldPath.length;
  if (Object.hasOwn(next, 'type')) return true;
  return !Object.hasOwn(old, 'type');
}

/** FrontmatterDefaults#sanitize_path: a leading "/" dropped. */
function sanitizePath(path: string): string {
  return path.startsWith('/') ? path.replace(/^\//, '') : path;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Dir.glob's pattern rules: `*` and `?` within a name, `**\/` any folders, `[...]`, `{a,b}`. */
function globRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*' && pattern[i + 2] === '/') {
      source += '(?:[^/]+/)*';
      i += 2;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const end = pattern.indexOf('}', i);
      if (end === -1) source += '\\{';
      else {
        source += `(?:${pattern.slice(i + 1, end).split(',').map(escapeRegExp).join('|')})`;
        i = end;
      }
    } else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

/** A YAML map: a plain object, not a list or a value such as a timestamp. */
export function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Utils.deep_merge_hashes: `over` wins; maps merge key by key. */
export function deepMerge(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isMap(current) && isMap(value) ? deepMerge(current, value) : value;
  }
  return merged;
}
