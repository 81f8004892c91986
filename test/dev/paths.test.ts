import { describe, expect, it } from 'vitest';
import { resolveRequestPath, urlsOf } from '../../src/dev/paths.js';

const files = new Set(['index.html', 'map/index.html', 'css/quire.css', 'about.html', 'feed.xml', 'tech/2024/01/01/post.html', 'open source/index.html']);

describe('resolveRequestPath', () => {
  it.each([
    ['/', { kind: 'file', path: 'index.html' }],
    ['/map/', { kind: 'file', path: 'map/index.html' }],
    ['/map', { kind: 'redirect', location: '/map/' }],
    ['/css/quire.css', { kind: 'file', path: 'css/quire.css' }],
    ['/about', { kind: 'file', path: 'about.html' }],
    ['/feed.xml', { kind: 'file', path: 'feed.xml' }],
    ['/open%20source/', { kind: 'file', path: 'open source/index.html' }],
    ['//css//quire.css', { kind: 'file', path: 'css/quire.css' }],
    ['/nope', { kind: 'not-found' }],
    ['/tech/', { kind: 'not-found' }],
  ])('%s', (raw, expected) => {
    expect(resolveRequestPath(raw, '', files)).toEqual(expected);
  });

  it.each([
    ['/../../etc/passwd', 400],
    ['/%2e%2e/%2e%2e/etc/passwd', 400],
    ['/..%2f..%2fetc%2fpasswd', 400],
    ['/%2e%2e%5c%2e%2e%5cetc%5cpasswd', 400],
    ['/css/..\\..\\x', 400],
    ['/%00../etc/passwd', 400],
    ['/%c0%ae%c0%ae/etc/passwd', 400],
    ['/%E0%A4%A', 400],
    ['/./index.html', 400],
    [`/${'a'.repeat(10_000)}`, 414],
  ])('refuses %s', (raw, status) => {
    const result = resolveRequestPath(raw, '', files);
    expect(result).toMatchObject({ kind: 'bad-request', status });
  });

  it('treats names that only look like traversal as plain names', () => {
    expect(resolveRequestPath('/....//....//etc/passwd', '', files)).toEqual({ kind: 'not-found' });
  });

  it('serves only below the baseurl and sends / there', () => {
    expect(resolveRequestPath('/', '/blog', files)).toEqual({ kind: 'redirect', location: '/blog/' });
    expect(resolveRequestPath('/blog', '/blog', files)).toEqual({ kind: 'redirect', location: '/blog/' });
    expect(resolveRequestPath('/blog/', '/blog', files)).toEqual({ kind: 'file', path: 'index.html' });
    expect(resolveRequestPath('/blog/map/', '/blog', files)).toEqual({ kind: 'file', path: 'map/index.html' });
    expect(resolveRequestPath('/blog/map', '/blog', files)).toEqual({ kind: 'redirect', location: '/blog/map/' });
    expect(resolveRequestPath('/map/', '/blog', files)).toEqual({ kind: 'not-found' });
    expect(resolveRequestPath('/blogger/', '/blog', files)).toEqual({ kind: 'not-found' });
  });
});

describe('urlsOf', () => {
  it('lists the URLs a reader may have open for a file', () => {
    expect(urlsOf('index.html', '')).toEqual(['/', '/index.html']);
    expect(urlsOf('map/index.html', '/blog')).toEqual(['/blog/map/', '/blog/map/index.html']);
    expect(urlsOf('a/b.html', '')).toEqual(['/a/b.html', '/a/b']);
    expect(urlsOf('css/quire.css', '')).toEqual(['/css/quire.css']);
  });
});
