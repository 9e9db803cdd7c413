// The tar header of one entry, deterministic by construction: owner 0:0 with no names,
// a fixed mtime unless asked otherwise, permission bits as on disk.
import type { Header } from 'tar-stream';
import type { WalkEntry } from './walk.ts';

/** The mtime of every entry unless keepTimestamps: the Unix epoch, so equal trees give equal archives. */
export const NORMALISED_MTIME = new Date(0);

/**
 * Permission bits as on disk, exec bits included. Windows has no exec bit: like Docker's
 * CLI there, send 0755 for everything so scripts stay runnable.
 */
function archiveMode(entry: WalkEntry, platform: NodeJS.Platform): number {
  return platform === 'win32' ? (entry.mode & 0o755) | 0o111 : entry.mode;
}

export function tarHeader(entry: WalkEntry, keepTimestamps: boolean, platform: NodeJS.Platform = process.platform): Partial<Header> & { name: string } {
  return {
    // GNU tar marks directories with a trailing slash; tar-stream switches to a PAX
    // header by itself for names over 100/155 bytes or with non-ASCII characters.
    name: entry.kind === 'directory' ? `${entry.rel}/` : entry.rel,
    type: entry.kind,
    mode: archiveMode(entry, platform),
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    size: entry.size,
    mtime: keepTimestamps ? entry.mtime : NORMALISED_MTIME,
    ...(entry.linkTarget === undefined ? {} : { linkname: entry.linkTarget }),
  };
}
