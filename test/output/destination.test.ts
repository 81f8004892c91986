import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { checkDestination } from '../../src/output/write.js';
import { writeSite } from '../helpers/site.js';

describe('where a build may write', () => {
  const source = path.join(os.tmpdir(), 'blog');

  it.each([
    ['the source folder itself', source, /source folder itself/],
    ['a folder that contains the source', path.dirname(source), /contains the source/],
    ['the home folder', os.homedir(), /home folder|contains the source/],
    ['the filesystem root', path.parse(source).root, /root of the filesystem/],
    ['the posts folder', path.join(source, 'posts'), /it is in posts\/, which the site is built from/],
    ['a folder inside the templates', path.join(source, 'templates', 'out'), /it is in templates\/, which the site is built from/],
    ['the static files folder', path.join(source, 'public'), /it is in public\/, which the site is built from/],
    ["Jekyll's posts folder", path.join(source, '_posts'), /it is in _posts\/, which the site is built from/],
  ])('refuses %s', (_, destination, reason) => {
    let error: unknown;
    try {
      checkDestination(source, destination);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(reason);
  });

  it('refuses a folder that holds the sources of a site, wherever it is', () => {
    const other = writeSite({ 'notes/_config.yml': 'title: Another blog\n', 'news/_posts/2024-01-01-a.md': 'A' });
    expect(() => checkDestination(source, path.join(other, 'notes'))).toThrow(/it holds a site's sources \(_config.yml\)/);
    expect(() => checkDestination(other, path.join(other, 'news'))).toThrow(/it holds a site's sources \(_posts\)/);
    expect(() => checkDestination(other, path.join(other, 'fresh-out'))).not.toThrow();
    // A built site with posts at /posts/<slug>/ is the last build, not a source.
    const built = writeSite({ 'posts/hello/index.html': '<p>Hello</p>', 'index.html': 'Home' });
    expect(() => checkDestination(other, built)).not.toThrow();
  });

  it('accepts a folder of its own, inside the source or beside it', () => {
    expect(() => checkDestination(source, path.join(source, '_site'))).not.toThrow();
    expect(() => checkDestination(source, path.join(os.tmpdir(), 'blog-site'))).not.toThrow();
  });
});
