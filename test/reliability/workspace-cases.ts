// Hostile and bad workspaces (names, links, permissions, vanishing files, size), part of the input table.
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { chmod, mkdir, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { inspectImage } from '../sandbox/registry/inspect.ts';
import { BUSYBOX, makeContext } from '../integration/helpers.ts';
import type { InputCase } from './input-support.ts';
import { SIMPLE, imageContains, imageLacks, imageLinks, layersList, plainRequest, sha } from './input-support.ts';

const OUTSIDE = 'outside the context: must never be sent';
/** Context paths as the image holds them under SIMPLE's `COPY . /app/`. */
const inApp = (paths: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(paths).map(([path, value]) => [`app/${path}`, value]));

/** Problems: file descriptors of this process still open on something below `dir`. */
async function openBelow(dir: string): Promise<string[]> {
  const open: string[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(`${dir}/`)) open.push(`fd ${fd} is still open on ${target}`);
  }
  return open;
}

/** `locked` (a folder when it has no dot, else a file) is chmod 000 and the build runs without root's powers, so that it means no access. */
function unreadableCase(name: string, locked: string, message: RegExp): InputCase {
  const folder = !locked.includes('.');
  return {
    name, outcome: 'failed', reason: 'BadInput', unprivileged: true, message,
    fix: new RegExp(`chmod u\\+r ".*/${locked.replace('.', '\\.')}"\`, and u\\+x for a folder\\) or add it to \\.dockerignore`),
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: SIMPLE, 'open.txt': 'open', [folder ? `${locked}/inner.txt` : locked]: 'locked away' });
      const path = join(contextDir, locked);
      await chmod(path, 0o000);
      return { request: plainRequest(env, contextDir, 'unreadable'), close: () => chmod(path, 0o755) };
    },
  };
}

interface BulkSpec {
  readonly name: string;
  readonly figure: string;
  readonly files: number;
  /** Random bytes per file; 0 for a short text naming the file. */
  readonly fileBytes: number;
  readonly large?: boolean;
}

const MARKER_ONLY = `FROM ${BUSYBOX}\nCOPY marker.txt /marker.txt\n`;
const PER_FOLDER = 1000;

/** Writes `files` files, 1000 per folder; returns the sha256 of each by context path when `keep`. */
async function writeBulk(contextDir: string, spec: BulkSpec, keep: boolean): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (let first = 0; first < spec.files; first += PER_FOLDER) {
    const folder = `d${String(first / PER_FOLDER).padStart(4, '0')}`;
    await mkdir(join(contextDir, folder));
    const writes: Array<Promise<void>> = [];
    for (let i = first; i < Math.min(first + PER_FOLDER, spec.files); i++) {
      const path = `${folder}/f${i}.txt`;
      const content = spec.fileBytes === 0 ? Buffer.from(`file ${i}\n`) : randomBytes(spec.fileBytes);
      if (keep) hashes.set(path, sha(content));
      writes.push(writeFile(join(contextDir, path), content));
      // A few writes at a time: 1 GB of contents must not sit in memory at once.
      if (writes.length >= (spec.fileBytes > 2 ** 20 ? 2 : 64)) await Promise.all(writes.splice(0));
    }
    await Promise.all(writes);
  }
  return hashes;
}

/**
 * A big context. The test-sized one is copied whole into the image and checked file by file; the
 * large one (bench --large) copies only a marker, so its figures are the packager's and the upload's
 * (the sandbox's buildah would otherwise spend minutes copying the files again), and it checks that
 * every file was counted by the summary and went through the upload.
 */
function bulkCase(spec: BulkSpec): InputCase {
  const large = spec.large === true;
  const expectedFiles = spec.files + 2;
  return {
    name: spec.name, outcome: 'succeeded', large, figure: spec.figure,
    prepare: async (env) => {
      const repo = `bulk-${spec.figure.replace('_', '-')}`;
      const contextDir = await makeContext({ Dockerfile: large ? MARKER_ONLY : SIMPLE, 'marker.txt': 'marker' });
      const hashes = await writeBulk(contextDir, spec, !large);
      return {
        request: plainRequest(env, contextDir, repo),
        verify: async (_result, events) => {
          const summary = events.find((e) => e.type === 'summary');
          const progress = events.filter((e) => e.type === 'progress' && e.phase === 'upload').at(-1);
          const problems: string[] = [];
          if (summary?.type !== 'summary' || summary.summary.files !== expectedFiles) problems.push(`the summary counted ${summary?.type === 'summary' ? summary.summary.files : 'no'} files, expected ${expectedFiles}`);
          if (progress?.type !== 'progress' || progress.files !== expectedFiles) problems.push(`the upload sent ${progress?.type === 'progress' ? progress.files : 'no'} files, expected ${expectedFiles}`);
          const image = await inspectImage({ host: env.sandbox.registries.plain.host }, `reliability/${repo}`, 'v1');
          for (const [path, hash] of hashes) if (image.files.get(`app/${path}`)?.sha256 !== hash) problems.push(`app/${path} missing or different in the image`);
          if (large && image.files.get('marker.txt')?.type !== 'file') problems.push('marker.txt missing from the image');
          return problems.slice(0, 10);
        },
        close: () => rm(contextDir, { recursive: true, force: true }),
      };
    },
  };
}

export const workspaceCases: readonly InputCase[] = [
  {
    name: 'file names with spaces, quotes, newlines and Unicode round-trip', outcome: 'succeeded',
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: SIMPLE, 'with space.txt': 'space', 'quote\'s "double".txt': 'quotes', 'new\nline.txt': 'newline', 'ünïcødé ✓.txt': 'unicode' });
      return {
        request: plainRequest(env, contextDir, 'names'),
        verify: () => imageContains(env, 'names', [], { 'app/with space.txt': 'space', 'app/quote\'s "double".txt': 'quotes', 'app/new\nline.txt': 'newline', 'app/ünïcødé ✓.txt': 'unicode' }),
      };
    },
  },
  {
    // Linux names are bytes and kaniko (Go) keeps them: the image must hold the very same bytes.
    name: 'a file name with non-UTF-8 bytes round-trips', outcome: 'succeeded',
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: SIMPLE });
      const latin1 = Buffer.from([0xe9, 0xff, 0xfe]);
      await mkdir(Buffer.concat([Buffer.from(`${contextDir}/dir-`), latin1]));
      await writeFile(Buffer.concat([Buffer.from(`${contextDir}/dir-`), latin1, Buffer.from('/latin1-'), latin1, Buffer.from('.txt')]), 'not utf-8');
      return {
        request: plainRequest(env, contextDir, 'latin1'),
        verify: async () => [
          ...(await imageContains(env, 'latin1', ['not utf-8'])),
          ...(await layersList(env, 'latin1', [Buffer.concat([Buffer.from('app/dir-'), latin1, Buffer.from('/latin1-'), latin1, Buffer.from('.txt')])])),
        ],
      };
    },
  },
  {
    name: 'Dockerfile of 0 bytes', outcome: 'failed', message: /Dockerfile/i,
    prepare: async (env) => ({ request: plainRequest(env, await makeContext({ Dockerfile: '', 'a.txt': 'a' }), 'x') }),
  },
  {
    name: 'Dockerfile that is a directory', outcome: 'failed', reason: 'BadInput', message: /director|folder/i,
    prepare: async (env) => {
      const contextDir = await makeContext({ 'a.txt': 'a' });
      await mkdir(join(contextDir, 'Dockerfile'));
      return { request: plainRequest(env, contextDir, 'x') };
    },
  },
  {
    name: 'Dockerfile that is a symlink inside the context', outcome: 'succeeded',
    prepare: async (env) => {
      const contextDir = await makeContext({ 'docker/real.Dockerfile': `FROM ${BUSYBOX}\nCOPY a.txt /app/a.txt\n`, 'a.txt': 'via symlink' });
      await symlink('docker/real.Dockerfile', join(contextDir, 'Dockerfile'));
      return { request: plainRequest(env, contextDir, 'symlink'), verify: () => imageContains(env, 'symlink', [], { 'app/a.txt': 'via symlink' }) };
    },
  },
  {
    name: '.dockerignore of 10 000 lines', outcome: 'succeeded',
    prepare: async (env) => {
      const lines = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? `# comment ${i}` : i % 3 === 1 ? `ignored-${i}/**` : `!keep-${i}.txt`));
      const files: Record<string, string> = { Dockerfile: SIMPLE, '.dockerignore': `${lines.join('\n')}\n`, 'kept.txt': 'kept', 'ignored-1/x.txt': 'never sent', 'ignored-9997/y.txt': 'never sent either' };
      const contextDir = await makeContext(files);
      return {
        request: plainRequest(env, contextDir, 'ignore'),
        verify: async () => {
          const image = await inspectImage({ host: env.sandbox.registries.plain.host }, 'reliability/ignore', 'v1');
          const problems = await imageContains(env, 'ignore', [], { 'app/kept.txt': 'kept' });
          for (const path of ['app/ignored-1/x.txt', 'app/ignored-9997/y.txt']) if (image.files.has(path)) problems.push(`${path} should have been ignored`);
          return problems;
        },
      };
    },
  },
  {
    name: 'symlinks pointing outside the context are sent as links, never followed', outcome: 'succeeded',
    prepare: async (env) => {
      const outside = await makeContext({ 'secret.txt': OUTSIDE, 'dir/inner.txt': `${OUTSIDE} inner` });
      const contextDir = await makeContext({ Dockerfile: SIMPLE, 'inside.txt': 'inside' });
      const links = { 'abs-file': join(outside, 'secret.txt'), 'abs-dir': join(outside, 'dir'), 'rel-file': `../${basename(outside)}/secret.txt`, 'etc-passwd': '/etc/passwd' };
      for (const [name, target] of Object.entries(links)) await symlink(target, join(contextDir, name));
      return {
        request: plainRequest(env, contextDir, 'outside'),
        verify: async () => [
          ...(await imageLinks(env, 'outside', inApp(links))),
          ...(await imageLacks(env, 'outside', [OUTSIDE, `${OUTSIDE} inner`])),
          ...(await imageContains(env, 'outside', [], { 'app/inside.txt': 'inside' })),
        ],
        close: () => rm(outside, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'symlink loops (a→b→a, a folder link to its parent and to itself) are sent as links and the walk ends', outcome: 'succeeded',
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: SIMPLE, 'sub/f.txt': 'in sub' });
      const links = { 'loop-a': 'loop-b', 'loop-b': 'loop-a', 'sub/up': '..', 'sub/self': '.' };
      for (const [name, target] of Object.entries(links)) await symlink(target, join(contextDir, name));
      return {
        request: plainRequest(env, contextDir, 'loops'),
        verify: async () => {
          const image = await inspectImage({ host: env.sandbox.registries.plain.host }, 'reliability/loops', 'v1');
          const followed = [...image.files.keys()].filter((path) => /^app\/sub\/(up|self)\//.test(path)).map((path) => `${path}: a link was followed`);
          // The real kaniko (v1.27.6, util.CopyDir) stops copying at the first link loop it cannot resolve, logs
          // `Couldn't eval …` at ERROR level and still succeeds: only what it copied before is in the image.
          if ('executor' in env.sandbox.kaniko) return [...followed, ...(await imageLinks(env, 'loops', { 'app/loop-a': 'loop-b' }))];
          return [...followed, ...(await imageLinks(env, 'loops', inApp(links))), ...(await imageContains(env, 'loops', [], { 'app/sub/f.txt': 'in sub' }))];
        },
      };
    },
  },
  {
    name: 'a file removed while the context is uploaded', outcome: 'failed', reason: 'BadInput',
    message: /disappeared while it was being packed \(.*\/z-removed\.txt\)/, fix: /Wait until the tool writing into the context folder has finished, then build again/,
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: SIMPLE, 'a-large.bin': randomBytes(24 * 2 ** 20), 'z-removed.txt': 'removed' });
      let removed = false;
      return {
        request: plainRequest(env, contextDir, 'removed'),
        // The walk goes in name order, lazily: z-removed.txt is looked at only once a-large.bin has been
        // streamed, long after the first bytes reached the pod (gzip and the upload hold back ~1 MB at most).
        onEvent: (event) => {
          if (removed || event.type !== 'progress' || event.phase !== 'upload' || event.bytes === 0) return;
          removed = true;
          unlinkSync(join(contextDir, 'z-removed.txt'));
        },
        always: async () => [...(removed ? [] : ['no upload progress: the file was never removed']), ...(await openBelow(contextDir))],
      };
    },
  },
  unreadableCase('an unreadable folder (chmod 000; built without root powers)', 'locked', /permission denied \(.*\/locked\)/),
  unreadableCase('an unreadable file (chmod 000; built without root powers)', 'secret.key', /permission denied \(.*\/secret\.key\)/),
  {
    name: 'an unreadable folder excluded by .dockerignore is never opened (built without root powers)', outcome: 'succeeded', unprivileged: true,
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: SIMPLE, '.dockerignore': 'locked\n', 'locked/inner.txt': 'locked away', 'open.txt': 'open' });
      const locked = join(contextDir, 'locked');
      await chmod(locked, 0o000);
      return {
        request: plainRequest(env, contextDir, 'excluded'),
        verify: async () => [...(await imageContains(env, 'excluded', [], { 'app/open.txt': 'open' })), ...(await imageLacks(env, 'excluded', ['locked away']))],
        close: () => chmod(locked, 0o755),
      };
    },
  },
  bulkCase({ name: 'a context of 5 000 files', figure: 'files_5k', files: 5_000, fileBytes: 0 }),
  bulkCase({ name: 'a context of 200 000 files', figure: 'files_200k', files: 200_000, fileBytes: 0, large: true }),
  bulkCase({ name: 'a context of 64 MB', figure: 'bytes_64mb', files: 8, fileBytes: 8 * 2 ** 20 }),
  bulkCase({ name: 'a context of 1 GB', figure: 'bytes_1gb', files: 128, fileBytes: 8 * 2 ** 20, large: true }),
];
