import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Quire's own folder (the package root): its `package.json`, `dist/`, and the `templates/` and
 * `public/` of the fallback theme. A module of its own, so the command line can find its version
 * without loading the build.
 */
export const QUIRE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
