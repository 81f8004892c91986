import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { checkDestination } from '../../src/output/write.js';

describe('where a build may write', () => {
  const source = path.join(os.tmpdir(), 'blog');

  it.each([
    ['the source folder itself', source, /source folder itself/],
    ['a folder that contains the source', path.dirname(source), /contains the source/],
    ['the home folder', os.homedir(), /home folder|contains the source/],
    ['the filesystem root', path.parse(source).root, /root of the filesystem/],
  ])('refuses %s', (_, destination, reason) => {
    let error: unknown;
    try {
      checkDestination(source, destination);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(reason);
  });

  it('accepts a folder of its own, inside the source or beside it', () => {
    expect(() => checkDestination(source, path.join(source, '_site'))).not.toThrow();
    expect(() => checkDestination(source, path.join(os.tmpdir(), 'blog-site'))).not.toThrow();
  });
});
