// Before a large upload: what the context holds, and which folders to leave out with .dockerignore.
import type { ContextSummary } from '../core/context/model.ts';

/** Top-level folders worth ignoring: a share of at least a tenth of the context (the Dockerfile's own folder never). */
export function suggestIgnoreEntries(summary: ContextSummary, dockerfileInArchive: string): string[] {
  const dockerfileTop = dockerfileInArchive.includes('/') ? dockerfileInArchive.slice(0, dockerfileInArchive.indexOf('/')) : '.';
  return summary.largestDirs
    .filter((dir) => dir.path !== '.' && dir.path !== dockerfileTop && dir.bytes >= summary.bytes / 10)
    .map((dir) => `${dir.path}/`);
}

export function isOverThreshold(summary: ContextSummary, thresholdMb: number): boolean {
  return thresholdMb > 0 && summary.bytes > thresholdMb * 1024 * 1024;
}
