/**
 * Jekyll's Publisher (publisher.rb): whether a build writes a file. Ruby reads
 * `data.fetch("published", true)`, so `published: false` and an empty `published:` (nil) both
 * hide it; a dated file (post, draft, collection document) also waits for its date.
 */
import type { Config } from '../config.js';
import type { Instant } from '../types.js';

/** False for `published: false` or `published:` with no value, unless the build shows unpublished files. */
export function canBePublished(data: Readonly<Record<string, unknown>>, config: Pick<Config, 'unpublished'>): boolean {
  return config.unpublished || (data.published !== false && data.published !== null);
}

/** True for a date after `now`, unless the build publishes future files. */
export function isHiddenInTheFuture(date: Instant, now: Instant, config: Pick<Config, 'future'>): boolean {
  return !config.future && date.epochMs > now.epochMs;
}
