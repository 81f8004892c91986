#!/usr/bin/env node
// Records what jekyll-feed writes for the jekyll-theme and jekyll-seo fixtures: the feed's own fields and each
// entry's, as JSON, so CI can compare Quire's feed without Jekyll. Needs `jekyll` and
// `ruby-jekyll-feed` (Debian). Run from the repository root:
//   node test/jekyll-site/record-feed.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { feedFields } from './feed-fields.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const version = execFileSync('jekyll', ['-v'], { encoding: 'utf8' }).trim();
// jekyll-theme: a minima-shaped blog; jekyll-seo: author data, descriptions, images, same-day posts.
for (const name of ['jekyll-theme', 'jekyll-seo']) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'record-feed-'));
  const site = path.join(work, 'site');
  cpSync(path.join(here, '../fixtures', name), site, { recursive: true });
  execFileSync('jekyll', ['build', '-s', site, '-d', path.join(work, 'out')], { env: { ...process.env, TZ: 'UTC', JEKYLL_ENV: 'development' }, stdio: 'inherit' });
  const fields = feedFields(readFileSync(path.join(work, 'out', 'feed.xml'), 'utf8'));
  writeFileSync(path.join(here, `${name}.feed.expected.json`), `${JSON.stringify({ jekyll: version, plugin: 'jekyll-feed (Debian ruby-jekyll-feed)', fixture: `test/fixtures/${name}`, ...fields }, null, 2)}\n`);
  console.log(`recorded ${name}.feed.expected.json`);
}
