#!/usr/bin/env node
// The floor: what reading the posts, splitting front matter with gray-matter, rendering markdown
// with markdown-it and writing one file per post cost, with nothing else.
//   node bench/floor.mjs <site> <fresh-output-folder>               one thread, timed per stage
//   node bench/floor.mjs <site> <fresh-output-folder> --threads N   the posts shared among N threads
// With N threads (this one and N - 1 workers, as `quire build` uses its cores) each takes every
// Nth post through all four steps; only the wall time is reported.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';

const newMarkdown = () => new MarkdownIt({ html: true, typographer: true });
const postNames = (site) => readdirSync(path.join(site, '_posts')).sort();

/** Every post whose index is `share` modulo `of`, through all four steps. */
function floorShare(site, out, share, of) {
  const md = newMarkdown();
  const names = postNames(site).filter((_, index) => index % of === share);
  for (const name of names) {
    const file = matter(readFileSync(path.join(site, '_posts', name), 'utf8'), {});
    const dir = path.join(out, name.replace(/\.md$/, ''));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), md.render(file.content));
  }
}

function oneThread(site, out) {
  const md = newMarkdown();
  const times = { read: 0, frontMatter: 0, markdown: 0, write: 0 };
  const started = performance.now();
  let t = performance.now();
  const texts = postNames(site).map((name) => [name, readFileSync(path.join(site, '_posts', name), 'utf8')]);
  times.read = performance.now() - t;
  t = performance.now();
  const parsed = texts.map(([name, text]) => [name, matter(text, {})]);
  times.frontMatter = performance.now() - t;
  t = performance.now();
  const html = parsed.map(([name, file]) => [name, md.render(file.content)]);
  times.markdown = performance.now() - t;
  t = performance.now();
  for (const [name, page] of html) {
    const dir = path.join(out, name.replace(/\.md$/, ''));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), page);
  }
  times.write = performance.now() - t;
  return { wall: (performance.now() - started) / 1000, threads: 1, stages: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v / 1000])) };
}

async function sharedAmong(threads, site, out) {
  const started = performance.now();
  const workers = Array.from({ length: threads - 1 }, (_, index) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { site, out, share: index + 1, of: threads } });
    return new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
  });
  floorShare(site, out, 0, threads);
  await Promise.all(workers);
  return { wall: (performance.now() - started) / 1000, threads };
}

if (isMainThread) {
  const [site, out, flag, count] = process.argv.slice(2);
  const threads = flag === '--threads' ? Number(count) : 1;
  console.log(JSON.stringify(threads > 1 ? await sharedAmong(threads, site, out) : oneThread(site, out)));
} else {
  floorShare(workerData.site, workerData.out, workerData.share, workerData.of);
  parentPort.postMessage('done');
}
