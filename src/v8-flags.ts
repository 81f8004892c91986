import v8 from 'node:v8';

/**
 * Three V8 settings for a build, set by the `quire` command before it loads the rest of Quire
 * (cli/quire.ts); they are process-wide, so worker threads started later get them too.
 *
 * - V8 normally waits for a function to run a few times before it keeps type feedback for it; a
 *   build runs the same parser, templates and filters thousands of times in a row, and reaches
 *   fast code sooner without that wait (measured at 10,000 posts: the markup stage about 25%
 *   faster, a one-thread Jekyll-site build about 12%).
 * - V8 learns which places in the code allocate objects that live long, and then allocates what
 *   they make straight in the old generation. Rendering the home page (10,000 list items joined
 *   over a few hundred milliseconds) teaches it that about the template code that joins strings,
 *   and from then on every post page's text goes to the old generation, along with the post HTML
 *   it points to: at 10,000 posts about 180 MB of short-lived text the next full collection must
 *   sweep, and a heap that grows past 500 MB. Without that learning the pages die young (peak RSS
 *   on one thread about 350 MB instead of 520 MB, and the build about 7% faster).
 * - After each full collection V8 lets the heap grow to a multiple of what survived, up to four
 *   times when collecting looks costly, before it collects again. Rendering leaves tens of MB of
 *   promoted page text behind per thread (the index pages' text lives long enough to be promoted),
 *   and with that allowance neither thread collected it before the end: at 10,000 posts the main
 *   thread's heap grew from 74 to 172 MB. Growing by a fifth instead keeps the peak RSS of a
 *   two-thread build at about 380 MB instead of 440-460 MB, for about 5% more time.
 */
export function tuneV8ForBuilds(): void {
  v8.setFlagsFromString('--no-lazy-feedback-allocation');
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
  v8.setFlagsFromString('--heap-growing-percent=20');
}
