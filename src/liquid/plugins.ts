/**
 * Jekyll plugins a site lists in `plugins:` (or the older `gems:`): which ones Quire does the
 * work of itself, and a warning for each one it does not, so a site never silently loses a page
 * or a tag it relied on.
 */

/** How Quire covers a plugin. */
export interface KnownPlugin {
  readonly name: string;
  /** `native`: Quire does what the plugin does; `partial`: some of it, as `note` says. */
  readonly support: 'native' | 'partial';
  readonly note: string;
}

export const knownPlugins: readonly KnownPlugin[] = [
  { name: 'jekyll-feed', support: 'native', note: 'Quire writes the Atom feed (feed.path, default feed.xml); {% feed_meta %} links it' },
  { name: 'jekyll-sitemap', support: 'native', note: 'Quire writes sitemap.xml and robots.txt' },
  { name: 'jekyll-seo-tag', support: 'native', note: '{% seo %} writes the same head tags as Quire’s theme' },
  { name: 'jekyll-paginate', support: 'native', note: 'paginate and paginate_path work as in Jekyll; `paginator` is set on the paginated index' },
  { name: 'jekyll-include-cache', support: 'native', note: '{% include_cached %} renders like {% include %}' },
  {
    name: 'jekyll-archives',
    support: 'partial',
    note: 'Quire makes its own category and tag pages (/categories/<name>/, /tags/<name>/); jekyll-archives’ layouts, permalinks and date archives are not used',
  },
];

const byName = new Map(knownPlugins.map((plugin) => [plugin.name, plugin]));

/**
 * One warning per plugin Quire does not cover (by name, in the order listed), one per plugin it
 * covers only in part, and one when `plugins` is not a list of names. Takes the raw `plugins:`
 * (or `gems:`) value from `_config.yml`; nothing or an empty list gives no warnings.
 */
export function unknownPluginWarnings(plugins: unknown): string[] {
  if (plugins === undefined || plugins === null) return [];
  const names = typeof plugins === 'string' ? [plugins] : plugins;
  if (!Array.isArray(names)) return [`\`plugins\` should be a list of plugin names, but it is ${JSON.stringify(plugins)}; no plugin was checked`];
  const warnings: string[] = [];
  for (const name of new Set(names)) {
    if (typeof name !== 'string') {
      warnings.push(`\`plugins\` lists ${JSON.stringify(name)}, which is not a plugin name`);
      continue;
    }
    const known = byName.get(name);
    if (known === undefined) warnings.push(`the Jekyll plugin ${name} is not supported by Quire and is ignored: pages, tags or filters it adds will be missing`);
    else if (known.support === 'partial') warnings.push(`the Jekyll plugin ${name} is only partly supported: ${known.note}`);
  }
  return warnings;
}
