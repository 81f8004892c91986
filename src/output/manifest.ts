import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Manifest } from './write.js';

/** Quire's cache folder in the site source; deleting it is always safe. */
export const CACHE_FOLDER = '.quire-cache';
const MANIFEST_VERSION = 1;

function manifestFile(source: string): string {
  return path.join(source, CACHE_FOLDER, 'manifest.json');
}

/**
 * The manifest of the last build written to `destination`, or null when there is none, it was for
 * another destination, or it cannot be read (then every file is simply written again).
 */
export async function readManifest(source: string, destination: string): Promise<Manifest | null> {
  try {
    const saved = JSON.parse(await fs.readFile(manifestFile(source), 'utf8')) as { version?: number; destination?: string; files?: Manifest };
    if (saved.version !== MANIFEST_VERSION || saved.destination !== destination || !saved.files) return null;
    return saved.files;
  } catch {
    return null;
  }
}

/** Saves the manifest atomically, so a crash never leaves a half-written one. */
export async function saveManifest(source: string, destination: string, files: Manifest): Promise<void> {
  const file = manifestFile(source);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const staging = `${file}.${process.pid}.tmp`;
  await fs.writeFile(staging, JSON.stringify({ version: MANIFEST_VERSION, destination, files }));
  await fs.rename(staging, file);
}
