// The default upload is a plain tar, the fastest on the fast networks most clusters sit behind. When an
// upload crawled, the engine says which setting would likely have halved it, instead of guessing a link
// speed up front (the pod's busybox gunzip costs ~2 s per 200 MB, so gzip only pays on slow links).
const SLOW_BYTES_PER_SECOND = 20 * 1024 * 1024;
const MIN_SECONDS = 10;

/** A hint to compress, for a plain upload that took at least 10 s at under 20 MB/s; else undefined. */
export function slowUploadHint(compressionLevel: number, sentBytes: number, seconds: number): string | undefined {
  if (compressionLevel !== 0 || seconds < MIN_SECONDS) return undefined;
  const rate = sentBytes / seconds;
  if (rate >= SLOW_BYTES_PER_SECOND) return undefined;
  const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
  return `The context reached the pod at ${mb(rate)} MB/s (${mb(sentBytes)} MB in ${Math.round(seconds)} s). If the network to the cluster is the slow part, ` +
    'gzip usually sends a third of the bytes of a source tree: set kaniko.compressionLevel (CLI: --compression-level) to 1.';
}
