import { instantAt, strftime } from '../dates.js';
import type { Instant } from '../types.js';
import { UsageError } from '../cli/args.js';

/**
 * The current instant as seen in `timeZone`, for dating new posts (`quire init`, `quire new`).
 *
 * Tests pin "now" with the QUIRE_NOW environment variable, an ISO 8601 time with an offset such as
 * `QUIRE_NOW=2024-03-20T23:30:00Z`, to check dates around midnight in other zones. It is meant for
 * tests only and nothing else in Quire reads it (builds take their "now" from BuildOptions).
 */
export function currentInstant(timeZone: string): Instant {
  const pinned = process.env.QUIRE_NOW;
  if (pinned === undefined || pinned === '') return instantAt(Date.now(), timeZone);
  const epochMs = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(pinned) ? Date.parse(pinned) : Number.NaN;
  if (Number.isNaN(epochMs)) throw new UsageError(`QUIRE_NOW must be an ISO 8601 time with an offset, such as 2024-03-20T23:30:00Z, not "${pinned}"`);
  return instantAt(epochMs, timeZone);
}

/** A front-matter date with time and offset, as jekyll-compose writes it: `2024-03-21 08:30:00 +0900`. */
export function frontMatterDate(instant: Instant): string {
  return strftime(instant, '%Y-%m-%d %H:%M:%S %z');
}
