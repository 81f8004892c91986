import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWholeSite } from '../../src/parallel/build.js';
import { loadConfig } from '../../src/config.js';
import { listFiles } from '../../src/content/files.js';
import { listSources, sourceKindOf } from '../../src/content/load.js';
import { FIXED_NOW, readTree, writeSite } from '../helpers/site.js';

describe('listing a content folder', () => {
  it('follows links to files and folders, leaves out broken links, and does not loop on a link back up', async () => {
    const root = writeSite({ 'public/css/site.css': 'body {}', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nA' });
    const library = writeSite({ 'a.png': 'png', 'sub/b.png': 'png' }, 'quire-library-');
    symlinkSync(library, path.join(root, 'public/images'));
    symlinkSync(path.join(library, 'a.png'), path.join(root, 'public/logo.png'));
    symlinkSync(path.join(os.tmpdir(), 'no-such-file-for-quire'), path.join(root, 'public/broken.png'));
    symlinkSync('..', path.join(root, 'public/up'));
    symlinkSync('/', path.join(root, 'public/everything'));
    symlinkSync(path.join(os.tmpdir(), 'no-such-post-for-quire.md'), path.join(root, 'posts/2024-01-02-broken.md'));
    expect(await listFiles(root, 'public')).toEqual(['public/css/site.css', 'public/images/a.png', 'public/images/sub/b.png', 'public/logo.png']);
    expect(await listFiles(root, 'posts')).toEqual(['posts/2024-01-01-a.md']);
  });

  it('does not follow a link into the site\'s output, which would copy the last build into the next, even through a linked path', async () => {
    const root = writeSite({ '_config.yml': 'timezone: UTC\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nA', '_site/index.html': 'old', 'public/a.css': 'a' });
    symlinkSync('../_site', path.join(root, 'public/old-site'));
    expect((await listSources(loadConfig(root))).map((entry) => entry.relativePath)).toEqual(['posts/2024-01-01-a.md', 'public/a.css']);
    const viaLink = path.join(writeSite({}, 'quire-links-'), 'blog');
    symlinkSync(root, viaLink);
    expect((await listSources(loadConfig(viaLink))).map((entry) => entry.relativePath)).toEqual(['posts/2024-01-01-a.md', 'public/a.css']);
  });

  it('follows two links into one library, whatever their order', async () => {
    const root = writeSite({ 'public/a.css': 'a' });
    const library = writeSite({ '2024/x.png': 'x', 'y.png': 'y' }, 'quire-library-');
    symlinkSync(path.join(library, '2024'), path.join(root, 'public/a2024'));
    symlinkSync(library, path.join(root, 'public/zall'));
    expect(await listFiles(root, 'public')).toEqual(['public/a.css', 'public/a2024/x.png', 'public/zall/2024/x.png', 'public/zall/y.png']);
  });

  it('builds a site whose static folder links to images elsewhere', async () => {
    const root = writeSite({ 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nA' });
    const library = writeSite({ 'photo.jpg': 'jpeg bytes' }, 'quire-library-');
    mkdirSync(path.join(root, 'public'));
    symlinkSync(library, path.join(root, 'public/images'));
    writeFileSync(path.join(root, '_config.yml'), 'timezone: UTC\n');
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    await buildWholeSite(config, { now: FIXED_NOW });
    expect(readTree(config.destination).get('images/photo.jpg')).toBe('jpeg bytes');
  });
});

describe('exclude: in a Quire site', () => {
  it('leaves out single files of the content folders, as Jekyll does for posts, unless include: names them', async () => {
    const root = writeSite({
      '_config.yml': 'exclude: [posts/2024-01-01-a.md, "*.psd", posts/2024-01-03-c.md]\ninclude: [2024-01-03-c.md]\n',
      'posts/2024-01-01-a.md': 'A',
      'posts/2024-01-02-b.md': 'B',
      'posts/2024-01-03-c.md': 'C',
      'public/cover.psd': 'layers',
      'public/cover.png': 'pixels',
    });
    const config = loadConfig(root);
    expect((await listSources(config)).map((entry) => entry.relativePath)).toEqual(['posts/2024-01-02-b.md', 'posts/2024-01-03-c.md', 'public/cover.png']);
    // The watcher in `quire serve` agrees.
    expect(sourceKindOf(config, 'posts/2024-01-01-a.md')).toBeNull();
    expect(sourceKindOf(config, 'public/cover.psd')).toBeNull();
    expect(sourceKindOf(config, 'posts/2024-01-03-c.md')).toBe('post');
  });

  it('takes a pattern for whole names there: `temp` does not take templates/, as Jekyll\'s plain prefix would', async () => {
    const root = writeSite({ '_config.yml': 'exclude: [temp, pub, post, "templates/draft-*"]\n', 'posts/2024-01-01-a.md': 'A', 'templates/post.njk': 'x', 'templates/draft-post.njk': 'y', 'public/a.css': 'a' });
    const config = loadConfig(root);
    expect((await listSources(config)).map((entry) => entry.relativePath)).toEqual(['posts/2024-01-01-a.md', 'templates/post.njk', 'public/a.css']);
  });
});
