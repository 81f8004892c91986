#!/usr/bin/env node
// Re-records test/conformance/expected/*.json by building every site in
// test/conformance/sites/ with a real Jekyll (4.3.x), run as `jekyll build`
// (no bundler). Needs `jekyll` on PATH (Debian: apt-get install jekyll).
//
// Usage: node test/conformance/record.mjs [case ...]
//   With no arguments every site is recorded; otherwise only the named cases.
//
// Each site is copied to a temporary directory first, so Jekyll never writes
// into the repository. Every build runs with TZ=UTC unless the variant says
// otherwise (only matters for sites without a `timezone:` key).

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SITES = path.join(HERE, 'sites');
const EXPECTED = path.join(HERE, 'expected');

// Extra builds per case. Every case gets the plain build (suffix '').
// `args` are appended to `jekyll build -s . -d DEST` (run with cwd = the
// copied site, so relative --config paths resolve inside the site).
const VARIANTS = {
  'drafts-future-unpublished': [
    { suffix: '', args: [] },
    { suffix: '--drafts', args: ['--drafts'] },
    { suffix: '--future', args: ['--future'] },
    { suffix: '--unpublished', args: ['--unpublished'] },
    { suffix: '--config-future', args: ['--config', '_config.yml,_config.future.yml'] },
    { suffix: '--drafts-future', args: ['--drafts', '--future'] },
  ],
  'timezone-none': [
    { suffix: '', args: [], env: { TZ: 'UTC' } },
    { suffix: '--tz-tokyo', args: [], env: { TZ: 'Asia/Tokyo' } },
    { suffix: '--tz-la', args: [], env: { TZ: 'America/Los_Angeles' } },
  ],
};

const PAGE_DATA_RE = /<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/;
const CONTENT_RE = /<!--content-start-->([\s\S]*?)<!--content-end-->/;

function jekyllVersion() {
  const out = execFileSync('jekyll', ['-v'], { encoding: 'utf8' }).trim();
  const m = /^jekyll (\S+)$/.exec(out);
  if (!m) throw new Error(`unexpected \`jekyll -v\` output: ${out}`);
  return m[1];
}

function listFiles(root, rel = '') {
  const out = [];
  for (const ent of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...listFiles(root, p));
    else out.push(p);
  }
  return out;
}

// Plain code-unit sort, so the order does not depend on the locale.
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function build(caseName, variant, version) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `quire-conf-${caseName}-`));
  const src = path.join(tmp, 'src');
  const dest = path.join(tmp, 'dest');
  fs.cpSync(path.join(SITES, caseName), src, { recursive: true });
  const env = { TZ: 'UTC', ...(variant.env ?? {}) };
  const args = ['build', '-s', '.', '-d', dest, ...variant.args];
  const res = spawnSync('jekyll', [...args, '--trace'], {
    cwd: src,
    env: { ...process.env, ...env, JEKYLL_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const log = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.status !== 0) {
    process.stderr.write(log);
    throw new Error(`jekyll build failed for ${caseName}${variant.suffix}`);
  }
  // Surface Jekyll's warnings (they are not recorded).
  for (const line of log.split('\n')) {
    if (/warn|error|deprecat/i.test(line)) console.warn(`  ${caseName}${variant.suffix}: ${line.trim()}`);
  }

  const files = listFiles(dest).sort(byCodeUnit);
  const posts = [];
  const pages = {};
  const jsonPages = {};
  const record = {
    case: caseName + variant.suffix,
    fixture: `sites/${caseName}`,
    jekyll: version,
    build: {
      command: `jekyll build -s SITE -d DEST${variant.args.length ? ' ' + variant.args.join(' ') : ''}`,
      cwd: 'SITE',
      env: { ...env, JEKYLL_ENV: 'development' },
    },
    files,
    posts,
    pages,
  };

  for (const file of files) {
    const abs = path.join(dest, file);
    if (file.endsWith('.json') && !file.includes('/')) {
      // Top-level JSON pages (site.json, filters.json, urls.json) are recorded parsed.
      const key = file.replace(/\.json$/, '');
      jsonPages[key] = JSON.parse(fs.readFileSync(abs, 'utf8'));
      continue;
    }
    const text = fs.readFileSync(abs, 'utf8');
    const m = PAGE_DATA_RE.exec(text);
    if (!m) continue;
    let data;
    try {
      data = JSON.parse(m[1]);
    } catch (e) {
      throw new Error(`bad page-data JSON in ${file}: ${e.message}\n${m[1]}`);
    }
    const c = CONTENT_RE.exec(text);
    const { path: source, ...rest } = data;
    posts.push({ source, ...rest, output_path: file });
    if (c) pages[source] = c[1];
  }
  posts.sort((a, b) => byCodeUnit(a.source, b.source));
  record.pages = Object.fromEntries(Object.entries(pages).sort(([a], [b]) => byCodeUnit(a, b)));
  fs.rmSync(tmp, { recursive: true, force: true });
  return { ...record, ...jsonPages };
}

function main() {
  const version = jekyllVersion();
  if (!version.startsWith('4.3.')) {
    console.warn(`warning: recording with Jekyll ${version}, the expected data targets 4.3.x`);
  }
  const wanted = process.argv.slice(2);
  const cases = fs
    .readdirSync(SITES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .filter((n) => wanted.length === 0 || wanted.includes(n))
    .sort(byCodeUnit);
  for (const w of wanted) if (!cases.includes(w)) throw new Error(`no such case: ${w}`);
  fs.mkdirSync(EXPECTED, { recursive: true });
  for (const c of cases) {
    for (const v of VARIANTS[c] ?? [{ suffix: '', args: [] }]) {
      const rec = build(c, v, version);
      const out = path.join(EXPECTED, `${c}${v.suffix}.json`);
      fs.writeFileSync(out, JSON.stringify(rec, null, 2) + '\n');
      console.log(`recorded ${path.relative(process.cwd(), out)} (${rec.files.length} files, ${rec.posts.length} posts)`);
    }
  }
}

main();
