import { beforeAll, describe, expect, it } from 'vitest';
import { assertCompiled, quire, tempDir } from './run.js';
import { buildOptions } from '../../src/cli/build.js';
import { checkOptions } from '../../src/cli/check.js';
import { initOptions } from '../../src/cli/init.js';
import { newOptions } from '../../src/cli/new.js';
import { serveOptions } from '../../src/cli/serve.js';

beforeAll(assertCompiled);

/** The options each command's help must mention: every flag its parser accepts, long and short. */
const OPTIONS: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries({ init: initOptions, new: newOptions, build: buildOptions, serve: serveOptions, check: checkOptions }).map(([command, options]) => [
    command,
    Object.entries(options as Record<string, { short?: string }>).flatMap(([name, option]) => [`--${name}`, ...(option.short ? [`-${option.short}`] : [])]),
  ]),
);

/** The command names listed under "Commands:" in `quire --help`. */
function listedCommands(help: string): string[] {
  const section = /\nCommands:\n((?: {2}\S.*\n)+)/.exec(help)?.[1] ?? '';
  return section.split('\n').filter(Boolean).map((line) => line.trim().split(/\s+/)[0]!);
}

describe('quire --help', () => {
  it('lists every command, with examples of the writer\'s workflow', async () => {
    const result = await quire(['--help']);
    expect(result.status).toBe(0);
    const commands = listedCommands(result.stdout);
    expect(commands).toEqual(expect.arrayContaining(['init', 'new', 'build', 'serve']));
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('quire init my-blog');
    expect(result.stdout).toContain('quire new "My first post"');
    expect(result.stdout).toContain('quire build --production');
    // `quire` alone and `quire help` show the same.
    expect((await quire([])).stdout).toBe(result.stdout);
    expect((await quire(['help'])).stdout).toBe(result.stdout);
  });
});

describe('quire <command> --help', () => {
  it('every listed command has usage, options and examples', async () => {
    const commands = listedCommands((await quire(['--help'])).stdout);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) {
      for (const flag of ['--help', '-h']) {
        const result = await quire([command, flag]);
        expect(result.status, `quire ${command} ${flag}`).toBe(0);
        expect(result.stderr).toBe('');
        expect(result.stdout, command).toMatch(new RegExp(`^Usage: quire ${command}\\b`));
        expect(result.stdout, command).toContain('\nOptions:\n');
        const examples = /\nExamples:\n((?: {2}quire .*\n)+)/.exec(result.stdout)?.[1];
        expect(examples, `examples of quire ${command}`).toBeDefined();
        for (const example of examples!.split('\n').filter(Boolean)) expect(example).toMatch(new RegExp(`\\bquire ${command}\\b`));
      }
    }
  });

  for (const [command, flags] of Object.entries(OPTIONS)) {
    it(`quire ${command} --help mentions ${flags.join(' ')}`, async () => {
      const { stdout } = await quire([command, '--help']);
      const options = stdout.slice(stdout.indexOf('\nOptions:\n'), stdout.indexOf('\nExamples:\n'));
      for (const flag of flags) expect(options, `${flag} in quire ${command} --help`).toMatch(new RegExp(`(^|[\\s,])${flag}\\b`));
    });
  }
});

describe('mistakes on the command line get a suggestion', () => {
  it('an unknown command suggests the closest one', async () => {
    for (const [typed, meant] of [['biuld', 'build'], ['int', 'init'], ['nwe', 'new'], ['server', 'serve']] as const) {
      const result = await quire([typed]);
      expect(result.status, typed).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`unknown command "${typed}" (did you mean \`quire ${meant}\`?)`);
      expect(result.stderr).toContain('see `quire --help`');
    }
  });

  it('a --threads that is not a whole number of at least 1 says what it must be', async () => {
    for (const value of ['0', 'two', '1.5']) {
      const result = await quire(['build', '--threads', value, '--source', tempDir()]);
      expect(result.status, value).toBe(2);
      expect(result.stderr).toContain(`--threads must be a whole number of at least 1, not "${value}"`);
    }
  });

  it('an unknown command far from all of them gets no guess', async () => {
    const result = await quire(['publish-everything']);
    expect(result.status).toBe(2);
    expect(result.stderr).not.toContain('did you mean');
  });

  it('an unknown flag suggests the closest flag of that command', async () => {
    const cases = [
      [['build', '--draft'], '--draft', 'build', '--drafts'],
      [['build', '--prodution'], '--prodution', 'build', '--production'],
      [['new', 'A title', '--drafts'], '--drafts', 'new', '--draft'],
      [['init', 'x', '--forse'], '--forse', 'init', '--force'],
      [['serve', '--prot', '8080'], '--prot', 'serve', '--port'],
    ] as const;
    for (const [args, flag, command, meant] of cases) {
      const result = await quire(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`unknown option ${flag} for \`quire ${command}\` (did you mean ${meant}?)`);
      expect(result.stderr).toContain(`see \`quire ${command} --help\``);
    }
  });

  it('a folder given to build, serve or check without --source is refused, not ignored for the current folder', async () => {
    const cwd = tempDir();
    for (const command of ['build', 'serve', 'check']) {
      const result = await quire([command, 'my blog'], { cwd });
      expect(result.status, command).toBe(2);
      expect(result.stderr).toContain(`\`quire ${command}\` takes options only, not "my blog"; for the site in my blog, use --source "my blog"`);
    }
  });
});
