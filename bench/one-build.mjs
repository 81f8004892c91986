#!/usr/bin/env node
// One `quire build` in its own process, as the benchmark times it: prints a JSON line with the
// wall time, stage timings, peak memory (max RSS of the whole process, workers included).
//   node bench/one-build.mjs <site> <destination> [--fresh]   (--fresh: ignore the post cache)
// V8 is tuned before the rest of Quire loads, as the `quire` command does (see v8-flags.ts).
import { tuneV8ForBuilds } from '../dist/v8-flags.js';

tuneV8ForBuilds();
const { loadConfig } = await import('../dist/config.js');
const { readBuildState, saveBuildState } = await import('../dist/output/state.js');
const { buildWholeSite } = await import('../dist/parallel/build.js');

const started = performance.now();
const [site, destination, flag] = process.argv.slice(2);
const fresh = flag === '--fresh';
const config = loadConfig(site, { destination });
const summary = await buildWholeSite(config, { previous: fresh ? null : await readBuildState(config), fresh });
if (!summary.upToDate) await saveBuildState(config, summary.state);
const wall = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    wall,
    posts: summary.posts,
    pages: summary.pages,
    upToDate: summary.upToDate,
    written: summary.write.written,
    workers: summary.workers,
    reused: summary.reused,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    stages: Object.fromEntries(Object.entries(summary.timings).map(([stage, ms]) => [stage, ms / 1000])),
  }),
);
