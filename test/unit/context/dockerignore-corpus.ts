// The hand-written cases of the .dockerignore differential test, by class of rule. Each ignore file runs
// against two trees (one wide with awkward names, one deep), plus cases about where the Dockerfile and the
// ignore file live. Expected results come from Docker's Go code at test time, never from here.
import type { IgnoreCase } from './dockerignore-oracle.ts';

const WIDE: IgnoreCase['tree'] = [
  'README.md', 'README-secret.md', 'readme.md', 'notes.txt', 'a.log', 'temp', 'tempa', 'a+b.txt', 'aab.txt', 'ab.txt',
  'f(1).txt', 'f1.txt', '{a,b}.txt', 'a.txt', 'b.txt', 'a|b', 'a', 'ab', '# not a comment', '#c', '!bang', 'bang',
  'x y', 'x  y', ' lead', 'trail ', 'ünïcode.txt', 'Ünïcode.txt', '日本.md', 'é.txt', 'e\u0301.txt', 'UPPER.TXT',
  'back\\slash', 'star*', 'starx', 'q?', 'qx', 'br[1].txt', 'br1.txt', 'caret^x', 'dollar$', 'dotxtxt', '1', '12', 'A1',
  'docs/a.txt', 'docs/b.md', 'docs/img/logo.png', 'docs/img/x.txt', 'docs/README.md',
  'conf/secret.yml', 'conf/app.yml', 'conf/sub/secret.yml',
  'src/main.go', 'src/util/helper.go', 'src/util/helper_test.go', 'src/a+b/x.go',
  'node_modules/pkg/index.js', 'node_modules/pkg/package.json', 'node_modules/.bin/x',
  '.git/HEAD', '.env', '.env.local', 'dir/sub/deep/file.md', 'dir/file', 'empty/', 'build/out.bin',
  { path: 'link-to-docs', link: 'docs' }, { path: 'dangling', link: 'nowhere' },
];

const DEEP: IgnoreCase['tree'] = [
  'a/b/c/d.txt', 'a/b/c.txt', 'a/b.txt', 'a.txt', 'b/a/b.txt', 'b/c/a.txt', 'x/y/z/w/v.md', 'x/y.md', 'x/README.md',
  'foo/bar/baz', 'foo/barbaz', 'foobar/x', 'docs/docs/docs.md', 'conf/conf', 'dir/dir/', 'é/ü/ö.txt', 'sp ace/x',
  'node_modules/a/node_modules/b/package.json', 'node_modules/a/index.js', '.hidden/.x', 'src/x.go', 'src/y/z.go',
];

/** Ignore files by class; every one runs against both trees. */
const IGNORE_FILES: Record<string, readonly string[]> = {
  basics: [
    '', '*', '**', '*.md', '**/*.md', '*/', '/', '.', './', '/*', '*/*', '*/*/*', '?', '??', '???', 'README.md',
    'docs', 'docs/*', 'docs/**', 'docs/**/*', 'docs/*/*', 'a', 'a/b', 'a/*', 'a/**/d.txt', 'x/**/v.md', '**/b.txt',
    '*.txt', '**/*.txt', 'node_modules', '**/node_modules', 'foo/bar', 'foo/bar*', 'foo*', 'temp?', 'temp*', '*/temp*',
  ],
  regexpCharacters: [
    'a+b.txt', 'f(1).txt', '{a,b}.txt', 'a|b', 'caret^x', 'caret^*', 'dollar$', 'dollar*', 'dot.txt', '*.t.t',
    'a+*', 'f(?).txt', '(*)', '{*}', '*$', '^*', 'src/a+b', 'src/a+b/*.go', 'a?b.txt', 'dot?txt', 'a.b', '.*', '*.*',
    // patternmatcher leaves `|`, `{` and `}` to Go's regexp: alternation and repetition there.
    'a|b*', 'a|b', 'x|*.md', '|*', '*|', 'a{2}*', 'a{1,}b*', 'e{0}*.txt', '{a,b}*', 'a{1001}*', 'a{2,1}*', 'a{,2}*', 'A1{1}*',
  ],
  comments: [
    '# README.md', ' # not a comment', '  # not a comment', '\t# not a comment', '# not a comment', '#c', '\\#c',
    '!#c', 'README.md # trailing', '#\nREADME.md', '# a\n# b\nnotes.txt', '\uFEFF# README.md\nnotes.txt', ' #c',
  ],
  exceptions: [
    'conf/secret.yml\n!conf', 'conf\n!conf/app.yml', 'conf\n!conf/*.yml', 'conf\n!**/app.yml', 'conf\n!conf/sub',
    'dir/**\n!dir', '**/*.txt\n!docs', '*\n!docs', '*\n!docs/**', '*\n!*/', '*\n!**/', '**\n!**', '*\n!*',
    'docs\n!docs/img\ndocs/img/x.txt', 'node_modules\n!node_modules/pkg/package.json', 'node_modules\n!**/package.json',
    '!README.md', 'README.md\n!README.md', '!README.md\nREADME.md', '*.md\n!README*.md\nREADME-secret.md',
    '*.md\nREADME-secret.md\n!README*.md', '*\n!.dockerignore', '*\n!Dockerfile', 'Dockerfile', '.dockerignore',
    '*\n!src\nsrc/util\n!src/util/helper.go', 'a\n!a/b\na/b/c', 'a\n!a/b/c/d.txt', 'a/b\n!a', 'a/**\n!a/b',
    '**/c.txt\n!a', 'x\n!x/y\n!x/y/z', 'x\n!x/y/z/w', '*\n!x/y/z/w/v.md', 'foo\n!foo/bar/baz', 'foo\n!foo/bar*',
    '**\n!*.md', '**\n!**/*.md', '*\n!**/*.md', 'docs\n!docs', 'docs\n!docs\ndocs', '!*\n*', 'node_modules\n!node_modules/a',
    'a/b\n!a/b/c\n!a/b/c/*', 'a\n!a/?', 'a\n!a/[b]', 'a\n!a/b\\.txt', 'src\n!src/*/z.go', 'b\n!b/*/b.txt',
    // BuildKit enters an excluded folder only by its own rule: `|` matches beyond it, into folders it skips.
    'conf\n!x|/*', 'docs\n!x|/*', 'a\n!q|/*', 'a\n!q|/*\n!a/b', 'conf\n!conf/x|/*', 'node_modules\n!*.json|/*',
  ],
  doubleStar: [
    '**foo', '**.md', '**md', 'docs**', 'docs/**.png', 'a**b', 'a**b.txt', '**/**', '**/**/b.txt', '***', '**/*',
    '*/**', 'x**/', '**x**', '**/', '/**', '**/a', '**/a/**', 'a/**/b.txt', 'a/**/**/d.txt', '**/b/**/*.txt', '**a.txt',
    'foo/**bar', '**/foo/bar', '**e.txt', '**.txt\n!**/b.txt',
  ],
  classes: [
    '[a-z].log', '[!a].txt', '[^a].txt', '[ab].txt', 'br[1].txt', 'br\\[1\\].txt', 'br[[]1].txt', '[[:alpha:]]*',
    '[[:digit:]]*', '[[:^alpha:]]*', '[\\d]*', '[\\w]*', '[a-c]*', '[A-Z]*', '[é-ü]*', '[^a-z]*', '[\\]]*', '[.]*',
    '[*]*', '[?]*', 'a[^x]b.txt', 'f[(]1).txt', '[[]*', '[]]', '[-a]', '[a-]', '[z-a]', '[[:foo:]]', '[\\pL]*', '[\\PL]*',
    'docs[/]a.txt', 'a[/]b.txt', '[^/]*', '[a-c]/[a-c].txt', '*[0-9]', '[0-9][0-9]',
  ],
  errors: [
    '[', '[abc', '[]', '[]a]', '[a-', 'abc\\', '!', '! ', '!/', '\\é', '\\8', 'a*[', '[^]', '[\\]', 'ok\n[', 'ok\n!',
    '\\E', '\\C*', '\\x4', '\\p{L}*', '\\pX', '[[:alpha:]', 'x\n\\z\\', 'a[b-a]c',
  ],
  escapes: [
    '\\*', 'star\\*', 'q\\?', 'back\\\\slash', '\\d*', '\\d\\d', '\\w', '\\w\\d', 'a\\d', 'a\\.txt', 'x\\ y', '\\ lead',
    'trail\\ ', '\\Qa+b\\E*', '\\Q*', '\\x41*', '\\101*', '\\12', 'a\\b*', '\\bab', '\\A1', '1\\z', '\\s*', '\\S*', '\\D',
    '\\W*', '\\pL*', '\\PL*', '\\pN', '\\pn*', '\\p{Lu}*', '\\p{^Lu}*', '\\P{greek}*', '\\p{Latin}*', '\\p{Uppercase_Letter}*',
    '\\p{Han}*', '\\p{Any}*', '\\p{Old_Italic}*', '\\x{41}*', '\\x{}*', '\\x{110000}*', '\\a*', 'star\\*\\*', 'br\\[1].txt', '\\!bang', '!\\!bang', '\\#c', 'docs\\/a.txt',
  ],
  unicode: [
    'ü*', '*ü*', 'é.txt', 'e\u0301.txt', 'e?.txt', 'e??.txt', '日本.md', '??.md', '?.txt', 'Ü*', '[ü]*', '*.TXT',
    'Ünïcode.txt', 'é/ü', 'é/ü/*', '**/ö.txt', '\\é*', 'é\\*',
  ],
  letterCase: ['readme.md', 'README.MD', 'UPPER.TXT', 'upper.txt', '*.TXT', 'DOCS', 'Docs/*', '[R]eadme.md', '[r]eadme.md'],
  whitespace: [
    '  README.md  ', 'README.md\t', '\u00a0README.md', '\u0085README.md', '\u3000README.md', '\u2028README.md',
    '\uFEFFREADME.md', '\uFEFF\uFEFFREADME.md', 'x\n\uFEFFREADME.md', 'x\n\uFEFF*.md', 'x y', 'x  y', ' lead', '\\ lead',
    'trail ', 'trail\\ ', '!  README.md\nREADME.md', 'README.md\n!  README.md', '\t\t', ' \n \n', '\u200bREADME.md',
  ],
  lineEnds: [
    'README.md\r\nnotes.txt\r\n', 'README.md\r', 'README.md\r\r\nnotes.txt', '\r\n\r\nREADME.md', 'README.md\rnotes.txt',
    '\n\n\nREADME.md\n\n', 'notes.txt\n\n\n', '\uFEFFREADME.md\r\nnotes.txt', 'a\r\n!a/b\r\n',
  ],
  slashes: [
    '/docs/', '//docs', 'docs///', '/docs/img/', '!/README.md', '*\n!/docs/', '/README.md', 'README.md/', './README.md',
    'docs//a.txt', 'docs/./a.txt', '/a/b/', './/a', '/./a/', '///', '/**/', '!/', '*\n!/', 'a/b/',
  ],
  dotDot: [
    '..', '../', '../docs', 'docs/..', 'docs/../..', 'a/../../docs', '/..', '/../README.md', '../README.md',
    'docs/../README.md', '!..', '*\n!../x', '*\n!docs/..', 'a/b/../c.txt', 'a/./b/../b.txt', '..*', '../*', 'x/../../..',
  ],
};

const structural: IgnoreCase[] = [
  { name: 'no ignore file', tree: WIDE },
  { name: 'Dockerfile.dockerignore wins', tree: [...WIDE, '.dockerignore'], ignore: 'notes.txt', ignoreName: 'Dockerfile.dockerignore' },
  { name: '<name>.dockerignore next to a nested Dockerfile', tree: [...WIDE, '.dockerignore'], dockerfile: 'app/Dockerfile', ignore: 'notes.txt\napp', ignoreName: 'app/Dockerfile.dockerignore' },
  { name: 'a nested Dockerfile in an excluded folder', tree: [...WIDE, 'app/other.txt'], dockerfile: 'app/Dockerfile', ignore: 'app' },
  { name: 'a nested Dockerfile under **', tree: [...WIDE, 'app/deep/other.txt'], dockerfile: 'app/deep/Dockerfile', ignore: '**' },
  { name: 'a nested ignore file excluding itself', tree: WIDE, dockerfile: 'app/Dockerfile', ignore: '*.dockerignore\napp/*', ignoreName: 'app/Dockerfile.dockerignore' },
  { name: 'a Dockerfile with an odd name', tree: WIDE, dockerfile: 'Docker[1]file', ignore: '*' },
  { name: 'a Dockerfile with an odd name and its own ignore file', tree: WIDE, dockerfile: 'build/x+y.Dockerfile', ignore: '*\n!notes.txt', ignoreName: 'build/x+y.Dockerfile.dockerignore' },
  { name: 'the context .dockerignore when the nested Dockerfile has none', tree: WIDE, dockerfile: 'app/Dockerfile', ignore: 'notes.txt' },
  { name: 'Dockerfile* excludes other Dockerfiles', tree: [...WIDE, 'Dockerfile.prod', 'app/Dockerfile'], ignore: 'Dockerfile*\n**/Dockerfile' },
];

export const corpus: IgnoreCase[] = [
  ...Object.entries(IGNORE_FILES).flatMap(([group, texts]) => texts.flatMap((ignore, i) => [
    { name: `${group} #${i} (wide tree)`, tree: WIDE, ignore },
    { name: `${group} #${i} (deep tree)`, tree: DEEP, ignore },
  ])),
  ...structural,
];
