import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';

/** What real Jekyll recorded for one conformance site (see README.md beside this file). */
export interface ExpectedPost {
  source: string;
  url: string;
  id: string;
  date: string;
  date_string: string;
  categories: string[];
  tags: string[];
  slug: string;
  title: string;
  excerpt: string;
  relative_url?: string;
  absolute_url?: string;
  previous: string | null;
  next: string | null;
  output_path: string;
}

export interface ExpectedCase {
  case: string;
  fixture: string;
  build: { command: string; env: Record<string, string> };
  files: string[];
  posts: ExpectedPost[];
  pages: Record<string, string>;
  site?: { posts: string[]; categories: string[]; tags: string[] };
  urls?: unknown;
  filters?: Record<string, unknown>;
}

export const CONFORMANCE = import.meta.dirname;

/** Every recorded case, from expected/*.json. */
export function conformanceCases(): ExpectedCase[] {
  return readdirSync(path.join(CONFORMANCE, 'expected'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(path.join(CONFORMANCE, 'expected', file), 'utf8')) as ExpectedCase);
}

/** The config a case's recording ran Jekyll with: its flags, extra config files and TZ. */
export function configLikeJekyll(expected: ExpectedCase): Config {
  const args = expected.build.command.split(' ');
  const source = path.join(CONFORMANCE, expected.fixture);
  const configFiles = args.includes('--config') ? args[args.indexOf('--config') + 1]!.split(',') : ['_config.yml'];
  let config = loadConfig(source, {
    drafts: args.includes('--drafts'),
    future: args.includes('--future') || undefined,
    unpublished: args.includes('--unpublished') || undefined,
    configFile: path.join(source, configFiles[0]!),
  });
  for (const extra of configFiles.slice(1)) {
    const more = loadConfig(source, { configFile: path.join(source, extra) });
    config = { ...config, future: more.future || config.future };
  }
  // Without `timezone:`, Jekyll used the machine's zone: the recording's TZ.
  const text = readFileSync(path.join(source, '_config.yml'), 'utf8');
  if (!/^timezone:/m.test(text)) config = { ...config, timezone: expected.build.env.TZ ?? 'UTC' };
  return config;
}
