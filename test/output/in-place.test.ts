import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { beginWrite, finishWrite, writeOutputs, writeSite, type Manifest } from '../../src/output/write.js';
import type { Output } from '../../src/types.js';
import { immutableAvailable, readTree, UNREADABLE, unreadableAvailable, writeSite as writeFiles } from '../helpers/site.js';

const pages = (count: number, text: string): Output[] => Array.from({ length: count }, (_, n) => ({ path: `p${n}/index.html`, contents: `${text} ${n}`, origin: `posts/p${n}.md` }));

/** A destination written whole by a first build, with its manifest. */
async function built(outputs: readonly Output[]): Promise<{ destination: string; manifest: Manifest }> {
  const destination = path.join(writeFiles({}, 'quire-in-place-'), 'site');
  const { manifest } = await writeSite(destination, outputs, null, 'fresh');
  return { destination, manifest };
}

/** A whole in-place write of `next`, the way `how` names. */
async function rewrite(how: string, destination: string, manifest: Manifest, next: readonly Output[]): Promise<void> {
  if (how === 'writeOutputs and finishWrite') {
    const staging = await beginWrite(destination, manifest, 'in-place');
    const written = await writeOutputs(staging, next);
    await finishWrite(staging, written.manifest, written.changed);
  } else {
    await writeSite(destination, next, manifest, 'in-place');
  }
}

const temporaries = (folder: string) => (readdirSync(folder, { recursive: true }) as string[]).filter((name) => name.includes('.quire-'));

describe('writing a few changed files in place', () => {
  it.skipIf(!unreadableAvailable).each(['writeOutputs and finishWrite', 'writeSite'])('leaves the site as it was when one cannot be written (%s)', async (how) => {
    const { destination, manifest } = await built(pages(300, 'old'));
    const before = readTree(destination);
    // The unreadable file first: it fails while most others are still to be written.
    const changed = [{ path: 'broken.png', contents: { copyFrom: UNREADABLE }, origin: 'public/broken.png' }, ...pages(300, 'new')];
    const write = how === 'writeOutputs and finishWrite' ? async () => writeOutputs(await beginWrite(destination, manifest, 'in-place'), changed) : () => writeSite(destination, changed, manifest, 'in-place');
    await expect(write()).rejects.toThrow(/EACCES/);
    expect(readTree(destination)).toEqual(before);
    expect(temporaries(destination)).toEqual([]);
  });

  it.skipIf(!immutableAvailable)('puts back every file it moved when the system refuses one half way (an immutable page)', async () => {
    const { destination, manifest } = await built(pages(300, 'old'));
    const before = readTree(destination);
    const locked = path.join(destination, 'p150', 'index.html');
    execFileSync('chattr', ['+i', locked]);
    try {
      await expect(writeSite(destination, pages(300, 'new'), manifest, 'in-place')).rejects.toThrow(/EPERM/);
    } finally {
      execFileSync('chattr', ['-i', locked]);
    }
    expect(readTree(destination)).toEqual(before);
    expect(temporaries(destination)).toEqual([]);
  });

  it('writes text as UTF-8 whatever its characters, with the fingerprints a fresh write gives', async () => {
    const texts = ['plain ASCII <p>', 'café, naïve', 'Ω and a map 🗺', 'a lone surrogate \ud800 is replaced'];
    const outputs: Output[] = texts.map((contents, n) => ({ path: `t${n}.html`, contents, origin: `posts/t${n}.md` }));
    const { destination, manifest } = await built(outputs);
    const next = outputs.map((output) => ({ ...output, contents: `${output.contents as string}, edited` }));
    const inPlace = await writeSite(destination, next, manifest, 'in-place');
    for (const output of next) expect(readFileSync(path.join(destination, output.path))).toEqual(Buffer.from(output.contents, 'utf8'));
    // New objects: fingerprints are remembered per output object.
    expect(inPlace.manifest).toEqual((await built(next.map((output) => ({ ...output })))).manifest);
  });

  it.each(['writeOutputs and finishWrite', 'writeSite'])('puts a file where the last build had a folder (a permalink without its slash) (%s)', async (how) => {
    const { destination, manifest } = await built([{ path: 'about/index.html', contents: 'folder page', origin: 'about.md' }, { path: 'index.html', contents: 'home', origin: 'index.md' }]);
    const next: Output[] = [{ path: 'about', contents: 'file page', origin: 'about.md' }, { path: 'index.html', contents: 'home', origin: 'index.md' }];
    await rewrite(how, destination, manifest, next);
    expect(Object.fromEntries(readTree(destination))).toEqual({ about: 'file page', 'index.html': 'home' });
    expect(temporaries(destination)).toEqual([]);
  });

  it.each(['writeOutputs and finishWrite', 'writeSite'])('puts a folder where the last build had a file (a permalink that gained its slash) (%s)', async (how) => {
    const { destination, manifest } = await built([{ path: 'about', contents: 'file page', origin: 'about.md' }, { path: 'index.html', contents: 'home', origin: 'index.md' }]);
    const next: Output[] = [{ path: 'about/index.html', contents: 'folder page', origin: 'about.md' }, { path: 'index.html', contents: 'home', origin: 'index.md' }];
    await rewrite(how, destination, manifest, next);
    expect(Object.fromEntries(readTree(destination))).toEqual({ 'about/index.html': 'folder page', 'index.html': 'home' });
    expect(temporaries(destination)).toEqual([]);
  });

  it('moves nothing when something the last build did not make is in the way, and leaves no scratch folder', async () => {
    const { destination, manifest } = await built([{ path: 'index.html', contents: 'home', origin: 'index.md' }]);
    writeFileSync(path.join(destination, 'notes'), 'a file of the user');
    const before = readTree(destination);
    const next: Output[] = [{ path: 'index.html', contents: 'new home', origin: 'index.md' }, { path: 'notes/index.html', contents: 'notes', origin: 'notes.md' }];
    await expect(writeSite(destination, next, manifest, 'in-place')).rejects.toThrow('cannot write notes/index.html: notes is in the way and the last build did not make it');
    expect(readTree(destination)).toEqual(before);
    expect(temporaries(destination)).toEqual([]);
  });

  it('turns a file of the last build into a deep folder, and cleans up scratch folders a killed write left', async () => {
    const { destination, manifest } = await built([{ path: 'a', contents: 'file', origin: 'a.md' }]);
    mkdirSync(path.join(destination, '.quire-in-place-killed'));
    await writeSite(destination, [{ path: 'a/b/c/index.html', contents: 'deep', origin: 'a.md' }], manifest, 'in-place');
    expect(Object.fromEntries(readTree(destination))).toEqual({ 'a/b/c/index.html': 'deep' });
    expect(temporaries(destination)).toEqual([]);
  });
});

