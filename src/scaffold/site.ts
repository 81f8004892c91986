/**
 * The text of the files `quire init` writes and of the post `quire new` starts. The theme
 * (`templates/`, `public/`) is copied from Quire's own package, not kept here.
 */

export interface ScaffoldOptions {
  readonly title: string;
  /** IANA zone written to `_config.yml`, and the zone the welcome post is dated in. */
  readonly timezone: string;
  /** The welcome post's day (`2024-03-21`) and full date (`2024-03-21 08:30:00 +0900`). */
  readonly day: string;
  readonly date: string;
  /** The npm package name of the new site (`my-blog`). */
  readonly packageName: string;
  /** Quire's own version, so the site depends on the Quire that made it. */
  readonly quireVersion: string;
}

/** The slug of the welcome post, part of its file name and URL. */
export const WELCOME_SLUG = 'welcome-to-quire';

/** Every scaffold file except the theme, by path relative to the new site. */
export function scaffoldFiles(options: ScaffoldOptions): Record<string, string> {
  return {
    '_config.yml': configFile(options),
    [`posts/${options.day}-${WELCOME_SLUG}.md`]: welcomePost(options),
    'package.json': packageJson(options),
    '.gitignore': gitignore,
    'README.md': readme(options),
    '.github/workflows/pages.yml': pagesWorkflow,
  };
}

/** A YAML scalar for any text: JSON's double-quoted strings are valid YAML. */
export function yamlString(text: string): string {
  return JSON.stringify(text);
}

/**
 * A new post's file: `title`, `layout: post`, `categories: []`, a commented `coordinates` line
 * to place it on the map, and `date` when given (drafts have none; Jekyll dates them by file time).
 */
export function postFile(title: string, date?: string): string {
  return `---
layout: post
title: ${yamlString(title)}
${date === undefined ? '' : `date: ${date}\n`}categories: []
# Where the post sits on the map: [x, y], each from 0 to 1 (see \`map:\` in _config.yml).
# coordinates: [0.5, 0.5]
---

`;
}

function configFile(options: ScaffoldOptions): string {
  return `# _config.yml: the settings of your blog.
#
# Quire reads the same keys as Jekyll, with Jekyll's defaults, plus a few of its
# own (\`map\`, \`feed\`). Any other key you add is available to templates as
# \`site.<key>\`. \`quire serve\` rebuilds the whole site when you save it.

# The blog's name: shown in the header, in the <title> of every page and in the feed.
title: ${yamlString(options.title)}

# One or two sentences about the blog, for the home page, the
# <meta name="description"> tag and the feed's subtitle.
description: >-
  A blog written with Quire.

# The default author of every post (a post may set its own \`author:\`).
# A map works too: \`author: { name: Ada Lovelace, email: ada@example.org }\`.
author: ""

# The site's public address, without a trailing slash, e.g.
# https://example.org or https://USERNAME.github.io. Used for absolute links in
# the feed, the sitemap and canonical URLs: set it before you publish.
url: ""

# The path the site lives under at that address; "" when it is served from the
# root. On GitHub Pages the workflow in .github/workflows gives the build the
# right one (\`--baseurl\`); elsewhere, a site served under a path
# (https://example.org/blog/) needs it here ("/blog").
baseurl: ""

# The IANA time zone your dates are in: \`date: 2024-03-20\` in a post means
# midnight here, and \`quire new\` dates posts by this zone's calendar. Without
# it, the zone of whichever machine builds the site is used.
timezone: ${options.timezone}

# How post addresses are built. \`date\` is Jekyll's default,
# /:categories/:year/:month/:day/:title.html. Other styles: pretty
# (/:categories/:year/:month/:day/:title/), ordinal, weekdate, none, or your own
# pattern such as /:year/:title/. Changing it later breaks links people saved.
permalink: date

# Posts per page on the home page; remove this line for one long list. Later
# pages go to /page2/, /page3/... (see \`paginate_path\` in Jekyll's docs).
paginate: 10

# The language of your writing, for <html lang="..."> and the feed.
lang: en

# The map: each post may place itself with \`coordinates: [x, y]\` in its front
# matter, both from 0 to 1; x grows to the right, y grows upward. Posts without
# coordinates are listed beside the map. Name the axes after what you write about.
map:
  # What the horizontal axis measures, left to right.
  x_label: Concrete → Abstract
  # What the vertical axis measures, bottom to top.
  y_label: Personal → Public
  # The labels of the four corners, in this order:
  # top-left, top-right, bottom-left, bottom-right.
  quadrants:
    - Tools & practice      # concrete, public
    - Ideas & society       # abstract, public
    - Notes & how-tos       # concrete, personal
    - Reflections           # abstract, personal
  # How many of the nearest posts on the map a post page suggests.
  nearby: 3

# The Atom feed at /feed.xml (plus one per category under /feed/).
feed:
  # How many of the newest posts each feed carries (jekyll-feed's key).
  posts_limit: 10
  # true: entries carry each post's summary but not its content, as in jekyll-feed.
  excerpt_only: false
`;
}

function welcomePost(options: ScaffoldOptions): string {
  return `---
layout: post
title: "Welcome to Quire"
date: ${options.date}
categories: []
tags: [welcome]
coordinates: [0.3, 0.7]
---

This is the first post of your new blog. It lives in
\`posts/${options.day}-${WELCOME_SLUG}.md\`: edit it, or delete it once you have
written your own.

## Writing a post

Every post is a Markdown file in \`posts/\` whose name starts with its date. The
easiest way to start one is

\`\`\`sh
npx quire new "The title of my post"
\`\`\`

which creates \`posts/YYYY-MM-DD-the-title-of-my-post.md\` dated today. Add
\`--draft\` to put it in \`_drafts/\` instead, where it stays out of the site until you
move it to \`posts/\` (preview drafts with \`npm run serve -- --drafts\`).

The lines between the two \`---\` at the top are the *front matter*: the title,
the date, \`categories\`, \`tags\` and anything else your templates use.

## The map

Besides the usual list by date, the blog draws a map of your posts. This post
has \`coordinates: [0.3, 0.7]\` in its front matter: 0.3 of the way from left to
right and 0.7 of the way up. The axes mean whatever you decide; name them with
\`map:\` in \`_config.yml\`. Posts without coordinates are listed beside the map.

## Previewing and publishing

\`npm run serve\` shows the blog at <http://127.0.0.1:4000/> and rebuilds it
every time you save. \`npm run build\` writes the finished site to \`_site/\`.
To publish on GitHub Pages, see the README next to \`_config.yml\`.
`;
}

/**
 * What `quire init --force` makes of a file the folder already has, given Quire's text for it:
 * the folder's own `.gitignore` with the lines of Quire's it lacks added, its own package.json with
 * Quire's scripts and dependency added where it has nothing of the same name (`merged`), its own
 * README.md kept (`keep`); any other file is Quire's (`replace`).
 */
export function mergeWithExisting(relative: string, ours: string, existing: string): { merged: string; otherScripts?: string[] } | 'keep' | 'replace' {
  if (relative === 'README.md') return 'keep';
  if (relative === '.gitignore') {
    const have = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
    const missing = ours.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#') && !have.has(line.trim()));
    if (missing.length === 0) return 'keep';
    return { merged: `${existing}${existing === '' || existing.endsWith('\n') ? '' : '\n'}# Added by quire init\n${missing.join('\n')}\n` };
  }
  if (relative === 'package.json') {
    let theirs: Record<string, unknown>;
    try {
      theirs = JSON.parse(existing) as Record<string, unknown>;
    } catch {
      return 'keep'; // not JSON: left for its owner to mend (init says so)
    }
    if (theirs === null || typeof theirs !== 'object' || Array.isArray(theirs)) return 'keep';
    const quire = JSON.parse(ours) as Record<string, Record<string, string>>;
    const merged: Record<string, unknown> = { ...theirs };
    // Scripts of the folder's own under Quire's names (a `build` that runs make): kept, and said.
    const otherScripts: string[] = [];
    for (const field of ['scripts', 'dependencies'] as const) {
      const current = (typeof theirs[field] === 'object' && theirs[field] !== null ? theirs[field] : {}) as Record<string, string>;
      merged[field] = { ...quire[field], ...current };
      if (field === 'scripts') for (const [name, command] of Object.entries(quire.scripts ?? {})) if (name in current && current[name] !== command) otherScripts.push(`${name} (${current[name]}; Quire's is \`${command}\`)`);
    }
    return { merged: `${JSON.stringify(merged, null, 2)}\n`, otherScripts };
  }
  return 'replace';
}

function packageJson(options: ScaffoldOptions): string {
  const pkg = {
    name: options.packageName,
    private: true,
    description: `${options.title}: a blog built with Quire`,
    scripts: {
      build: 'quire build',
      serve: 'quire serve',
    },
    dependencies: {
      'quire-ssg': `^${options.quireVersion}`,
    },
    engines: {
      node: '>=20.19',
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const gitignore = `# Made by \`quire build\` and \`quire serve\`
_site/
.quire-cache/
# Installed by npm
node_modules/
`;

function readme(options: ScaffoldOptions): string {
  return `# ${options.title}

A blog built with [Quire](https://www.npmjs.com/package/quire-ssg), a Jekyll-compatible
static blog generator.

## Writing

\`\`\`sh
npm install                      # once: installs Quire
npm run serve                    # preview at http://127.0.0.1:4000/, rebuilt on every save
npx quire new "My next post"     # starts posts/YYYY-MM-DD-my-next-post.md
npx quire new "An idea" --draft  # starts _drafts/an-idea.md (preview with: npm run serve -- --drafts)
\`\`\`

- \`_config.yml\`: the blog's settings, each one explained in a comment.
- \`posts/\`: the posts, one Markdown file each, named \`YYYY-MM-DD-title.md\`.
- \`templates/\` and \`public/\`: the theme (Nunjucks templates, CSS). Edit them freely; a
  template you delete falls back to Quire's built-in one.

## Publishing on GitHub Pages

1. Run \`npm install\` once and commit \`package-lock.json\`: the workflow installs
   exactly those versions with \`npm ci\`.
2. Push this folder to a GitHub repository.
3. In the repository's *Settings → Pages*, set *Source* to *GitHub Actions*.

Every push to \`main\` then runs \`.github/workflows/pages.yml\`, which builds the site with
\`npx quire build --production\`, under the path GitHub serves it from (\`--baseurl\`: a
project site lives at https://USERNAME.github.io/REPOSITORY/), and publishes \`_site/\`.
Set \`url: "https://USERNAME.github.io"\` (or your domain) in \`_config.yml\` for the feed
and the sitemap.
`;
}

const pagesWorkflow = `# Builds the blog and publishes it on GitHub Pages on every push to main.
#
# Once: run \`npm install\` and commit package-lock.json (\`npm ci\` needs it), then in
# the repository's Settings -> Pages set "Source" to "GitHub Actions".
#
# A *project* site is served at https://USERNAME.github.io/REPOSITORY/, under a
# path: the build is told that path (\`--baseurl\`, from GitHub's Pages settings), so
# links and stylesheets point at the right place; a user site (a repository named
# USERNAME.github.io) or a custom domain gets none. Set \`url:\` in _config.yml
# (https://USERNAME.github.io, or your domain) for the feed and sitemap.
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a newer push waits instead of cancelling a running one.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
          cache: npm
      - id: pages
        uses: actions/configure-pages@v5
      - name: Build
        run: npm ci && npx quire build --production --baseurl "\${{ steps.pages.outputs.base_path }}"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy
        id: deployment
        uses: actions/deploy-pages@v4
`;
