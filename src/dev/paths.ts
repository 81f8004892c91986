/**
 * Maps a request path to a file of the built site, refusing anything that could reach outside it.
 * Pure: it only consults the set of files the last build wrote, never the disk, so no request can
 * name a file the build did not make.
 */

/** Requests longer than this are refused (414) before any decoding. */
export const MAX_PATH_LENGTH = 2048;

export type Resolution =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad-request'; readonly status: 400 | 414; readonly reason: string };

/**
 * Resolves `rawPath` (the request target's path, still percent-encoded) against the site's files.
 * `/x/` serves `x/index.html`; `/x` serves the file `x`, else `x.html` (Jekyll's serve does too),
 * else redirects to `/x/` when that is a folder with an index. Everything outside `baseurl` is
 * not found, except `/`, which redirects to the baseurl.
 */
export function resolveRequestPath(rawPath: string, baseurl: string, files: { has(file: string): boolean }): Resolution {
  if (rawPath.length > MAX_PATH_LENGTH) return { kind: 'bad-request', status: 414, reason: 'path too long' };
  if (!rawPath.startsWith('/')) return { kind: 'bad-request', status: 400, reason: 'path must start with /' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad-request', status: 400, reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { kind: 'bad-request', status: 400, reason: 'NUL byte in path' };
  if (decoded.includes('\\')) return { kind: 'bad-request', status: 400, reason: 'backslash in path' };
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) return { kind: 'bad-request', status: 400, reason: 'dot segment in path' };

  if (baseurl !== '') {
    if (decoded === '/' || decoded === baseurl) return { kind: 'redirect', location: `${baseurl}/` };
    if (!decoded.startsWith(`${baseurl}/`)) return { kind: 'not-found' };
    decoded = decoded.slice(baseurl.length);
  }
  const relative = decoded.replace(/^\/+/, '').replace(/\/{2,}/g, '/');
  if (relative === '' || relative.endsWith('/')) {
    const index = `${relative}index.html`;
    return files.has(index) ? { kind: 'file', path: index } : { kind: 'not-found' };
  }
  if (files.has(relative)) return { kind: 'file', path: relative };
  if (files.has(`${relative}.html`)) return { kind: 'file', path: `${relative}.html` };
  if (files.has(`${relative}/index.html`)) return { kind: 'redirect', location: `${baseurl}/${encodePath(relative)}/` };
  return { kind: 'not-found' };
}

function encodePath(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

/** The URLs a reader may have used for an output file, for telling open pages they changed. */
export function urlsOf(outputPath: string, baseurl: string): string[] {
  const url = `${baseurl}/${outputPath}`;
  if (outputPath === 'index.html') return [`${baseurl}/`, url];
  if (outputPath.endsWith('/index.html')) return [url.slice(0, -'index.html'.length), url];
  if (outputPath.endsWith('.html')) return [url, url.slice(0, -'.html'.length)];
  return [url];
}
