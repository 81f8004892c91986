import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types, shared with the benchmark
import { writeCorpus } from '../../bench/corpus.mjs';
import { QUIRE_ROOT } from '../../src/package-root.js';
import { readTree, writeSite } from '../helpers/site.js';

/** Runs bench/floor.mjs as `npm run bench` does and returns its JSON line and what it wrote. */
function floor(site: string, output: string, ...flags: string[]): { report: { wall: number; threads: number }; files: Map<string, string> } {
  const out = execFileSync(process.execPath, [path.join(QUIRE_ROOT, 'bench/floor.mjs'), site, output, ...flags], { encoding: 'utf8' });
  return { report: JSON.parse(out.trim()) as { wall: number; threads: number }, files: readTree(output) };
}

describe('the benchmark floor', () => {
  it('shared among threads, does the same work as on one thread: every post, the same pages', () => {
    const site = writeSite({ '_config.yml': 'title: Floor\n' }, 'quire-floor-');
    writeCorpus(site, 60);
    const alone = floor(site, path.join(site, 'alone'));
    const shared = floor(site, path.join(site, 'shared'), '--threads', '3');
    expect(alone.report.threads).toBe(1);
    expect(shared.report.threads).toBe(3);
    expect(alone.files.size).toBe(60);
    expect([...shared.files.keys()].sort()).toEqual([...alone.files.keys()].sort());
    for (const [file, html] of alone.files) expect(shared.files.get(file), file).toBe(html);
    expect(alone.files.get([...alone.files.keys()][0]!)).toMatch(/<p>/);
  });
});
