// Splits a byte stream into lines, keeping a partial last line until the next chunk.
import { StringDecoder } from 'node:string_decoder';

/** A longer line (a RUN printing megabytes without a newline) is cut into lines of this many characters. */
export const MAX_LINE_LENGTH = 64 * 1024;

export class LineSplitter {
  #decoder = new StringDecoder('utf8');
  /** The line being gathered, in pieces: each chunk is scanned once, never the text held before it. */
  #pieces: string[] = [];
  #length = 0;

  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.#gather(text.slice(start, end), lines);
      lines.push(this.#flush());
      start = end + 1;
    }
    this.#gather(text.slice(start), lines);
    return lines;
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    const lines: string[] = [];
    this.#gather(this.#decoder.end(), lines);
    if (this.#length > 0) lines.push(this.#flush());
    return lines;
  }

  /** Adds text to the line being gathered, cutting off a full line each time it reaches the cap. */
  #gather(text: string, lines: string[]): void {
    let rest = text;
    while (this.#length + rest.length > MAX_LINE_LENGTH) {
      const room = MAX_LINE_LENGTH - this.#length;
      this.#pieces.push(rest.slice(0, room));
      lines.push(this.#flush());
      rest = rest.slice(room);
    }
    if (rest) {
      this.#pieces.push(rest);
      this.#length += rest.length;
    }
  }

  #flush(): string {
    const line = this.#pieces.join('').replace(/\r$/, '');
    this.#pieces = [];
    this.#length = 0;
    return line;
  }
}

// CSI sequences (colours, cursor moves) and OSC sequences, as terminals print them.
// eslint-disable-next-line no-control-regex -- escape sequences start with control characters by definition
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
