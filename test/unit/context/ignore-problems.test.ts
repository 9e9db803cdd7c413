// The refused lines of a .dockerignore, as the Problems view shows them: every one, on its own line number.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ignoreFileProblems, isIgnoreFileName } from '../../../src/core/context/ignore-problems.ts';

describe('ignoreFileProblems', () => {
  it('names every line Docker refuses, with its number and why', () => {
    const text = '# comment\nnode_modules\n[abc\n!\n  \n[]x\nabc\\\n\\é*\nok\n  # not a comment\n[z-a]*\n';
    const found = ignoreFileProblems(text).map(({ line, problem }) => [line, problem]);
    assert.equal(found.length, 6);
    assert.deepEqual(found.map(([line]) => line), [3, 4, 6, 7, 8, 11]);
    const words = ['unclosed', 'no pattern', 'empty character class', 'trailing backslash', 'invalid escape sequence', 'invalid character class range'];
    found.forEach(([, problem], i) => assert.match(String(problem), new RegExp(words[i])));
  });

  it('counts lines as Docker does across a BOM, CRLF and comments', () => {
    assert.deepEqual(ignoreFileProblems('\uFEFF# c\r\nok\r\n\r\n ![\r\n').map(({ line, pattern }) => [line, pattern]), [[4, '![']]);
  });

  it('finds nothing in a file Docker takes', () => {
    assert.deepEqual(ignoreFileProblems('*\n!src/**/*.go\n**/[a-z]?.txt\n\\[x\\]\n  # x\na|b\n'), []);
  });

  it('knows ignore files by name', () => {
    assert.ok(isIgnoreFileName('.dockerignore'));
    assert.ok(isIgnoreFileName('Dockerfile.prod.dockerignore'));
    assert.ok(!isIgnoreFileName('.gitignore'));
    assert.ok(!isIgnoreFileName('Dockerfile'));
  });
});
