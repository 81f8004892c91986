import { lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { checkDestination } from '../../src/output/write.js';
import { writeSite } from '../helpers/site.js';
import { loadConfig } from '../../src/config.js';
import { sourceFolders } from '../../src/content/load.js';
import { buildWholeSite } from '../../src/parallel/build.js';
import { readBuildState, saveBuildState } from '../../src/output/state.js';

describe('where a build may write', () => {
  const source = path.join(os.tmpdir(), 'blog');

  const quireFolders = ['posts', '_posts', '_drafts', 'drafts', 'templates', 'public'];

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
      checkDestination(source, destination, quireFolders);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(reason);
  });

  it('takes the source folders of the kind of site: public/ is a usual destination of a Jekyll site', () => {
    expect(() => checkDestination(source, path.join(source, 'public'), ['_posts', '_layouts'])).not.toThrow();
    expect(() => checkDestination(source, path.join(source, '_layouts'), ['_posts', '_layouts'])).toThrow(/it is in _layouts\//);
    const jekyll = writeSite({ '_config.yml': 'jekyll_site: true\n', '_layouts/default.html': '{{ content }}' });
    expect(sourceFolders(loadConfig(jekyll))).toEqual(expect.arrayContaining(['_posts', '_layouts', 'templates']));
    expect(sourceFolders(loadConfig(jekyll))).not.toContain('public');
  });

  it('refuses the source of another site, but not a built site, whatever it publishes', () => {
    const other = writeSite({ 'notes/_config.yml': 'title: Another blog\n', 'notes/_posts/2024-01-01-a.md': 'A', 'quire/_config.yml': 'title: Q\n', 'quire/templates/post.njk': 'x', 'news/_posts/2024-01-02-b.md': 'B' });
    expect(() => checkDestination(source, path.join(other, 'notes'))).toThrow(/it holds a site's sources \(_posts\/\)/);
    expect(() => checkDestination(source, path.join(other, 'quire'))).toThrow(/it holds a site's sources \(_config.yml and templates\/\)/);
    // A folder of posts inside the site (Jekyll's news/_posts/): the news/ folder is not a destination.
    expect(() => checkDestination(other, path.join(other, 'news'))).toThrow(/it holds a site's sources \(_posts\/\)/);
    // Posts at /posts/<slug>/ and a published _config.yml: the last build, not a source.
    const built = writeSite({ 'posts/hello/index.html': '<p>Hello</p>', '_config.yml': 'published: yes\n', 'index.html': 'Home' });
    expect(() => checkDestination(source, built)).not.toThrow();
  });

  it('refuses a file as the destination, or a file on the way to it, and leaves the file alone', async () => {
    const site = writeSite({ '_config.yml': 'title: T\n', '_posts/2024-01-01-a.md': '---\ntitle: A\n---\nA\n', 'notes.txt': 'important\n' });
    for (const [destination, reason] of [
      ['notes.txt', /cannot build into .*notes\.txt: it is a file, not a folder/],
      ['notes.txt/_site', /cannot build into .*_site: .*notes\.txt is a file, not a folder/],
    ] as const) {
      const config = loadConfig(site, { destination: path.join(site, destination) });
      await expect(buildWholeSite(config)).rejects.toThrow(reason);
      expect(readFileSync(path.join(site, 'notes.txt'), 'utf8')).toBe('important\n');
    }
  });

  it('names --destination, not _config.yml, when the refused destination came from the command line', async () => {
    const site = writeSite({ '_config.yml': 'title: T\n', '_posts/2024-01-01-a.md': '---\ntitle: A\n---\nA\n' });
    const fromFlag = await buildWholeSite(loadConfig(site, { destination: site })).catch((error: unknown) => error);
    expect(fromFlag).toBeInstanceOf(InputError);
    expect((fromFlag as InputError).toProblem()).toMatchObject({ file: '--destination', hint: expect.stringContaining('--destination') });
    writeFileSync(path.join(site, '_config.yml'), 'title: T\ndestination: .\n');
    const fromSettings = await buildWholeSite(loadConfig(site)).catch((error: unknown) => error);
    expect((fromSettings as InputError).toProblem().file).toMatch(/_config\.yml$/);
  });

  it('makes the built folder readable by others, as any new folder (not private, as a temporary folder is)', async () => {
    const site = writeSite({ '_config.yml': 'title: T\n', '_posts/2024-01-01-a.md': '---\ntitle: A\n---\nA\n' });
    const config = loadConfig(site, { destination: path.join(site, '_site') });
    const umask = process.umask(0o022);
    try {
      await buildWholeSite(config);
    } finally {
      process.umask(umask);
    }
    expect(statSync(config.destination).mode & 0o777).toBe(0o755);
  });

  it("refuses a Quire site's posts/ or drafts/ (markdown, or HTML with front matter, in folders too), but not a built posts/ of pages", () => {
    const other = writeSite({
      'blog/_config.yml': 'title: B\n',
      'blog/posts/2024-01-01-b.md': '---\ntitle: B\n---\nprecious\n',
      'drafts-only/drafts/idea.md': 'idea',
      'nested/posts/2020/2020-01-01-a.md': '---\ntitle: A\n---\nx\n',
      'html/posts/2020-01-01-a.html': '---\ntitle: A\n---\n<p>x</p>\n',
      'built/posts/hello/index.html': '<p>Hello</p>',
    });
    expect(() => checkDestination(source, path.join(other, 'blog'))).toThrow(/it holds a site's sources \(posts\/2024-01-01-b\.md\)/);
    expect(() => checkDestination(source, path.join(other, 'drafts-only'))).toThrow(/it holds a site's sources \(drafts\/idea\.md\)/);
    expect(() => checkDestination(source, path.join(other, 'nested'))).toThrow(/\(posts\/2020\/2020-01-01-a\.md\)/);
    expect(() => checkDestination(source, path.join(other, 'html'))).toThrow(/\(posts\/2020-01-01-a\.html\)/);
    expect(() => checkDestination(source, path.join(other, 'built'))).not.toThrow();
  });

  it('rebuilds a destination whose posts/ or drafts/ markdown the last build wrote itself (a site publishing drafts/ideas.md)', async () => {
    const site = writeSite({ '_config.yml': 'title: JD\n', 'index.md': '---\n---\nhome\n', '_posts/2024-01-01-a.md': '---\ntitle: A\n---\nx\n', 'drafts/ideas.md': 'ideas\n' });
    const config = loadConfig(site);
    await saveBuildState(config, (await buildWholeSite(config, { previous: null })).state);
    expect(readFileSync(path.join(site, '_site', 'drafts', 'ideas.md'), 'utf8')).toBe('ideas\n');
    for (const previous of [await readBuildState(config), null]) await expect(buildWholeSite(config, { previous, fresh: previous === null })).resolves.toBeDefined();
  });

  it('sees through symbolic links: a link to the source is the source, and a folder reached through one contains it', () => {
    const root = writeSite({ 'real/blog/_config.yml': 'title: B\n', 'real/blog/posts/2024-01-01-a.md': 'A' });
    symlinkSync(path.join(root, 'real', 'blog'), path.join(root, 'link'));
    const linked = path.join(root, 'link');
    expect(() => checkDestination(linked, path.join(root, 'real', 'blog'))).toThrow(/source folder itself/);
    expect(() => checkDestination(linked, path.join(root, 'real'))).toThrow(/contains the source/);
    expect(() => checkDestination(path.join(root, 'real', 'blog'), path.join(linked, 'posts'), quireFolders)).toThrow(/it is in posts\//);
  });

  it('makes the site where a destination link to nothing yet points', async () => {
    const root = writeSite({ 'site/_config.yml': 'title: S\n', 'site/posts/2024-01-01-a.md': '---\ntitle: A\n---\nA\n' });
    symlinkSync(path.join(root, 'www'), path.join(root, 'site', '_site'));
    await buildWholeSite(loadConfig(path.join(root, 'site')), { previous: null });
    expect(lstatSync(path.join(root, 'site', '_site')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(root, 'www', '2024', '01', '01', 'a.html'), 'utf8')).toContain('<h1');
  });

  it('keeps a destination that is a link, and puts the site where it leads', async () => {
    const root = writeSite({ 'site/_config.yml': 'title: S\n', 'site/posts/2024-01-01-a.md': '---\ntitle: A\n---\nA\n', 'www/.keep': '' });
    symlinkSync(path.join(root, 'www'), path.join(root, 'site', '_site'));
    for (const fresh of [false, true]) {
      await buildWholeSite(loadConfig(path.join(root, 'site')), { previous: null, fresh });
      expect(lstatSync(path.join(root, 'site', '_site')).isSymbolicLink()).toBe(true);
      expect(readFileSync(path.join(root, 'www', '2024', '01', '01', 'a.html'), 'utf8')).toContain('<h1');
    }
  });

  it('removes nothing outside the destination, whatever the saved state of the last build lists', async () => {
    const root = writeSite({ 'site/_config.yml': 'title: S\n', 'site/posts/2024-01-01-a.md': '---\ntitle: A\n---\nA\n', 'victim.txt': 'keep me\n' });
    const config = loadConfig(path.join(root, 'site'));
    await saveBuildState(config, (await buildWholeSite(config, { previous: null })).state);
    const stateFile = readdirSync(path.join(root, 'site', '.quire-cache')).find((name) => name.startsWith('state-'))!;
    const statePath = path.join(root, 'site', '.quire-cache', stateFile);
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    state.manifest['../../victim.txt'] = 'x';
    writeFileSync(statePath, JSON.stringify(state));
    writeFileSync(path.join(root, 'site', 'posts', '2024-01-01-a.md'), '---\ntitle: A\n---\nA again\n');
    await buildWholeSite(config, { previous: await readBuildState(config) });
    expect(readFileSync(path.join(root, 'victim.txt'), 'utf8')).toBe('keep me\n');
  });

  it('accepts a folder of its own, inside the source or beside it', () => {
    expect(() => checkDestination(source, path.join(source, '_site'))).not.toThrow();
    expect(() => checkDestination(source, path.join(os.tmpdir(), 'blog-site'))).not.toThrow();
  });
});
