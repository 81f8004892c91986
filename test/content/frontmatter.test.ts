import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/content/frontmatter.js';
import { InputError } from '../../src/errors.js';
import { YamlTimestamp } from '../../src/content/yaml.js';

function errorOf(text: string): InputError {
  try {
    splitFrontMatter(text, 'posts/x.md');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('splitFrontMatter', () => {
  it('splits YAML front matter from the body and says where the body starts', () => {
    const split = splitFrontMatter('---\ntitle: Hi\ntags: [a, b]\n---\n\nBody line\n', 'p.md');
    expect(split.data).toEqual({ title: 'Hi', tags: ['a', 'b'] });
    expect(split.body).toBe('\nBody line\n');
    expect(split.bodyLine).toBe(5);
    expect(split.hasFrontMatter).toBe(true);
  });

  it('keeps dates as the text the writer typed, marking unquoted YAML timestamps', () => {
    const split = splitFrontMatter('---\ndate: 2024-03-20\nwhen: 2024-03-20 10:00:00 +0100\nquoted: "2024-03-20 10:00:00"\n---\n', 'p.md');
    expect(split.data.date).toBeInstanceOf(YamlTimestamp);
    expect(String(split.data.date)).toBe('2024-03-20');
    expect(String(split.data.when)).toBe('2024-03-20 10:00:00 +0100');
    expect(split.data.quoted).toBe('2024-03-20 10:00:00');
  });

  it('refuses a line like `---x` before the closing `---`, at its line, instead of ending the front matter there', () => {
    const text = '---\ntitle: a\n---x\ncoordinates: [5, 5]\n---\nBody.\n';
    let error: unknown;
    try {
      splitFrontMatter(text, 'posts/2024-01-01-a.md');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: 'posts/2024-01-01-a.md', line: 3 });
    expect((error as InputError).message).toMatch(/the line `---x` starts like the closing `---` but goes on/);
    // A closing line with spaces after it is a closing line.
    expect(splitFrontMatter('---\ntitle: a\n---  \nBody.\n', 'a.md').body).toBe('Body.\n');
  });

  it('treats a file without a leading --- as all body', () => {
    expect(splitFrontMatter('# Hello\n', 'p.md')).toEqual({ hasFrontMatter: false, data: {}, body: '# Hello\n', bodyLine: 1 });
  });

  it('accepts an empty front matter block and a byte order mark', () => {
    const split = splitFrontMatter('\ufeff---\n---\nText', 'p.md');
    expect(split.data).toEqual({});
    expect(split.body).toBe('Text');
  });

  it('names the line and column of malformed YAML', () => {
    const error = errorOf('---\ntitle: ok\nbad: [unclosed\nmore: x\n---\nbody');
    expect(error.file).toBe('posts/x.md');
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/not valid YAML/);
    expect(error.frame).toContain('bad: [unclosed');
  });

  it('explains tab indentation', () => {
    const error = errorOf('---\nmap:\n\tx: 1\n---\n');
    expect(error.line).toBe(3);
    expect(error.hint).toMatch(/tabs/);
  });

  it('reports a missing closing ---', () => {
    const error = errorOf('---\ntitle: no end\n\nSome text');
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/not closed/);
  });

  it('never runs JavaScript front matter: `---js` is not a front matter fence, as in Jekyll', () => {
    const split = splitFrontMatter('---js\n{ title: (() => { globalThis.pwned = true; return "x" })() }\n---\n', 'p.md');
    expect(split.hasFrontMatter).toBe(false);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('refuses YAML tags that would construct code', () => {
    const error = errorOf('---\ntitle: !!js/function "function () { return 1 }"\n---\n');
    expect(error.message).toMatch(/not valid YAML/);
  });

  it('refuses a deep alias bomb with few aliases', () => {
    const lines = ['l0: &l0 [x, x]'];
    for (let i = 1; i < 60; i++) lines.push(`l${i}: &l${i} [*l${i - 1}, *l${i - 1}]`);
    const started = Date.now();
    expect(errorOf(`---\n${lines.join('\n')}\n---\n`).message).toMatch(/billion laughs/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('allows ordinary aliases and merge keys', () => {
    const split = splitFrontMatter('---\nbase: &base {a: 1}\nother:\n  <<: *base\n  b: 2\n---\n', 'p.md');
    expect(split.data.other).toEqual({ a: 1, b: 2 });
  });

  it('refuses alias bombs quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const error = errorOf(`---\n${lines.join('\n')}\n---\n`);
    expect(error.message).toMatch(/billion laughs/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects front matter that is not a map', () => {
    expect(errorOf('---\n- a\n- b\n---\n').message).toMatch(/map/);
  });
});
