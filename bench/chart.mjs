#!/usr/bin/env node
// Draws build time against post count, one line per generator, as an SVG, from the results tables
// that ../shared/bench-peers/run-peers.sh writes (with Quire as its `ours` row).
//   node bench/chart.mjs <results.tsv>... <out.svg>
// Rows that failed are left out. A later table adds only generators the earlier ones lack: the
// second run of README's Performance section (Hugo and `ours-theme`, Quire building the same posts
// with its own theme) adds its Quire line next to the first run's four.
import { readFileSync, writeFileSync } from 'node:fs';

const files = process.argv.slice(2, -1);
const out = process.argv.at(-1);
const NAMES = { ours: 'quire (Jekyll mode)', 'ours-theme': 'quire (own theme)' };
const rows = [];
for (const file of files) {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n').map((line) => line.split('\t'));
  const column = (name) => header.indexOf(name);
  const known = new Set(rows.map((row) => row.peer));
  for (const cells of lines) {
    const row = { peer: NAMES[cells[column('peer')]] ?? cells[column('peer')], n: Number(cells[column('N')]), wall: Number(cells[column('wall_s')]) };
    if (cells[column('status')] === 'OK' && !known.has(row.peer)) rows.push(row);
  }
}

// The latest row per generator and size.
const latest = new Map();
for (const row of rows) latest.set(`${row.peer}:${row.n}`, row);
const series = new Map();
for (const row of latest.values()) {
  if (!series.has(row.peer)) series.set(row.peer, []);
  series.get(row.peer).push(row);
}
for (const points of series.values()) points.sort((a, b) => a.n - b.n);

const colours = { 'quire (Jekyll mode)': '#56b4e9', 'quire (own theme)': '#0072b2', hugo: '#d55e00', eleventy: '#009e73', jekyll: '#cc79a7' };
const width = 700, height = 400, left = 64, right = 190, top = 30, bottom = 50;
const sizes = [...new Set(rows.map((row) => row.n))].sort((a, b) => a - b);
const maxN = Math.max(...sizes);
const maxWall = Math.max(...[...latest.values()].map((row) => row.wall));
// Log scale for time: Jekyll is 20x slower than the others and would flatten them.
const logMin = Math.log10(Math.min(...[...latest.values()].map((row) => row.wall)) / 1.5);
const logMax = Math.log10(maxWall * 1.2);
const x = (n) => left + (n / maxN) * (width - left - right);
const y = (wall) => top + (1 - (Math.log10(wall) - logMin) / (logMax - logMin)) * (height - top - bottom);

// Each line's label sits at its last point, moved apart vertically where two would overlap.
const labelY = new Map();
let previous = -Infinity;
for (const [peer, points] of [...series].sort((a, b) => y(a[1].at(-1).wall) - y(b[1].at(-1).wall))) {
  previous = Math.max(y(points.at(-1).wall) + 4, previous + 15);
  labelY.set(peer, previous);
}

const ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200].filter((t) => Math.log10(t) >= logMin && Math.log10(t) <= logMax);
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
  '<title>Full build time against number of posts (log scale)</title>',
  `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ...ticks.map((t) => `<line x1="${left}" x2="${width - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e5e5"/><text x="${left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" fill="#555">${t} s</text>`),
  ...sizes.map((n) => `<text x="${x(n).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle" fill="#555">${n.toLocaleString('en')}</text>`),
  `<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle" fill="#333">posts</text>`,
  `<text transform="translate(16 ${(top + height - bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#333">wall time, full build (log scale)</text>`,
  ...[...series].map(([peer, points]) => {
    const colour = colours[peer] ?? '#555';
    const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.n).toFixed(1)},${y(p.wall).toFixed(1)}`).join(' ');
    const last = points[points.length - 1];
    return [
      `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
      ...points.map((p) => `<circle cx="${x(p.n).toFixed(1)}" cy="${y(p.wall).toFixed(1)}" r="4" fill="${colour}"><title>${peer}: ${p.n} posts in ${p.wall} s</title></circle>`),
      `<text x="${(x(last.n) + 8).toFixed(1)}" y="${labelY.get(peer).toFixed(1)}" fill="${colour}" font-weight="600">${peer} ${last.wall} s</text>`,
    ].join('');
  }),
  '</svg>',
].join('\n');
writeFileSync(out, `${svg}\n`);
console.log(`wrote ${out}`);
