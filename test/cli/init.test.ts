import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUIRE_ROOT } from '../../src/package-root.js';
import { KNOWN_CONFIG_KEYS } from '../../src/config.js';
import { assertCompiled, filesUnder, quire, read, tempDir } from './run.js';

const QUIRE_VERSION = (JSON.parse(read(path.join(QUIRE_ROOT, 'package.json'))) as { version: string }).version;
/** 23:30 UTC on 20 March is already 08:30 on the 21st in Tokyo. */
const NOW = { QUIRE_NOW: '2024-03-20T23:30:00Z' };

beforeAll(assertCompiled);

describe('quire init', () => {
  let site: string;
  let init: Awaited<ReturnType<typeof quire>>;

  beforeAll(async () => {
    site = path.join(tempDir(), 'nested', 'second-thoughts'); // a folder that does not exist yet
    init = await quire(['init', site, '--timezone', 'Asia/Tokyo'], { env: NOW });
  });

  it('creates the blog and prints the next steps', () => {
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/^Created a new blog in .*second-thoughts: \d+ files/);
    expect(init.stdout).toContain('Next steps:');
    expect(init.stdout).toContain('npm install');
    expect(init.stdout).toContain('npm run serve');
    expect(init.stdout).toContain('quire new "My first post"');
    expect(init.stdout).toContain('posts/2024-03-21-welcome-to-quire.md');
  });

  it('writes the config, theme, welcome post, package.json, .gitignore, README and Pages workflow', () => {
    const files = filesUnder(site);
    for (const file of ['_config.yml', 'package.json', '.gitignore', 'README.md', '.github/workflows/pages.yml', 'posts/2024-03-21-welcome-to-quire.md']) {
      expect(files).toContain(file);
    }
    // The whole default theme, byte for byte.
    const theme = [...filesUnder(path.join(QUIRE_ROOT, 'templates')).map((f) => `templates/${f}`), ...filesUnder(path.join(QUIRE_ROOT, 'public')).map((f) => `public/${f}`)];
    expect(theme.length).toBeGreaterThan(5);
    for (const file of theme.filter((f) => !/(^|\/)\.|~$/.test(f))) {
      expect(read(path.join(site, file)), file).toBe(read(path.join(QUIRE_ROOT, file)));
    }
  });

  it('explains every key of _config.yml in a comment, and uses only known keys', () => {
    const text = read(path.join(site, '_config.yml'));
    const config = yaml.load(text) as Record<string, unknown>;
    expect(config.title).toBe('Second Thoughts'); // from the folder's name
    expect(config.timezone).toBe('Asia/Tokyo');
    expect(config.map).toMatchObject({ x_label: expect.any(String), y_label: expect.any(String), quadrants: expect.any(Array) });
    expect((config.map as { quadrants: unknown[] }).quadrants).toHaveLength(4);
    expect(config.feed).toMatchObject({ posts_limit: 10, excerpt_only: false });
    const lines = text.split('\n');
    for (const key of ['title', 'description', 'author', 'url', 'baseurl', 'timezone', 'permalink', 'paginate', 'lang', 'map', 'feed']) {
      expect(Object.keys(config)).toContain(key);
      const at = lines.findIndex((line) => line.startsWith(`${key}:`));
      expect(lines[at - 1], `the line before ${key}: is a comment`).toMatch(/^#/);
      expect(KNOWN_CONFIG_KEYS).toContain(key);
    }
  });

  it('dates the welcome post today in the configured zone and places it on the map', () => {
    const post = read(path.join(site, 'posts/2024-03-21-welcome-to-quire.md'));
    expect(post).toMatch(/^---\n/);
    expect(post).toContain('date: 2024-03-21 08:30:00 +0900');
    expect(post).toMatch(/^coordinates: \[[\d.]+, [\d.]+\]$/m);
    expect(post).toMatch(/^layout: post$/m);
  });

  it('writes a package.json that depends on this Quire, with build and serve scripts', () => {
    const pkg = JSON.parse(read(path.join(site, 'package.json'))) as Record<string, Record<string, string>>;
    expect(pkg.name).toBe('second-thoughts');
    expect(pkg.private).toBe(true);
    expect(pkg.dependencies).toEqual({ 'quire-ssg': `^${QUIRE_VERSION}` });
    expect(pkg.scripts).toMatchObject({ build: 'quire build', serve: 'quire serve' });
  });

  it('ignores the output, the cache and node_modules in git', () => {
    const lines = read(path.join(site, '.gitignore')).split('\n');
    expect(lines).toEqual(expect.arrayContaining(['_site/', '.quire-cache/', 'node_modules/']));
  });

  it('writes a GitHub Pages workflow that builds for production and deploys _site', () => {
    const text = read(path.join(site, '.github/workflows/pages.yml'));
    const workflow = yaml.load(text) as {
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      jobs: Record<string, { steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }>; needs?: string; environment?: { name: string } }>;
    };
    expect(workflow.permissions).toMatchObject({ pages: 'write', 'id-token': 'write' });
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    // The path GitHub serves the site from (a project site's /REPOSITORY) reaches the build.
    const build = steps.findIndex((step) => step.run === 'npm ci && npx quire build --production --baseurl "${{ steps.pages.outputs.base_path }}"');
    expect(build).toBeGreaterThan(0);
    expect(steps.findIndex((step) => step.uses?.startsWith('actions/configure-pages@') && (step as { id?: string }).id === 'pages')).toBeLessThan(build);
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-pages-artifact@'));
    expect(upload?.with).toEqual({ path: '_site' });
    expect(steps.some((step) => step.uses?.startsWith('actions/deploy-pages@'))).toBe(true);
    expect(workflow.jobs.deploy?.needs).toBe('build');
    expect(workflow.jobs.deploy?.environment?.name).toBe('github-pages');
    // Why the build gets --baseurl is said in a comment.
    expect(text).toMatch(/^#.*REPOSITORY\/, under a$/m);
  });

  it('makes a site that `quire build` builds without warnings, welcome post included', async () => {
    const destination = path.join(tempDir(), '_site');
    const built = await quire(['build', '--source', site, '--destination', destination]);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(built.stdout).toMatch(/^Built 1 post, /);
    const page = read(path.join(destination, '2024/03/21/welcome-to-quire.html'));
    expect(page).toContain('<h1 class="post-title p-name">Welcome to Quire</h1>');
    expect(page).toContain('<time datetime="2024-03-21T08:30:00+09:00">');
    expect(existsSync(path.join(destination, 'index.html'))).toBe(true);
    expect(existsSync(path.join(destination, 'css/quire.css'))).toBe(true);
    expect(read(path.join(destination, 'map/index.html'))).toContain('Welcome to Quire');
  });
});

describe('a blog with Quire installed in its own node_modules/, as quire init sets it up', () => {
  it("uses the blog's templates over the theme's, and the theme for the rest", async () => {
    const site = tempDir();
    writeFileSync(path.join(site, '_config.yml'), 'title: Mine\n');
    mkdirSync(path.join(site, 'posts'));
    writeFileSync(path.join(site, 'posts', '2024-01-01-a.md'), '---\ntitle: A\n---\nA.\n');
    mkdirSync(path.join(site, 'templates'));
    writeFileSync(path.join(site, 'templates', 'post.njk'), '---\nlayout: default\n---\n<article data-custom="MINE">{{ content }}</article>\n');
    // What `npm install` puts there: the package's files, and its dependencies beside them.
    const installed = path.join(site, 'node_modules', 'quire-ssg');
    for (const part of ['dist', 'templates', 'public', 'package.json']) cpSync(path.join(QUIRE_ROOT, part), path.join(installed, part), { recursive: true });
    symlinkSync(path.join(QUIRE_ROOT, 'node_modules'), path.join(installed, 'node_modules'));
    const run = spawnSync(process.execPath, [path.join(installed, 'dist', 'cli', 'quire.js'), 'build'], { cwd: site, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const page = read(path.join(site, '_site', '2024', '01', '01', 'a.html'));
    expect(page).toContain('<article data-custom="MINE"><p>A.</p>');
    expect(page).toContain('<link rel="stylesheet" href="/css/quire.css">');
  });
});

describe('quire init into a folder that has files', () => {
  it('refuses, names what is there, writes nothing, and exits 2', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const result = await quire(['init', dir], { env: NOW });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not empty (notes.txt)');
    expect(result.stderr).toContain('--force');
    expect(result.stdout).toBe('');
    expect(filesUnder(dir)).toEqual(['notes.txt']);
  });

  it('keeps the numbers of the folder\'s name in the title', async () => {
    for (const [name, title] of [['My Blog 2', 'My Blog 2'], ['2024', '2024'], ['blog_v2.0', 'Blog V2.0'], ['second.thoughts', 'Second Thoughts'], ['---', 'My Blog']]) {
      const dir = path.join(tempDir(), name);
      const result = await quire(['init', dir], { env: NOW });
      expect(result.status, name).toBe(0);
      expect((yaml.load(read(path.join(dir, '_config.yml'))) as { title: string }).title, name).toBe(title);
    }
  });

  it('refuses `quire init` in the current folder too', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const result = await quire(['init'], { cwd: dir, env: NOW });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the current folder is not empty');
    expect(filesUnder(dir)).toEqual(['notes.txt']);
  });

  it('with --force adds the scaffold, overwrites only scaffold files, keeps the folder\'s README, and deletes nothing', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    writeFileSync(path.join(dir, 'README.md'), 'old readme');
    writeFileSync(path.join(dir, 'templates.txt'), 'x');
    mkdirSync(path.join(dir, 'posts'));
    writeFileSync(path.join(dir, 'posts/2020-01-01-old.md'), '---\ntitle: Old\n---\nOld.\n');
    mkdirSync(path.join(dir, 'templates'));
    writeFileSync(path.join(dir, 'templates/mine.njk'), 'my template');
    const result = await quire(['init', dir, '--force', '--title', 'Forced', '--timezone', 'UTC'], { env: NOW });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('Replaced');
    expect(result.stdout).toContain('Kept your README.md\n');
    expect(read(path.join(dir, 'notes.txt'))).toBe('mine');
    expect(read(path.join(dir, 'templates/mine.njk'))).toBe('my template');
    expect(read(path.join(dir, 'posts/2020-01-01-old.md'))).toContain('title: Old');
    expect(read(path.join(dir, 'README.md'))).toBe('old readme');
    expect(existsSync(path.join(dir, 'posts/2024-03-20-welcome-to-quire.md'))).toBe(true);
    expect(existsSync(path.join(dir, '.github/workflows/pages.yml'))).toBe(true);
  });

  it('with --force adds Quire\'s lines to the folder\'s .gitignore and package.json instead of replacing them', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.gitignore'), 'secret.env\n*.log\nnode_modules/');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'mine', scripts: { test: 'node test.js', build: 'make' }, dependencies: { 'left-pad': '^1.3.0' } }));
    const result = await quire(['init', dir, '--force', '--title', 'Forced', '--timezone', 'UTC'], { env: NOW });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Kept your package.json (Quire's lines added), script build (make; Quire's is `quire build`), .gitignore (Quire's lines added)");
    expect(read(path.join(dir, '.gitignore'))).toBe('secret.env\n*.log\nnode_modules/\n# Added by quire init\n_site/\n.quire-cache/\n');
    const pkg = JSON.parse(read(path.join(dir, 'package.json'))) as { name: string; scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.name).toBe('mine');
    // The folder's own `build` stays; Quire's `serve` is added.
    expect(pkg.scripts).toEqual({ build: 'make', serve: 'quire serve', test: 'node test.js' });
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['left-pad', 'quire-ssg']);
  });

  it('treats a folder holding only .git (a fresh clone) as empty', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
    const result = await quire(['init', dir, '--timezone', 'UTC'], { env: NOW });
    expect(result.status).toBe(0);
    expect(read(path.join(dir, '.git/HEAD'))).toBe('ref: refs/heads/main\n');
    expect(existsSync(path.join(dir, '_config.yml'))).toBe(true);
  });

  it('refuses a path that is a file, and a time zone it does not know', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'file'), '');
    const onFile = await quire(['init', path.join(dir, 'file')]);
    expect(onFile.status).toBe(2);
    expect(onFile.stderr).toContain('is a file, not a folder');
    const badZone = await quire(['init', path.join(dir, 'blog'), '--timezone', 'Mars/Olympus']);
    expect(badZone.status).toBe(2);
    expect(badZone.stderr).toContain('--timezone Mars/Olympus is not a time zone');
    expect(existsSync(path.join(dir, 'blog'))).toBe(false);
  });
});

describe('production builds', () => {
  let site: string;
  beforeAll(async () => {
    site = path.join(tempDir(), 'blog');
    expect((await quire(['init', site, '--timezone', 'UTC'], { env: NOW })).status).toBe(0);
    // A layout that prints what templates see of the environment.
    writeFileSync(path.join(site, 'templates/env.njk'), 'environment={{ site.environment }}\n');
    // A site to publish has its address (without one, a production build warns).
    writeFileSync(path.join(site, '_config.yml'), read(path.join(site, '_config.yml')).replace(/^url: ""$/m, 'url: "https://example.org"'));
    writeFileSync(path.join(site, 'posts/2024-01-01-env.md'), '---\ntitle: Env\nlayout: env\n---\nx\n');
  });

  const environmentOf = async (args: string[], env: Record<string, string> = {}) => {
    const destination = path.join(tempDir(), '_site');
    const result = await quire(['build', '--source', site, '--destination', destination, ...args], { env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return { destination, environment: read(path.join(destination, '2024/01/01/env.html')).trim() };
  };

  it('is "development" by default and "production" with --production, QUIRE_ENV or JEKYLL_ENV', async () => {
    expect((await environmentOf([])).environment).toBe('environment=development');
    expect((await environmentOf(['--production'])).environment).toBe('environment=production');
    expect((await environmentOf([], { QUIRE_ENV: 'production' })).environment).toBe('environment=production');
    expect((await environmentOf([], { JEKYLL_ENV: 'production' })).environment).toBe('environment=production');
  });

  it('has no preview-only (`__quire`) code in any file', async () => {
    const { destination } = await environmentOf(['--production']);
    const files = filesUnder(destination);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(read(path.join(destination, file)), file).not.toContain('__quire');
  });
});
