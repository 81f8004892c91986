#!/usr/bin/env node
// Preview latency in a warm `quire serve` of the given site: the time from saving one post to
//  - the reload event reaching the post's own page, open in a "browser" (an event stream opened
//    as the live-reload script of that page opens it), and
//  - the end of the whole rebuild (every index page that lists the post written too).
// Prints a JSON line of medians.
//   node bench/serve-latency.mjs <site> <fresh-destination> [edits]
// The site's permalink must be /posts/:title/ (the benchmark corpus's).
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { tuneV8ForBuilds } from '../dist/v8-flags.js';

// The V8 settings the `quire` command sets before anything else (see src/v8-flags.ts).
tuneV8ForBuilds();
const { startPreview } = await import('../dist/dev/preview.js');

const [site, destination, editsArg] = process.argv.slice(2);
const edits = Number(editsArg ?? 7);
const posts = readdirSync(path.join(site, '_posts')).sort();
const preview = await startPreview({ source: site, overrides: { destination }, host: '127.0.0.1', port: 0, tryNextPorts: false, log: () => {}, logProblems: () => {} });
let rebuilt = null;
preview.onRebuild((event) => {
  if (!event.partial && rebuilt) rebuilt(event.changedOutputs.length);
});

/**
 * An event stream as the live-reload script of `page` opens it, read in a worker thread, as a
 * browser reads it in its own process: the rebuild going on here cannot delay the reading.
 * `next()` resolves with the wall-clock time (ms) at which the next change event naming the page arrived.
 */
async function openPage(page) {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const response = await fetch(workerData.url);
      parentPort.postMessage({ open: true });
      const decoder = new TextDecoder();
      let buffered = '';
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffered.indexOf('\\n\\n')) !== -1) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (block.startsWith('event: change') && JSON.parse(block.split('\\ndata: ')[1]).urls.includes(workerData.page)) {
            parentPort.postMessage({ at: performance.timeOrigin + performance.now() });
          }
        }
      }
    })().catch(() => {});
    `,
    { eval: true, workerData: { url: `${preview.url}__quire/events?page=${encodeURIComponent(page)}`, page } },
  );
  let waiting = null;
  await new Promise((resolve) => worker.once('message', resolve));
  worker.on('message', (message) => {
    if (message.at !== undefined && waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(message.at);
    }
  });
  return { next: () => new Promise((resolve) => (waiting = resolve)), close: () => worker.terminate() };
}

const wallClock = () => performance.timeOrigin + performance.now();

async function timeEdit(name, change) {
  const file = path.join(site, '_posts', name);
  const page = await openPage(`/posts/${name.slice(11, -3)}/`);
  const original = readFileSync(file, 'utf8');
  const reloaded = page.next();
  const finished = new Promise((resolve) => (rebuilt = resolve));
  const started = wallClock();
  writeFileSync(file, change(original));
  const pageMs = (await reloaded) - started;
  const files = await finished;
  const allMs = wallClock() - started;
  await new Promise((resolve) => setTimeout(resolve, 150));
  const restored = new Promise((resolve) => (rebuilt = resolve));
  writeFileSync(file, original);
  await restored;
  await page.close();
  await new Promise((resolve) => setTimeout(resolve, 150));
  return { pageMs, allMs, files };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = { bodyEdit: [], titleEdit: [] };
for (let i = 0; i < edits; i++) {
  const name = posts[Math.floor(((i + 0.5) / edits) * posts.length)];
  // Below the excerpt: the post's page changes, no index does (unless it is in a feed).
  results.bodyEdit.push(await timeEdit(name, (text) => `${text}\nAn added closing sentence, number ${i}.\n`));
  // The title shows on the home page, archive, categories, map and sitemap.
  results.titleEdit.push(await timeEdit(name, (text) => text.replace(/^title: "?/m, (m) => `${m}Edited `)));
}
await preview.close();
const summary = (runs) => ({ pageMs: median(runs.map((r) => r.pageMs)), allMs: median(runs.map((r) => r.allMs)), files: median(runs.map((r) => r.files)) });
console.log(JSON.stringify({ posts: posts.length, bodyEdit: summary(results.bodyEdit), titleEdit: summary(results.titleEdit) }));
process.exit(0);
