// Helper process for errors.test.ts: run under `unshare -U` it is an unprivileged user, so
// file permissions apply (the tests themselves run as root, which ignores them). Packs
// argv[2] (Dockerfile at its root) to nowhere and prints the outcome as JSON.
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { ContextError, packContext } from '../../../src/core/context/index.ts';

const root = process.argv[2];
const dirsRead: string[] = [];
const discard = new Writable({ write(_chunk, _encoding, callback) { callback(); } });
try {
  const manifest = await packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, discard, { onDirectoryRead: (d) => dirsRead.push(d) });
  process.stdout.write(JSON.stringify({ manifest, dirsRead, uid: process.getuid?.() }));
} catch (error) {
  const e = error as ContextError;
  process.stdout.write(JSON.stringify({ error: { isContextError: e instanceof ContextError, code: e.code, path: e.path, fix: e.fix, message: e.message }, uid: process.getuid?.() }));
}
