#!/usr/bin/env node
// The floor: what reading the posts, splitting front matter with gray-matter, rendering markdown
// with markdown-it and writing one file per post cost on one thread, with nothing else.
//   node bench/floor.mjs <site> <fresh-output-folder>
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';

const [site, out] = process.argv.slice(2);
const md = new MarkdownIt({ html: true, typographer: true });
const times = { read: 0, frontMatter: 0, markdown: 0, write: 0 };
const started = performance.now();
let t = performance.now();
const folder = path.join(site, '_posts');
const texts = readdirSync(folder).map((name) => [name, readFileSync(path.join(folder, name), 'utf8')]);
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
console.log(JSON.stringify({ wall: (performance.now() - started) / 1000, stages: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v / 1000])) }));
