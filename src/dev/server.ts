import { promises as fs } from 'node:fs';
import http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import path from 'node:path';
import send from 'send';
import type { Manifest } from '../output/write.js';
import { PortInUseError } from '../errors.js';
import { liveReloadScript } from './client.js';
import { MAX_PATH_LENGTH, resolveRequestPath, urlsOf } from './paths.js';

/** Where preview-only endpoints live; no site file can be there (`_`-less names are the site's). */
const EVENTS_PATH = '/__quire/events';
const SCRIPT_PATH = '/__quire/live.js';
/** The live-reload script's tag; on a page of the site it carries the version it serves (see openEvents). */
const scriptTag = (version?: string) => `<script src="${SCRIPT_PATH}"${version === undefined ? '' : ` data-version="${version.replace(/[^\w+/=.:-]/g, '')}"`} defer></script>`;
/** SSE comment lines keep idle connections open through proxies and tell us when clients left. */
const HEARTBEAT_MS = 15_000;

export interface PreviewServerOptions {
  /** The built site's folder. */
  readonly root: string;
  readonly baseurl: string;
  readonly host: string;
  readonly port: number;
  /** When the port is taken, try the next ones instead of failing (the default port only). */
  readonly tryNextPorts: boolean;
}

/** A site's file list as the server knows it: path -> fingerprint (from the build manifest). */
type Files = Map<string, string>;

/**
 * Serves the built site on one address for preview: only files the last build wrote, HTML with the
 * live-reload script added, the site's 404.html for anything else, and a Server-Sent Events
 * stream that tells open pages what changed.
 */
export class PreviewServer {
  private files: Files = new Map();
  private readonly html = new Map<string, { fingerprint: string; body: Buffer }>();
  /** Open event streams, with the path of the page each belongs to (null when it did not say). */
  private readonly clients = new Map<http.ServerResponse, string | null>();
  private problems: string[] | null = null;
  private readonly server: http.Server;
  private heartbeat: NodeJS.Timeout | undefined;
  private rootReal: string | undefined;
  /** Where the site is and the path it is served under: `_config.yml` may change both. */
  private site: { root: string; baseurl: string };

  constructor(private readonly options: PreviewServerOptions) {
    this.site = { root: options.root, baseurl: options.baseurl };
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('Internal error while serving this file.\n');
      });
    });
    // Headers larger than this are refused by Node with 431; keep the default but bound the time.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
  }

  /** Starts listening; resolves with the URL readers open. */
  async listen(): Promise<string> {
    const { host, tryNextPorts } = this.options;
    let port = this.options.port;
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          this.server.once('error', reject);
          this.server.listen(port, host, () => {
            this.server.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !tryNextPorts || attempt >= 20) throw new PortInUseError(port, host);
        port++;
      }
    }
    this.heartbeat = setInterval(() => this.broadcast(': heartbeat\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
    return this.url;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}${this.site.baseurl}/`;
  }

  /** Whether the server is listening (not yet closed). */
  get listening(): boolean {
    return this.server.listening;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Serves the site from another folder or under another `baseurl` (after `_config.yml` changed). */
  moveTo(root: string, baseurl: string): void {
    if (root !== this.site.root) {
      this.rootReal = undefined;
      this.html.clear();
    }
    this.site = { root, baseurl };
  }

  /** Switches to a new build's files. */
  setFiles(manifest: Manifest): void {
    this.files = new Map(Object.entries(manifest));
    for (const [file, cached] of this.html) if (this.files.get(file) !== cached.fingerprint) this.html.delete(file);
    this.problems = null;
  }

  /** Takes note of a few files rewritten since setFiles (see Builder.writePagesFirst). */
  updateFiles(changed: Readonly<Record<string, string>>): void {
    for (const [file, fingerprint] of Object.entries(changed)) {
      this.files.set(file, fingerprint);
      this.html.delete(file);
    }
  }

  /** The output files of the pages open in browsers now. */
  openPages(): Set<string> {
    const pages = new Set<string>();
    for (const page of this.clients.values()) {
      if (page === null) continue;
      const resolution = resolveRequestPath(page, this.site.baseurl, this.files);
      if (resolution.kind === 'file') pages.add(resolution.path);
    }
    return pages;
  }

  /** Tells open pages which output files changed, so they reload or swap stylesheets. */
  notifyChanged(outputPaths: readonly string[]): void {
    const urls = outputPaths.flatMap((file) => urlsOf(file, this.site.baseurl));
    this.broadcast(`event: change\ndata: ${JSON.stringify({ urls })}\n\n`);
    this.broadcast('event: ok\ndata: {}\n\n');
  }

  /** Shows build problems over every open page until the next good build. */
  notifyProblems(problems: readonly string[]): void {
    this.problems = [...problems];
    this.broadcast(`event: problems\ndata: ${JSON.stringify(this.problems)}\n\n`);
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const client of this.clients.keys()) client.end();
    this.clients.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private broadcast(message: string): void {
    for (const client of this.clients.keys()) client.write(message);
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!isAllowedHost(request.headers.host, this.options.host)) {
      // A page on another site whose name was pointed at 127.0.0.1 (DNS rebinding) must not read the preview.
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('This preview answers only to its own address (an IP address, localhost, or the --host it was given).\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Method not allowed\n');
      return;
    }
    const [rawPath = '/', query] = (request.url ?? '/').split('#')[0]!.split(/\?(.*)/s);
    if (rawPath === EVENTS_PATH) return this.openEvents(request, response);
    if (rawPath === SCRIPT_PATH) {
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
      response.end(liveReloadScript(EVENTS_PATH));
      return;
    }
    const resolution = resolveRequestPath(rawPath, this.site.baseurl, this.files);
    switch (resolution.kind) {
      case 'bad-request':
        response.writeHead(resolution.status, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(`Bad request: ${resolution.reason}\n`);
        return;
      case 'redirect':
        response.writeHead(301, { Location: query ? `${resolution.location}?${query}` : resolution.location, 'Cache-Control': 'no-cache' });
        response.end();
        return;
      case 'not-found':
        return this.notFound(request, response);
      case 'file':
        return this.serveFile(request, response, resolution.path, 200);
    }
  }

  private async notFound(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (this.files.has('404.html')) return this.serveFile(request, response, '404.html', 404);
    this.bareNotFound(request, response);
  }

  /**
   * No 404 page (the site has none, has not built yet, or its files are gone): a bare one, with
   * the live-reload script, so it shows the build's problems and reloads once the page exists.
   */
  private bareNotFound(request: http.IncomingMessage, response: http.ServerResponse): void {
    response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : NOT_FOUND_PAGE);
  }

  private async serveFile(request: http.IncomingMessage, response: http.ServerResponse, file: string, status: number): Promise<void> {
    if (file.endsWith('.html')) return this.serveHtml(request, response, file, status);
    const absolute = path.join(this.site.root, file);
    if (!(await this.isInsideRoot(absolute))) return this.notFound(request, response);
    send(request, `/${file.split('/').map(encodeURIComponent).join('/')}`, { root: this.site.root, dotfiles: 'allow', index: false, cacheControl: false })
      .on('headers', (res: http.ServerResponse) => res.setHeader('Cache-Control', 'no-cache'))
      // A file gone before it was opened is not found; one that fails part way has sent its headers: end it.
      .on('error', () => (response.headersSent ? response.destroy() : void this.notFound(request, response).catch(() => response.destroy())))
      .pipe(response);
  }

  /** HTML comes from memory, with the live-reload script added; revalidated by fingerprint. */
  private async serveHtml(request: http.IncomingMessage, response: http.ServerResponse, file: string, status: number): Promise<void> {
    const fingerprint = this.files.get(file) ?? '';
    let cached = this.html.get(file);
    if (!cached || cached.fingerprint !== fingerprint) {
      const absolute = path.join(this.site.root, file);
      // Outside the site, or gone from it since the build (a deleted _site/ while a build fails).
      const text = (await this.isInsideRoot(absolute)) ? await fs.readFile(absolute, 'utf8').catch(() => null) : null;
      if (text === null) return file === '404.html' ? this.bareNotFound(request, response) : this.notFound(request, response);
      cached = { fingerprint, body: Buffer.from(withLiveReload(text, fingerprint)) };
      this.html.set(file, cached);
    }
    const etag = `"${fingerprint}"`;
    const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', ETag: etag, 'Content-Length': cached.body.length };
    if (status === 200 && request.headers['if-none-match'] === etag) {
      response.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache' });
      response.end();
      return;
    }
    response.writeHead(status, headers);
    response.end(request.method === 'HEAD' ? undefined : cached.body);
  }

  /** A file is served only if its real path (symlinks resolved) is inside the site's folder. */
  private async isInsideRoot(absolute: string): Promise<boolean> {
    try {
      this.rootReal ??= await fs.realpath(this.site.root);
      const real = await fs.realpath(absolute);
      return real.startsWith(this.rootReal + path.sep);
    } catch {
      return false;
    }
  }

  private openEvents(request: http.IncomingMessage, response: http.ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    // A HEAD request gets the headers only: it is not a page listening for changes.
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    response.write('retry: 1000\n\n');
    // A stream that opens says where things stand: the problems, or none (a tab that was out of
    // sight may still show an overlay the fix took away).
    response.write(this.problems ? `event: problems\ndata: ${JSON.stringify(this.problems)}\n\n` : 'event: ok\ndata: {}\n\n');
    const query = new URL(request.url ?? '/', 'http://preview').searchParams;
    const page = query.get('page');
    const known = page !== null && page.length <= MAX_PATH_LENGTH ? page : null;
    this.clients.set(response, known);
    // A page that shows an older version than the site now has (it changed while the tab was out
    // of sight, or while the server was restarting) is told so at once.
    const version = query.get('version');
    if (known !== null && version) {
      const resolution = resolveRequestPath(known, this.site.baseurl, this.files);
      if (resolution.kind === 'file' && this.files.get(resolution.path) !== undefined && this.files.get(resolution.path) !== version) {
        response.write(`event: change\ndata: ${JSON.stringify({ urls: [decodedPath(known)] })}\n\n`);
      }
    }
    request.on('close', () => this.clients.delete(response));
  }
}

/** Adds the live-reload script before `</body>` (or at the end when there is none). */
export function withLiveReload(html: string, version?: string): string {
  const at = html.lastIndexOf('</body>');
  const tag = scriptTag(version);
  return at === -1 ? html + tag : html.slice(0, at) + tag + html.slice(at);
}

/** What a path the site has no file for gets when the site has no 404.html (or no build yet). */
const NOT_FOUND_PAGE = withLiveReload('<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Not found</title></head>\n<body><p>Not found.</p></body>\n</html>\n');

/** A page's path as the live-reload script compares it (decodeURI of location.pathname). */
function decodedPath(page: string): string {
  try {
    return decodeURI(page);
  } catch {
    return page;
  }
}

/**
 * Whether a request's Host names this server as a reader would: an IP address, `localhost` (or a
 * name under it), or the host the server was started with. Any other name reached it through a
 * DNS record pointing at this machine, which is how a web page reads a local server it does not own.
 */
export function isAllowedHost(header: string | undefined, serverHost: string): boolean {
  if (header === undefined) return true; // HTTP/1.0 clients send none
  const name = header.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === serverHost.toLowerCase() || name === 'localhost' || name.endsWith('.localhost')) return true;
  return isIP(name) !== 0;
}
