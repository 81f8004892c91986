/**
 * Fenced code is highlighted by highlight.js: its common languages are loaded first, the others
 * when a post first names one. Each case runs in a fresh Node process (the compiled Quire), since
 * what highlight.js has loaded lasts for the whole process.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUIRE_ROOT } from '../../src/package-root.js';
import { ensureCompiled } from '../errors/support.js';

const MARKDOWN = path.join(QUIRE_ROOT, 'dist', 'markup', 'markdown.js');
const SAMPLES: Record<string, string> = {
  python: 'def f(x):\n    return x + 1  # one more\n',
  js: 'const a = [1, "two"];\n',
  // A common language that embeds one that is not (a Mojolicious template after __DATA__).
  perl: 'print 1;\n__DATA__\n@@ index.html.ep\n<p><%= $x %></p>\n',
  elixir: 'defmodule Greeter do\n  def hello(name), do: "Hi #{name}"\nend\n',
  nginx: 'server {\n  listen 80;\n  root /var/www;\n}\n',
  Dockerfile: 'FROM node:20\nRUN npm ci\n',
};

/** Runs `script` (an ES module body) in a new Node process and returns what it printed, as JSON. */
function inFreshProcess(script: string): unknown {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: QUIRE_ROOT });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

/** What highlight.js itself gives with every language loaded, to compare with. */
function fromHighlightJs(): Record<string, string> {
  return inFreshProcess(`
    import hljs from 'highlight.js';
    const samples = ${JSON.stringify(SAMPLES)};
    console.log(JSON.stringify(Object.fromEntries(Object.entries(samples).map(([name, code]) => [name, hljs.highlight(code, { language: name.toLowerCase(), ignoreIllegals: true }).value]))));
  `) as Record<string, string>;
}

beforeAll(() => ensureCompiled());

describe('highlighting fenced code', () => {
  it('gives what highlight.js gives for common and other languages alike, loading the others only when a post names one', () => {
    const quire = inFreshProcess(`
      import { createRequire } from 'node:module';
      import { highlightCode } from ${JSON.stringify(MARKDOWN)};
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.endsWith('/highlight.js/lib/index.js'));
      const samples = ${JSON.stringify(SAMPLES)};
      const out = {};
      out.python = highlightCode(samples.python, 'python');
      out.js = highlightCode(samples.js, 'js');
      out.perl = highlightCode(samples.perl, 'perl');
      const afterCommon = loaded();
      out.elixir = highlightCode(samples.elixir, 'elixir');
      out.nginx = highlightCode(samples.nginx, 'nginx');
      out.Dockerfile = highlightCode(samples.Dockerfile, 'Dockerfile');
      console.log(JSON.stringify({ out, afterCommon, afterOthers: loaded(), unknown: highlightCode('<b> & c', 'no-such-language') }));
    `) as { out: Record<string, string>; afterCommon: boolean; afterOthers: boolean; unknown: string };
    expect(quire.out).toEqual(fromHighlightJs());
    expect(quire.out.elixir).toContain('<span class="hljs-keyword">defmodule</span>');
    expect(quire.out.perl).toContain('<span class="language-mojolicious">');
    expect([quire.afterCommon, quire.afterOthers]).toEqual([false, true]);
    // A language no one knows is shown as it is, escaped.
    expect(quire.unknown).toBe('&lt;b&gt; &amp; c');
  });
});
