// .dockerignore conformance: each case is a pattern list, the tree, and the expected content
// of the archive, from Docker's documented behaviour (docs.docker.com, "Dockerignore files"):
// Go filepath.Match patterns after filepath.Clean, `**` for any number of directories, `!`
// exceptions where the last matching line wins, matching done on the path relative to the
// context root (a leading `/` changes nothing), case-sensitive on Linux, no directory-only
// patterns (`foo/` is `foo`), and the Dockerfile and the ignore file always sent.
//
// Expected sets are the archive's leaves: files, symlinks, and directories with nothing below
// them in the archive (so an included but emptied folder shows as `dir/`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildTree, listWithTar, packToBuffer, removeDir, tempDir } from './fixtures.ts';
import type { TreeSpec } from './fixtures.ts';

const BASE = [
  'README.md', 'README-secret.md', 'notes.txt', 'a.log', 'temp', 'tempa', 'tempab', 'weird[1].txt', 'weird1.txt',
  'docs/guide.md', 'docs/img/logo.png', 'src/main.go', 'src/util/helper.go', 'src/util/helper_test.go',
  'somedir/temporary.txt', 'somedir/temp/x', 'somedir/subdir/temporary.txt',
  'node_modules/pkg/index.js', 'node_modules/pkg/package.json', '.git/HEAD', 'build/out.bin', 'logs/b.log', 'empty/',
];

interface Case {
  readonly name: string;
  /** Content of the ignore file (`.dockerignore` unless `files` says otherwise). */
  readonly ignore?: string;
  /** Paths removed from BASE (a path removes everything below it too). */
  readonly minus?: readonly string[];
  /** Leaves added to the expectation (emptied folders). */
  readonly plus?: readonly string[];
  /** Extra files for the tree, with content; they are expected unless listed in `minus`. */
  readonly files?: Readonly<Record<string, string>>;
  readonly dockerfile?: string;
  readonly ignoreFileUsed?: string;
}

const cases: Case[] = [
  { name: 'no ignore file sends everything' },
  { name: 'a comment line is ignored', ignore: '# README.md\n' },
  { name: 'a plain name excludes that file at the root', ignore: 'README.md', minus: ['README.md'] },
  { name: 'surrounding spaces are trimmed', ignore: '   README.md   ', minus: ['README.md'] },
  { name: 'CRLF line ends and blank lines', ignore: 'README.md\r\n\r\n\r\nnotes.txt\r\n', minus: ['README.md', 'notes.txt'] },
  { name: 'a UTF-8 BOM before the first pattern', ignore: '\uFEFFREADME.md\n', minus: ['README.md'] },
  { name: '* does not cross /', ignore: '*.md', minus: ['README.md', 'README-secret.md'] },
  { name: '**/*.md matches at any depth, root included', ignore: '**/*.md', minus: ['README.md', 'README-secret.md', 'docs/guide.md'] },
  { name: 'docs example */temp*', ignore: '*/temp*', minus: ['somedir/temporary.txt', 'somedir/temp'] },
  { name: 'docs example */*/temp*', ignore: '*/*/temp*', minus: ['somedir/subdir'], plus: ['somedir/subdir/'] },
  { name: 'docs example temp? matches one character', ignore: 'temp?', minus: ['tempa'] },
  { name: 'temp* matches the prefix at the root only', ignore: 'temp*', minus: ['temp', 'tempa', 'tempab'] },
  { name: '**/temp* matches at every depth', ignore: '**/temp*', minus: ['temp', 'tempa', 'tempab', 'somedir/temporary.txt', 'somedir/temp', 'somedir/subdir'], plus: ['somedir/subdir/'] },
  { name: '**/temp matches the exact name at every depth', ignore: '**/temp', minus: ['temp', 'somedir/temp'] },
  { name: '? matches exactly one character', ignore: '?.log', minus: ['a.log'] },
  { name: 'a character range', ignore: '[a-z].log', minus: ['a.log'] },
  { name: 'a character range that does not match', ignore: '[b-z].log' },
  { name: 'a negated character class', ignore: '[^a].log' },
  { name: 'brackets are a class, not literal', ignore: 'weird[1].txt', minus: ['weird1.txt'] },
  { name: 'escaped brackets are literal', ignore: 'weird\\[1\\].txt', minus: ['weird[1].txt'] },
  { name: 'matching is case-sensitive', ignore: 'readme.md' },
  { name: 'a folder name excludes the folder and all below', ignore: 'docs', minus: ['docs'] },
  { name: 'a trailing slash changes nothing', ignore: 'docs/', minus: ['docs'] },
  { name: 'a leading slash changes nothing', ignore: '/docs', minus: ['docs'] },
  { name: './ is cleaned away', ignore: './docs', minus: ['docs'] },
  { name: 'dir/../ is cleaned away', ignore: 'docs/../README.md', minus: ['README.md'] },
  { name: 'a leading ../ never matches', ignore: '../README.md' },
  { name: '/../ at the start is cleaned to the root', ignore: '/../README.md', minus: ['README.md'] },
  { name: 'a doubled slash is cleaned', ignore: 'docs//guide.md', minus: ['docs/guide.md'] },
  { name: 'no directory-only patterns: temp/ also excludes the file temp', ignore: 'temp/', minus: ['temp'] },
  { name: 'dir/* empties the folder but keeps it', ignore: 'docs/*', minus: ['docs'], plus: ['docs/'] },
  { name: 'dir/** empties the folder but keeps it', ignore: 'docs/**', minus: ['docs'], plus: ['docs/'] },
  { name: 'a pattern below a folder', ignore: 'docs/img/*.png', minus: ['docs/img/logo.png'], plus: ['docs/img/'] },
  { name: 'src/*.go matches one level only', ignore: 'src/*.go', minus: ['src/main.go'] },
  { name: 'src/*/helper.go', ignore: 'src/*/helper.go', minus: ['src/util/helper.go'] },
  { name: 'src/**/helper* at any depth below src', ignore: 'src/**/helper*', minus: ['src/util'], plus: ['src/util/'] },
  { name: 'somedir/**/temporary.txt: ** also matches zero folders', ignore: 'somedir/**/temporary.txt', minus: ['somedir/temporary.txt', 'somedir/subdir'], plus: ['somedir/subdir/'] },
  { name: '**/*_test.go', ignore: '**/*_test.go', minus: ['src/util/helper_test.go'] },
  { name: '**/util matches a nested folder', ignore: '**/util', minus: ['src/util'] },
  { name: '**/*.log', ignore: '**/*.log', minus: ['a.log', 'logs'], plus: ['logs/'] },
  { name: 'logs/*.log', ignore: 'logs/*.log', minus: ['logs'], plus: ['logs/'] },
  { name: '* excludes everything but the Dockerfile and the ignore file', ignore: '*', minus: BASE },
  { name: '** excludes everything but the Dockerfile and the ignore file', ignore: '**', minus: BASE },
  { name: 'docs example: *.md with !README.md', ignore: '*.md\n!README.md', minus: ['README-secret.md'] },
  { name: 'docs example: !README*.md then README-secret.md', ignore: '*.md\n!README*.md\nREADME-secret.md', minus: ['README-secret.md'] },
  { name: 'docs example: the last matching line wins', ignore: '*.md\nREADME-secret.md\n!README*.md' },
  { name: 'an exception alone changes nothing', ignore: '!README.md' },
  { name: 'exclude then re-include the same file', ignore: 'README.md\n!README.md' },
  { name: 'an exception before the exclusion has no effect', ignore: '!README.md\nREADME.md', minus: ['README.md'] },
  { name: 'exclude, re-include, exclude again', ignore: 'build\n!build/out.bin\nbuild/out.bin', minus: ['build'] },
  { name: '* then !src re-includes a whole folder', ignore: '*\n!src', minus: BASE.filter((p) => !p.startsWith('src/')) },
  { name: '* then !src/**/*.go', ignore: '*\n!src/**/*.go', minus: BASE.filter((p) => !p.endsWith('.go')) },
  { name: '**/*.go then !src/util/*.go', ignore: '**/*.go\n!src/util/*.go', minus: ['src/main.go'] },
  { name: 'node_modules is excluded', ignore: 'node_modules', minus: ['node_modules'] },
  { name: '**/node_modules is excluded', ignore: '**/node_modules', minus: ['node_modules'] },
  { name: 'an exception below an excluded folder', ignore: 'node_modules\n!node_modules/pkg/package.json', minus: ['node_modules/pkg/index.js'] },
  { name: 'a ** exception below an excluded folder', ignore: 'node_modules\n!**/package.json', minus: ['node_modules/pkg/index.js'] },
  { name: 'an exception re-including a subfolder', ignore: 'node_modules/\n!node_modules/pkg/' },
  { name: 'an exception that matches nothing below', ignore: 'node_modules\n!docs/guide.md', minus: ['node_modules'] },
  { name: 'excluded folder and its re-included file, then the folder again', ignore: 'src/util\n!src/util/helper.go', minus: ['src/util/helper_test.go'] },
  { name: '.git is excluded', ignore: '.git', minus: ['.git'] },
  { name: '.* excludes dot files but the ignore file is still sent', ignore: '.*', minus: ['.git'] },
  { name: 'the Dockerfile is sent even when excluded', ignore: 'Dockerfile' },
  { name: 'the .dockerignore is sent even when excluded', ignore: '.dockerignore' },
  { name: 'a Dockerfile in a folder is sent even when its folder is excluded', dockerfile: 'app/Dockerfile', ignore: 'app', files: { 'app/Dockerfile': 'FROM scratch\n', 'app/other.txt': 'x' }, minus: ['app/other.txt'] },
  {
    name: '<Dockerfile>.dockerignore wins over .dockerignore',
    dockerfile: 'app/Dockerfile',
    ignore: 'README.md',
    files: { 'app/Dockerfile': 'FROM scratch\n', 'app/Dockerfile.dockerignore': 'notes.txt\n' },
    minus: ['notes.txt'],
    ignoreFileUsed: 'app/Dockerfile.dockerignore',
  },
  {
    name: '<Dockerfile>.dockerignore is sent even when it excludes itself',
    dockerfile: 'Dockerfile.prod',
    files: { 'Dockerfile.prod': 'FROM scratch\n', 'Dockerfile.prod.dockerignore': '*.dockerignore\nDockerfile*\nREADME.md\n' },
    // Dockerfile* also matches the plain Dockerfile, which is an ordinary file here.
    minus: ['README.md', 'Dockerfile'],
    ignoreFileUsed: 'Dockerfile.prod.dockerignore',
  },
  { name: 'without <Dockerfile>.dockerignore the context .dockerignore applies', dockerfile: 'app/Dockerfile', ignore: 'notes.txt', files: { 'app/Dockerfile': 'FROM scratch\n' }, minus: ['notes.txt'] },
  // What Docker's own Go code does where @balena/dockerignore did not (issue 12).
  { name: 'regexp characters are literal: a+b.txt', ignore: 'a+b.txt', files: { 'a+b.txt': 'x', 'aab.txt': 'x' }, minus: ['a+b.txt'] },
  { name: '( ) { } , | are literal', ignore: 'f(1).txt\n{a,b}.txt\na|b', files: { 'f(1).txt': 'x', 'f1.txt': 'x', '{a,b}.txt': 'x', 'a|b': 'x', 'a': 'x' }, minus: ['f(1).txt', '{a,b}.txt', 'a|b'] },
  { name: 'a # after spaces is a pattern, not a comment', ignore: '  # secret', files: { '# secret': 'x' }, minus: ['# secret'] },
  { name: 'an exception for a folder does not re-include its excluded children', ignore: 'conf/secret.yml\n!conf', files: { 'conf/secret.yml': 'x', 'conf/app.yml': 'x' }, minus: ['conf/secret.yml'] },
  { name: 'dir/** then !dir keeps the folder but not its files', ignore: 'docs/**\n!docs', minus: ['docs'], plus: ['docs/'] },
  {
    name: '**/*.txt then !docs still drops docs/a.txt',
    ignore: '**/*.txt\n!docs',
    files: { 'docs/a.txt': 'x' },
    minus: ['notes.txt', 'weird[1].txt', 'weird1.txt', 'docs/a.txt', 'somedir/temporary.txt', 'somedir/subdir'],
    plus: ['somedir/subdir/'],
  },
  { name: '**.md glued to text is a suffix match across folders', ignore: '**.md', minus: ['README.md', 'README-secret.md', 'docs/guide.md'] },
];

function leavesOf(names: readonly string[]): string[] {
  return names.filter((name) => !(name.endsWith('/') && names.some((other) => other !== name && other.startsWith(name)))).sort();
}

function expectedLeaves(c: Case): string[] {
  const removed = (path: string): boolean => (c.minus ?? []).some((m) => path === m || path.startsWith(m.endsWith('/') ? m : `${m}/`));
  const all = [...BASE, ...Object.keys(c.files ?? {}), 'Dockerfile', ...(c.ignore === undefined ? [] : ['.dockerignore'])];
  return [...new Set([...all.filter((p) => !removed(p)), ...(c.plus ?? [])])].sort();
}

describe('.dockerignore conformance', () => {
  const dirs: string[] = [];
  before(() => assert.ok(cases.length >= 60, `only ${cases.length} cases`));
  after(async () => {
    for (const dir of dirs) await removeDir(dir);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const root = await tempDir();
      dirs.push(root);
      const spec: TreeSpec = { 'Dockerfile': 'FROM scratch\n' };
      for (const path of BASE) spec[path] = path.endsWith('/') ? { dir: true } : `content of ${path}\n`;
      Object.assign(spec, c.files ?? {});
      if (c.ignore !== undefined) spec['.dockerignore'] = c.ignore;
      await buildTree(root, spec);
      const dockerfile = join(root, c.dockerfile ?? 'Dockerfile');
      const { archive, manifest } = await packToBuffer({ contextDir: root, dockerfile });
      assert.deepEqual(leavesOf(await listWithTar(archive)), expectedLeaves(c));
      assert.equal(manifest.ignoreFile, c.ignoreFileUsed ?? (c.ignore === undefined ? undefined : '.dockerignore'));
      assert.equal(manifest.dockerfileInArchive, c.dockerfile ?? 'Dockerfile');
    });
  }
});
