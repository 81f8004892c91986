/** Which `plugins:` Quire covers, and the warnings for the rest. */
import { describe, expect, it } from 'vitest';
import { knownPlugins, unknownPluginWarnings } from '../../src/liquid/plugins.js';

describe('plugins', () => {
  it('knows the plugins Quire does the work of', () => {
    expect(knownPlugins.filter((plugin) => plugin.support === 'native').map((plugin) => plugin.name)).toEqual([
      'jekyll-feed',
      'jekyll-sitemap',
      'jekyll-seo-tag',
      'jekyll-paginate',
      'jekyll-include-cache',
    ]);
  });

  it('is silent for covered plugins and for no plugins at all', () => {
    expect(unknownPluginWarnings(['jekyll-feed', 'jekyll-seo-tag', 'jekyll-sitemap', 'jekyll-paginate'])).toEqual([]);
    expect(unknownPluginWarnings(undefined)).toEqual([]);
    expect(unknownPluginWarnings(null)).toEqual([]);
    expect(unknownPluginWarnings([])).toEqual([]);
  });

  it('names each unknown plugin once, in order', () => {
    const warnings = unknownPluginWarnings(['jekyll-feed', 'jemoji', 'jekyll-redirect-from', 'jemoji']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^the Jekyll plugin jemoji is not supported by Quire/);
    expect(warnings[1]).toMatch(/^the Jekyll plugin jekyll-redirect-from is not supported by Quire/);
  });

  it('explains what is different for jekyll-archives', () => {
    expect(unknownPluginWarnings(['jekyll-archives'])).toEqual([
      'the Jekyll plugin jekyll-archives is only partly supported: Quire makes its own category and tag pages (/categories/<name>/, /tags/<name>/); jekyll-archives’ layouts, permalinks and date archives are not used',
    ]);
  });

  it('reports a value that is not a list of names', () => {
    expect(unknownPluginWarnings('jemoji')).toHaveLength(1);
    expect(unknownPluginWarnings({ a: 1 })[0]).toMatch(/should be a list of plugin names/);
    expect(unknownPluginWarnings([42])[0]).toMatch(/lists 42, which is not a plugin name/);
  });
});
