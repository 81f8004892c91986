import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertCompiled, filesUnder, quire, read, tempDir } from './run.js';

/** Half past eleven at night in UTC: already tomorrow in Tokyo, still the afternoon in Los Angeles. */
const LATE = { QUIRE_NOW: '2024-03-20T23:30:00Z' };

beforeAll(assertCompiled);

/** A site with this _config.yml; with none, a site of posts alone (an empty posts/). */
function siteWith(config: string | null): string {
  const dir = tempDir('quire-new-');
  if (config !== null) writeFileSync(path.join(dir, '_config.yml'), config);
  else mkdirSync(path.join(dir, 'posts'));
  return dir;
}

function frontMatter(text: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) throw new Error(`no front matter in ${text}`);
  return yaml.load(match[1]!) as Record<string, unknown>;
}

describe('quire new: the date is today in the site zone', () => {
  it('Asia/Tokyo: 23:30 UTC on the 20th is the 21st', async () => {
    const site = siteWith('title: T\ntimezone: Asia/Tokyo\n');
    const result = await quire(['new', 'Post title', '--source', site], { env: LATE });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(filesUnder(site)).toContain('posts/2024-03-21-post-title.md');
    expect(result.stdout).toMatch(/Created .*posts\/2024-03-21-post-title\.md\n$/);
    expect(read(path.join(site, 'posts/2024-03-21-post-title.md'))).toContain('date: 2024-03-21 08:30:00 +0900\n');
  });

  it('America/Los_Angeles: 23:30 UTC on the 20th is still the 20th', async () => {
    const site = siteWith('title: T\ntimezone: America/Los_Angeles\n');
    const result = await quire(['new', 'Post title', '--source', site], { env: LATE });
    expect(result.status).toBe(0);
    expect(filesUnder(site)).toEqual(['_config.yml', 'posts/2024-03-20-post-title.md']);
    expect(read(path.join(site, 'posts/2024-03-20-post-title.md'))).toContain('date: 2024-03-20 16:30:00 -0700\n');
  });

  it('uses the machine zone when _config.yml names none (or there is no _config.yml)', async () => {
    const tokyo = siteWith('title: T\n');
    expect((await quire(['new', 'Post title', '--source', tokyo], { env: { ...LATE, TZ: 'Asia/Tokyo' } })).status).toBe(0);
    expect(filesUnder(tokyo)).toContain('posts/2024-03-21-post-title.md');
    const losAngeles = siteWith(null);
    expect((await quire(['new', 'Post title', '--source', losAngeles], { env: { ...LATE, TZ: 'America/Los_Angeles' } })).status).toBe(0);
    expect(filesUnder(losAngeles)).toEqual(['posts/2024-03-20-post-title.md']);
  });

  it('runs in the current folder without --source, and takes an unquoted title', async () => {
    const site = siteWith('timezone: UTC\n');
    const result = await quire(['new', 'My', 'first', 'post'], { cwd: site, env: LATE });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('Created posts/2024-03-20-my-first-post.md\n');
    expect(frontMatter(read(path.join(site, 'posts/2024-03-20-my-first-post.md'))).title).toBe('My first post');
  });
});

describe('quire new: the file', () => {
  it('is named after at most about 100 bytes of a long title, cut at a word; the title is kept whole', async () => {
    const site = siteWith('timezone: UTC\n');
    const title = Array.from({ length: 20 }, () => 'Extraordinarily').join(' ');
    const result = await quire(['new', title], { cwd: site, env: LATE });
    expect(result.status).toBe(0);
    const name = `2024-03-20-${Array.from({ length: 6 }, () => 'extraordinarily').join('-')}.md`;
    expect(result.stdout).toBe(`Created posts/${name}\n`);
    expect(frontMatter(read(path.join(site, 'posts', name))).title).toBe(title);
    const wide = await quire(['new', 'Ü'.repeat(200)], { cwd: site, env: LATE });
    expect(wide.stdout).toBe(`Created posts/2024-03-20-${'ü'.repeat(50)}.md\n`);
    // Whole characters even outside the BMP (4 bytes, two UTF-16 units each).
    const far = await quire(['new', '𝔸'.repeat(30)], { cwd: site, env: LATE });
    expect(far.stdout).toBe(`Created posts/2024-03-20-${'𝔸'.repeat(25)}.md\n`);
  });

  it('has title, layout: post, categories: [], a date, and a commented coordinates line', async () => {
    const site = siteWith('timezone: UTC\n');
    expect((await quire(['new', 'Post title', '--source', site], { env: LATE })).status).toBe(0);
    const text = read(path.join(site, 'posts/2024-03-20-post-title.md'));
    expect(text).toMatch(/^# coordinates: \[0\.5, 0\.5\]$/m);
    const data = frontMatter(text);
    expect(data).toMatchObject({ title: 'Post title', layout: 'post', categories: [] });
    expect(data).not.toHaveProperty('coordinates');
    expect(String(data.date)).toMatch(/^2024-03-20/);
  });

  it('slugs the title as Jekyll does and keeps punctuation and quotes in the title', async () => {
    const site = siteWith('timezone: UTC\n');
    const title = 'Hello, "World": Ça va? #1';
    expect((await quire(['new', title, '--source', site], { env: LATE })).status).toBe(0);
    const file = path.join(site, 'posts/2024-03-20-hello-world-ça-va-1.md');
    expect(frontMatter(read(file)).title).toBe(title);
  });

  it('uses _posts/ in a Jekyll site that has it and no posts/', async () => {
    const site = siteWith('timezone: UTC\n');
    mkdirSync(path.join(site, '_posts'));
    expect((await quire(['new', 'Post title', '--source', site], { env: LATE })).status).toBe(0);
    expect(filesUnder(site)).toContain('_posts/2024-03-20-post-title.md');
  });

  it('--draft writes _drafts/post-title.md without a date', async () => {
    const site = siteWith('timezone: UTC\n');
    const result = await quire(['new', 'Post title', '--draft', '--source', site], { env: LATE });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Created .*_drafts\/post-title\.md\n$/);
    expect(filesUnder(site)).toEqual(['_config.yml', '_drafts/post-title.md']);
    const data = frontMatter(read(path.join(site, '_drafts/post-title.md')));
    expect(data).toEqual({ layout: 'post', title: 'Post title', categories: [] });
  });

  it('makes a post that builds', async () => {
    const site = siteWith('title: T\ntimezone: UTC\n');
    expect((await quire(['new', 'Post title', '--source', site], { env: LATE })).status).toBe(0);
    writeFileSync(path.join(site, 'posts/2024-03-20-post-title.md'), `${read(path.join(site, 'posts/2024-03-20-post-title.md'))}Some words.\n`);
    const built = await quire(['build', '--source', site]);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(read(path.join(site, '_site/2024/03/20/post-title.html'))).toContain('Some words.');
  });
});

describe('quire new never overwrites', () => {
  it('a post: it names the file, exits 1 and leaves the file as it was', async () => {
    const site = siteWith('timezone: UTC\n');
    mkdirSync(path.join(site, 'posts'));
    const file = path.join(site, 'posts/2024-03-20-post-title.md');
    writeFileSync(file, 'my words');
    const result = await quire(['new', 'Post title', '--source', site], { env: LATE });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error .*posts\/2024-03-20-post-title\.md already exists/);
    expect(result.stdout).toBe('');
    expect(read(file)).toBe('my words');
  });

  it('a draft, even one just made by `quire new --draft`', async () => {
    const site = siteWith('timezone: UTC\n');
    expect((await quire(['new', 'Idea', '--draft', '--source', site])).status).toBe(0);
    writeFileSync(path.join(site, '_drafts/idea.md'), 'edited');
    const again = await quire(['new', 'Idea', '--draft', '--source', site]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('_drafts/idea.md already exists');
    expect(read(path.join(site, '_drafts/idea.md'))).toBe('edited');
  });
});

describe('quire new: mistakes', () => {
  it('without a title, or with a title that has nothing to name a file after', async () => {
    const site = siteWith('title: T\n');
    const none = await quire(['new', '--source', site]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('needs the title of the post');
    const punctuation = await quire(['new', '?!', '--source', site]);
    expect(punctuation.status).toBe(2);
    expect(punctuation.stderr).toContain('no letters or digits');
    expect(existsSync(path.join(site, 'posts'))).toBe(false);
  });

  it('a broken _config.yml is reported with its line, not as a failed build', async () => {
    const site = siteWith('title: T\ntimezone: Nowhere/Special\n');
    const result = await quire(['new', 'Post title', '--source', site]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/_config\.yml:2: `timezone: Nowhere\/Special` is not a timezone/);
    expect(result.stderr).not.toContain('Build failed');
    expect(filesUnder(site)).toEqual(['_config.yml']);
  });

  it('a folder that is no site (no _config.yml, posts/ or _posts/): nothing is written, and says how to start one', async () => {
    const empty = tempDir('quire-new-');
    const result = await quire(['new', 'Post title'], { cwd: empty });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error This folder does not look like a site (it has no _config.yml, posts/ or _posts/); start one with `quire init <folder>`, or give your site\'s folder with --source\n');
    expect(filesUnder(empty)).toEqual([]);
  });

  it('a QUIRE_NOW that is not an ISO time with an offset', async () => {
    const result = await quire(['new', 'Post title', '--source', siteWith(null)], { env: { QUIRE_NOW: 'tomorrow' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('QUIRE_NOW must be an ISO 8601 time');
  });
});
