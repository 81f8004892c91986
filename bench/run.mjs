#!/usr/bin/env node
// `npm run bench`: builds generated corpora with Quire and prints, per size, the full-build wall
// time (median of several runs after a warm-up, each into a fresh folder), posts per second, peak
// memory and stage times (no cache: --fresh); then a no-change rebuild, one-post-edit rebuilds, a
// build into an empty folder with the post cache warm, the floor (read + gray-matter + markdown-it
// + write alone, on one thread and shared among the cores) and, for the largest size, the
// preview's save-to-reload latency. Results go to bench/work/results.json.
//
//   npm run bench                        # 1,000 and 10,000 posts, 3 runs each
//   npm run bench -- --smoke             # 200 posts, 1 run (what CI can afford)
//   BENCH_SIZES=1000 BENCH_RUNS=5 npm run bench
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = path.join(here, 'work');
const smoke = process.argv.includes('--smoke');
const sizes = smoke ? [200] : (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const runs = smoke ? 1 : Number(process.env.BENCH_RUNS ?? 3);
const stamp = Date.now().toString(36);

function node(script, ...args) {
  const out = execFileSync(process.execPath, [path.join(here, script), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').pop());
}

/** A new, never-used output folder: deleting old output slows file creation here for minutes. */
let outputs = 0;
const freshOutput = (label) => path.join(work, 'out', `${label}-${stamp}-${outputs++}`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

function ensureCorpus(n) {
  const site = path.join(work, `site-${n}`);
  if (!existsSync(path.join(site, '_posts')) || readdirSync(path.join(site, '_posts')).length !== n) {
    mkdirSync(site, { recursive: true });
    writeFileSync(path.join(site, '_config.yml'), 'title: Bench Blog\ndescription: Benchmark corpus\nurl: "https://bench.example"\npermalink: /posts/:title/\ntimezone: UTC\n');
    writeCorpus(site, n);
  }
  return site;
}

const results = { date: new Date().toISOString(), machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`, sizes: {} };
console.log(`Quire benchmark — ${results.machine}\n`);

for (const n of sizes) {
  const site = ensureCorpus(n);
  const floor = node('floor.mjs', site, freshOutput(`floor-${n}`));
  // The same work shared among as many threads as `quire build` uses.
  const threads = os.availableParallelism();
  const sharedFloor = threads > 1 ? node('floor.mjs', site, freshOutput(`floor-shared-${n}`), '--threads', String(threads)) : floor;
  node('one-build.mjs', site, freshOutput(`warmup-${n}`), '--fresh');
  const full = [];
  let last;
  for (let run = 0; run < runs; run++) {
    last = freshOutput(`full-${n}`);
    full.push(node('one-build.mjs', site, last, '--fresh'));
  }
  const typical = full.find((run) => run.wall === median(full.map((r) => r.wall)));
  const noChange = [];
  for (let run = 0; run < runs; run++) noChange.push(node('one-build.mjs', site, last));
  // An empty destination, but the post cache of the builds above: no post is parsed again.
  const warmCache = node('one-build.mjs', site, freshOutput(`cached-${n}`));
  const posts = readdirSync(path.join(site, '_posts')).sort();
  /** Rebuilds of `last` after one post is changed, the post restored after each. */
  const editRebuilds = (change) => {
    const times = [];
    for (let run = 0; run < runs; run++) {
      const file = path.join(site, '_posts', posts[Math.floor(((run + 0.5) / runs) * posts.length)]);
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, change(original));
      try {
        times.push(node('one-build.mjs', site, last));
      } finally {
        writeFileSync(file, original);
      }
    }
    // Leave `last` matching the restored posts for the next measurement.
    node('one-build.mjs', site, last);
    return times;
  };
  // A sentence below the excerpt: one page changes. A new title: every list showing the post too.
  const edits = editRebuilds((text) => `${text}\nOne more sentence for the edit benchmark.\n`);
  const titleEdits = editRebuilds((text) => text.replace(/^title: "?/m, (m) => `${m}Edited `));
  const entry = {
    posts: n,
    fullWall: median(full.map((r) => r.wall)),
    fullRange: [Math.min(...full.map((r) => r.wall)), Math.max(...full.map((r) => r.wall))],
    postsPerSecond: n / median(full.map((r) => r.wall)),
    maxRssMb: Math.max(...full.map((r) => r.maxRssMb)),
    stages: typical.stages,
    workers: typical.workers,
    noChangeWall: median(noChange.map((r) => r.wall)),
    editWall: median(edits.map((r) => r.wall)),
    titleEditWall: median(titleEdits.map((r) => r.wall)),
    warmCacheWall: warmCache.wall,
    floorWall: floor.wall,
    floorStages: floor.stages,
    sharedFloorWall: sharedFloor.wall,
    sharedFloorThreads: sharedFloor.threads,
  };
  results.sizes[n] = entry;
  const s = (x) => `${x.toFixed(2)} s`;
  console.log(`${n} posts`);
  console.log(`  full build      ${s(entry.fullWall)} (${s(entry.fullRange[0])}–${s(entry.fullRange[1])}), ${Math.round(entry.postsPerSecond)} posts/s, peak RSS ${Math.round(entry.maxRssMb)} MB, ${entry.workers} worker threads`);
  console.log(`  stages          ${Object.entries(entry.stages).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')} (s; worker stages overlap)`);
  console.log(`  no-change       ${s(entry.noChangeWall)} (${((entry.noChangeWall / entry.fullWall) * 100).toFixed(1)}% of a full build)`);
  console.log(`  one-post edit   ${s(entry.editWall)} (a sentence below the excerpt), ${s(entry.titleEditWall)} (a title, shown in every list)`);
  console.log(`  cached build    ${s(entry.warmCacheWall)} (into an empty folder, every post from the post cache)`);
  console.log(`  floor           ${s(entry.floorWall)} on one thread (${Object.entries(floor.stages).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}); full build = ${(entry.fullWall / entry.floorWall).toFixed(2)}× the floor`);
  console.log(`                  ${s(entry.sharedFloorWall)} shared among ${entry.sharedFloorThreads} thread${entry.sharedFloorThreads === 1 ? '' : 's'}, as the build shares its posts; full build = ${(entry.fullWall / entry.sharedFloorWall).toFixed(2)}× that floor\n`);
}

const largest = Math.max(...sizes);
if (!smoke && process.env.BENCH_SERVE !== '0') {
  const latency = node('serve-latency.mjs', ensureCorpus(largest), freshOutput(`serve-${largest}`), '7');
  results.serve = latency;
  console.log(`Preview (quire serve, ${largest} posts), median of 7: save to the reload of the post's open page / to the end of the whole rebuild`);
  console.log(`  edit below the excerpt  ${latency.bodyEdit.pageMs.toFixed(0)} ms / ${latency.bodyEdit.allMs.toFixed(0)} ms (${latency.bodyEdit.files} files changed)`);
  console.log(`  edit of the title       ${latency.titleEdit.pageMs.toFixed(0)} ms / ${latency.titleEdit.allMs.toFixed(0)} ms (${latency.titleEdit.files} files changed)\n`);
}
if (sizes.length > 1) {
  const [small, big] = [Math.min(...sizes), largest];
  console.log(`Scaling ${small} → ${big} posts: ×${(results.sizes[big].fullWall / results.sizes[small].fullWall).toFixed(2)}`);
}
mkdirSync(work, { recursive: true });
writeFileSync(path.join(work, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWritten to ${path.relative(process.cwd(), path.join(work, 'results.json'))}`);
