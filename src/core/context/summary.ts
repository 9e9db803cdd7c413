// summarizeContext: what packContext would send, from the same walk, without reading content.
import type { ContextSource, ContextSummary, PackOptions } from './model.ts';
import { throwIfAborted } from './errors.ts';
import { resolveContext } from './resolve-source.ts';
import { walkContext } from './walk.ts';

const LARGEST_DIRS = 5;

export async function summarizeContext(source: ContextSource, options: Pick<PackOptions, 'signal' | 'onWarning' | 'onDirectoryRead'> = {}): Promise<ContextSummary> {
  throwIfAborted(options.signal);
  const context = await resolveContext(source, options.onWarning);
  let files = 0;
  let bytes = 0;
  // Totals per top-level directory (each entry counts once, under its first path segment).
  const dirs = new Map<string, { bytes: number; files: number }>();
  for await (const entry of walkContext(context, options)) {
    if (entry.kind === 'directory') continue;
    files += 1;
    bytes += entry.size;
    const slash = entry.rel.indexOf('/');
    const top = slash === -1 ? '.' : entry.rel.slice(0, slash);
    const total = dirs.get(top) ?? { bytes: 0, files: 0 };
    total.bytes += entry.size;
    total.files += 1;
    dirs.set(top, total);
  }
  const largestDirs = [...dirs].map(([path, total]) => ({ path, ...total }))
    .sort((a, b) => b.bytes - a.bytes || b.files - a.files || (a.path < b.path ? -1 : 1))
    .slice(0, LARGEST_DIRS);
  return { files, bytes, dockerfileInArchive: context.dockerfileInArchive, ignoreFile: context.ignoreFile, largestDirs };
}
