/** What makes cached pages and a skipped build stand: Quire's code and the libraries that make the HTML. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dependencyVersions } from '../src/pipeline.js';
import { QUIRE_ROOT } from '../src/package-root.js';

describe('the build id', () => {
  it('takes in the installed version of every dependency, so an npm update invalidates the caches', () => {
    const manifest = JSON.parse(readFileSync(path.join(QUIRE_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const versions = dependencyVersions();
    expect(Object.keys(versions).sort()).toEqual(Object.keys(manifest.dependencies).sort());
    for (const name of ['markdown-it', 'highlight.js', 'nunjucks', 'liquidjs']) {
      const installed = (JSON.parse(readFileSync(path.join(QUIRE_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
      expect(versions[name], name).toBe(installed);
    }
  });
});
