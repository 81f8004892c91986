#!/usr/bin/env node
// Preview latency: the time from saving one post to the reload event reaching an open page,
// in a warm `quire serve` of the given site. Prints a JSON line of medians.
//   node bench/serve-latency.mjs <site> <fresh-destination> [edits]
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startPreview } from '../dist/dev/preview.js';

const [site, destination, editsArg] = process.argv.slice(2);
const edits = Number(editsArg ?? 7);
const posts = readdirSync(path.join(site, '_posts')).sort();
const preview = await startPreview({ source: site, overrides: { destination }, host: '127.0.0.1', port: 0, tryNextPorts: false, log: () => {}, logProblems: () => {} });

/** Opens the page's event stream and resolves each time a `change` event arrives. */
const response = await fetch(`${preview.url}__quire/events`);
const reader = response.body.getReader();
let buffered = '';
let waiting = null;
(async () => {
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffered.indexOf('\n\n')) !== -1) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (block.startsWith('event: change') && waiting) {
        const resolve = waiting;
        waiting = null;
        resolve(JSON.parse(block.split('\ndata: ')[1]).urls.length);
      }
    }
  }
})();

async function timeEdit(file, change) {
  const original = readFileSync(file, 'utf8');
  const event = new Promise((resolve) => (waiting = resolve));
  const started = performance.now();
  writeFileSync(file, change(original));
  const urls = await event;
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 150));
  writeFileSync(file, original);
  await new Promise((resolve) => (waiting = resolve));
  await new Promise((resolve) => setTimeout(resolve, 150));
  return { ms, urls };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = { bodyEdit: [], titleEdit: [] };
for (let i = 0; i < edits; i++) {
  const file = path.join(site, '_posts', posts[Math.floor(((i + 0.5) / edits) * posts.length)]);
  // Below the excerpt: the post's page changes, no index does (unless it is in a feed).
  results.bodyEdit.push(await timeEdit(file, (text) => `${text}\nAn added closing sentence, number ${i}.\n`));
  // The title shows on the home page, archive, categories, map and sitemap.
  results.titleEdit.push(await timeEdit(file, (text) => text.replace(/^title: "?/m, (m) => `${m}Edited `)));
}
await preview.close();
reader.cancel().catch(() => {});
console.log(
  JSON.stringify({
    posts: posts.length,
    bodyEditMs: median(results.bodyEdit.map((r) => r.ms)),
    bodyEditUrls: median(results.bodyEdit.map((r) => r.urls)),
    titleEditMs: median(results.titleEdit.map((r) => r.ms)),
    titleEditUrls: median(results.titleEdit.map((r) => r.urls)),
  }),
);
process.exit(0);
