#!/usr/bin/env node
// Writes a deterministic corpus of N Jekyll-style posts shaped like the seed post, for `npm run bench`.
//
//   node bench/corpus.mjs <site-folder> <N> [seed]
//
// Each post: front matter with layout, title, date, 1-2 categories and coordinates; a 4-6 KB body
// with headings, emphasis, links, lists, a fenced code block in some, a [^1] footnote in some and a
// `pN.` reference block after a rule in about half. Post i is the same whatever N is, so the
// 1,000-post corpus is the start of the 10,000-post one.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const CATEGORIES = ['tech', 'ethics', 'society', 'science', 'politics', 'culture', 'history', 'climate', 'books', 'notes', 'Open Source', 'Machine Learning'];
const WORDS = (
  'model system network data policy research language energy evidence argument question answer ' +
  'problem theory practice process structure signal pattern decade benchmark experiment budget paper ' +
  'report institution incentive infrastructure protocol compiler archive library review machine city ' +
  'river forest market election habit bridge satellite vaccine map the of and to in is that for it as ' +
  'with be by on not this are or from at which but have an they were one all we can been has more will ' +
  'would who so what out up about than into only some could new time these two may first then like now'
).split(' ');
const TITLE_A = ['Large', 'Quiet', 'Hidden', 'Open', 'Broken', 'Slow', 'Distributed', 'Forgotten', 'Modern', 'Human', 'Artificial', 'Fragile', 'Invisible', 'Simple'];
const TITLE_B = ['Language Models', 'Markets', 'Cities', 'Networks', 'Institutions', 'Machines', 'Libraries', 'Protocols', 'Archives', 'Incentives', 'Datasets', 'Red Lines', 'Compilers'];
const TITLE_C = ['Have Passed', 'Are Rewriting', 'Still Shape', 'Cannot Explain', 'Will Outlast', 'Keep Breaking', 'Learned From', 'Never Understood', 'Outgrew'];
const TITLE_D = ['The Last Mile', 'Their Own Benchmarks', 'The Public Record', 'Our Expectations', 'The Next Crisis', 'Their Makers', 'The Old Rules', 'A Decade Of Noise'];
const SOURCES = ['IDAIS', 'OECD', 'RAND', 'Nature', 'MIT Press', 'arXiv', 'ACM', 'Pew Research'];

/** A small, fast, deterministic PRNG (xorshift32), seeded per post so post i never depends on N. */
function randomFor(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

function postText(index, seed) {
  const random = randomFor(seed * 7919 + index * 104729 + 1);
  const int = (low, high) => low + Math.floor(random() * (high - low + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
  const sentence = () => {
    const parts = words(int(8, 20)).split(' ');
    const at = int(0, parts.length - 1);
    const style = random();
    if (style < 0.2) parts[at] = `*${parts[at]}*`;
    else if (style < 0.3) parts[at] = `**${parts[at]}**`;
    else if (style < 0.4) parts[at] = `\`${parts[at]}\``;
    else if (style < 0.6) parts[at] = `[${parts[at]}](https://example.org/${parts[at]}-${int(1, 999)})`;
    return `${capital(parts.join(' '))}.`;
  };
  const paragraph = () => Array.from({ length: int(3, 6) }, sentence).join(' ');

  const title = `${pick(TITLE_A)} ${pick(TITLE_B)} ${pick(TITLE_C)} ${pick(TITLE_D)}`;
  const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${index}`;
  const day = new Date(Date.UTC(2005, 0, 1) + index * 3600 * 1000 * 17);
  const date = day.toISOString().slice(0, 10);
  const categories = [...new Set([pick(CATEGORIES), ...(random() < 0.4 ? [pick(CATEGORIES)] : [])])];
  const coordinates = [Math.round(random() * 1000) / 1000, Math.round(random() * 1000) / 1000];

  const blocks = [];
  const target = int(4000, 6000);
  let size = 0;
  let footnote = random() < 0.3;
  const code = random() < 0.35;
  while (size < target) {
    const kind = random();
    let block;
    if (kind < 0.12) block = `## ${capital(words(int(2, 6)))}`;
    else if (kind < 0.22) block = Array.from({ length: int(3, 6) }, () => `- ${capital(words(int(3, 10)))}`).join('\n');
    else if (kind < 0.27) block = `> ${sentence()} ${sentence()}`;
    else if (code && kind < 0.31) block = `\`\`\`${pick(['js', 'python', 'bash', 'ruby', ''])}\n${Array.from({ length: int(3, 9) }, (_, i) => `const v${i} = ${int(0, 999)} * ${int(1, 9)}; // ${words(int(1, 4))}`).join('\n')}\n\`\`\``;
    else {
      block = paragraph();
      if (footnote) {
        block = block.replace(/\.$/, '.[^1]');
        footnote = false;
        blocks.push(block);
        blocks.push(`[^1]: ${sentence()}`);
        size += block.length;
        continue;
      }
    }
    blocks.push(block);
    size += block.length + 2;
  }
  if (random() < 0.5) {
    const references = Array.from({ length: int(1, 4) }, () => `p${int(1, 300)}. _${capital(words(int(3, 7)))}_ (${pick(SOURCES)}, ${int(1990, 2024)})`);
    blocks.push(`---\n${references.join('\n\n')}`);
  }
  const front = [
    '---',
    'layout: post',
    `title: "${title}"`,
    `date: ${date}`,
    `categories: [${categories.map((c) => (c.includes(' ') ? `"${c}"` : c)).join(', ')}]`,
    `coordinates: [${coordinates[0]}, ${coordinates[1]}]`,
    '---',
    '',
  ].join('\n');
  return { name: `${date}-${slug}.md`, text: `${front}${blocks.join('\n\n')}\n` };
}

/** Writes posts 0..n-1 into `<site>/_posts/` and returns the number of bytes written. */
export function writeCorpus(site, n, seed = 20240320) {
  const folder = path.join(site, '_posts');
  mkdirSync(folder, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const { name, text } = postText(i, seed);
    writeFileSync(path.join(folder, name), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [site, count, seed] = process.argv.slice(2);
  if (!site || !/^\d+$/.test(count ?? '')) {
    console.error('usage: node bench/corpus.mjs <site-folder> <N> [seed]');
    process.exit(2);
  }
  const bytes = writeCorpus(site, Number(count), seed === undefined ? undefined : Number(seed));
  console.log(JSON.stringify({ posts: Number(count), bytes }));
}
