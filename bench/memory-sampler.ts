// Samples the process's memory while a benchmark runs, so a peak RSS comes with its breakdown:
// what V8's heap held, what lay outside it in Buffers (external, of which array buffers) and the rest.
// The peak is the kernel's own high-water mark; the samples only explain it (the highest-RSS sample's parts).
// On Linux that is VmHWM, not getrusage's maxRSS: a child started with fork + exec inherits in maxRSS the
// resident size of the copy of its parent it was before exec (kernel: exec_mmap keeps the old mm's
// high-water mark in signal->maxrss), so a benchmark's engine child reported the benchmark's own memory.
import { readFileSync } from 'node:fs';

export interface MemoryParts {
  readonly rssMb: number;
  readonly heapTotalMb: number;
  readonly heapUsedMb: number;
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
}

export interface MemoryReport {
  /** Peak resident set size of this program so far. */
  readonly peakRssMb: number;
  /** The parts at the sample with the highest RSS. */
  readonly atPeak: MemoryParts;
  /** The highest value each part reached in any sample. */
  readonly max: MemoryParts;
}

const mb = (bytes: number): number => Number((bytes / (1024 * 1024)).toFixed(1));

function sample(): MemoryParts {
  const usage = process.memoryUsage();
  return { rssMb: mb(usage.rss), heapTotalMb: mb(usage.heapTotal), heapUsedMb: mb(usage.heapUsed), externalMb: mb(usage.external), arrayBuffersMb: mb(usage.arrayBuffers) };
}

function larger(a: MemoryParts, b: MemoryParts): MemoryParts {
  return {
    rssMb: Math.max(a.rssMb, b.rssMb), heapTotalMb: Math.max(a.heapTotalMb, b.heapTotalMb), heapUsedMb: Math.max(a.heapUsedMb, b.heapUsedMb),
    externalMb: Math.max(a.externalMb, b.externalMb), arrayBuffersMb: Math.max(a.arrayBuffersMb, b.arrayBuffersMb),
  };
}

/** This program's peak RSS in bytes: VmHWM where /proc has it, else getrusage (see above). */
function peakRss(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // No /proc: fall back below.
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Samples every `intervalMs` until the returned function is called, which reports. */
export function sampleMemory(intervalMs = 10): () => MemoryReport {
  let atPeak = sample();
  let max = atPeak;
  const take = (): void => {
    const now = sample();
    if (now.rssMb > atPeak.rssMb) atPeak = now;
    max = larger(max, now);
  };
  const timer = setInterval(take, intervalMs);
  return () => {
    clearInterval(timer);
    take();
    return { peakRssMb: mb(peakRss()), atPeak, max };
  };
}
