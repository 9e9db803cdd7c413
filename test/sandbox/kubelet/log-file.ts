// Container logs in the CRI file format the real kubelet reads: `<RFC3339Nano> <stream> <F|P> <content>` per record.
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { LogOptions } from '../contract.ts';

/** RFC3339 with nine fraction digits; fixed width keeps timestamps comparable as strings. */
export function rfc3339Nano(date = new Date(), extraNanos = 0): string {
  const iso = date.toISOString(); // 2024-01-01T00:00:00.123Z
  return `${iso.slice(0, 23)}${String(extraNanos).padStart(6, '0')}Z`;
}

let lastMs = 0;
let counter = 0;
/** Strictly increasing stamps, so records written within one millisecond keep their order. */
function nowStamp(): string {
  const ms = Date.now();
  counter = ms === lastMs ? counter + 1 : 0;
  lastMs = ms;
  return rfc3339Nano(new Date(ms), Math.min(counter, 999_999));
}

const partialFlushMs = 100;

export class LogWriter {
  private readonly file;
  private readonly pending = new Map<string, { text: string; timer?: NodeJS.Timeout }>();

  constructor(path: string) {
    this.file = createWriteStream(path, { flags: 'a' });
  }

  attach(source: Readable, stream: 'stdout' | 'stderr'): Promise<void> {
    source.setEncoding('utf8');
    source.on('data', (chunk: string) => this.write(stream, chunk));
    return new Promise((resolve) => source.once('close', () => resolve(this.flush(stream))));
  }

  private write(stream: string, chunk: string): void {
    const entry = this.pending.get(stream) ?? { text: '' };
    clearTimeout(entry.timer);
    const lines = (entry.text + chunk).split('\n');
    entry.text = lines.pop() ?? '';
    for (const line of lines) this.file.write(`${nowStamp()} ${stream} F ${line}\n`);
    // A line without its newline yet (a prompt, a progress bar) still shows up, as a partial record.
    entry.timer = entry.text ? setTimeout(() => this.flush(stream), partialFlushMs) : undefined;
    this.pending.set(stream, entry);
  }

  private flush(stream: string): void {
    const entry = this.pending.get(stream);
    if (!entry?.text) return;
    clearTimeout(entry.timer);
    this.file.write(`${nowStamp()} ${stream} P ${entry.text}\n`);
    entry.text = '';
  }

  close(): Promise<void> {
    for (const stream of this.pending.keys()) this.flush(stream);
    return new Promise((resolve) => this.file.end(resolve));
  }
}

interface LogRecord {
  time: string;
  partial: boolean;
  content: string;
}

function parseRecord(line: string): LogRecord | undefined {
  const match = /^(\S+) (stdout|stderr) ([FP]) (.*)$/s.exec(line);
  return match ? { time: match[1], partial: match[3] === 'P', content: match[4] } : undefined;
}

function normalizeSince(sinceTime: string | undefined): string | undefined {
  if (!sinceTime) return undefined;
  const fraction = /\.(\d+)/.exec(sinceTime)?.[1] ?? '';
  const nanos = Number((fraction + '000000000').slice(3, 9));
  return rfc3339Nano(new Date(Date.parse(sinceTime)), nanos);
}

/** Reads a log file like `kubectl logs` wants it; with follow, keeps reading until isFinished() and the file is drained. */
export function readLog(path: string, options: LogOptions, isFinished: () => boolean): Readable {
  const since = normalizeSince(options.sinceTime);
  const format = (record: LogRecord) => `${options.timestamps ? record.time + ' ' : ''}${record.content}${record.partial ? '' : '\n'}`;
  async function* lines(): AsyncGenerator<string> {
    const handle = await open(path, 'r');
    try {
      let offset = 0;
      let rest = '';
      let first = true;
      for (;;) {
        const finished = isFinished(); // read before draining, so nothing written after is lost
        const { size } = await handle.stat();
        let text = '';
        if (size > offset) {
          const buffer = Buffer.alloc(size - offset);
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
          offset += bytesRead;
          text = buffer.subarray(0, bytesRead).toString('utf8');
        }
        const parts = (rest + text).split('\n');
        rest = parts.pop() ?? '';
        let records = parts.map(parseRecord).filter((r): r is LogRecord => r !== undefined && (!since || r.time >= since));
        if (first && options.tailLines !== undefined) records = records.slice(Math.max(0, records.length - options.tailLines));
        first = false;
        if (records.length) yield records.map(format).join('');
        if (!options.follow || (finished && size <= offset)) return;
        if (size <= offset) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await handle.close();
    }
  }
  return Readable.from(lines());
}
