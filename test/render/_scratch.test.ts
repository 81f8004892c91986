import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { splitFrontMatter } from '../../src/content/frontmatter.js';
import { jekyllFilters } from '../../src/render/filters.js';

it('scratch', () => {
  const dir = path.join(import.meta.dirname, '..', 'conformance');
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected/filters.json'), 'utf8')).filters;
  const page = splitFrontMatter(readFileSync(path.join(dir, 'sites/filters/filters.json'), 'utf8'), 'x');
  const f = jekyllFilters(resolveConfig(dir, { timezone: 'America/New_York' })) as any;
  for (const line of page.body.split('\n')) {
    const m = /^\s*("(?:[^"\\]|\\.)*"): \{\{ (.*) \| jsonify \}\},?$/.exec(line);
    if (!m) { console.log('SKIP', line); continue; }
    const key = JSON.parse(m[1]!);
    const [input, ...chain] = m[2]!.split(' | ');
    let value: any = input!.startsWith('page.') ? page.data[input!.slice(5)] : JSON.parse(input!);
    let ok = true;
    for (const step of chain) {
      const sm = /^(\w+)(?:: (.*))?$/.exec(step)!;
      const args = sm[2] ? JSON.parse(`[${sm[2]}]`) : [];
      if (!f[sm[1]!]) { ok = false; console.log('MISSING', sm[1], key); break; }
      value = f[sm[1]!](value, ...args);
    }
    if (!ok) continue;
    const got = JSON.parse(JSON.stringify(value, (_k, v) => v && typeof v === 'object' && v.constructor?.name === 'SafeString' ? String(v) : v));
    const got2 = typeof value === 'object' && value?.constructor?.name==='SafeString' ? String(value) : got;
    if (JSON.stringify(got2) !== JSON.stringify(expected[key])) console.log('DIFF', JSON.stringify(key), '\n  got ', JSON.stringify(got2), '\n  want', JSON.stringify(expected[key]));
  }
});
