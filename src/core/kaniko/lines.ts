// Splits a byte stream into lines, keeping a partial last line until the next chunk.
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  #decoder = new StringDecoder('utf8');
  #rest = '';

  push(chunk: Buffer | string): string[] {
    const text = this.#rest + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    const parts = text.split('\n');
    this.#rest = parts.pop() ?? '';
    return parts.map((line) => line.replace(/\r$/, ''));
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    const last = this.#rest + this.#decoder.end();
    this.#rest = '';
    return last === '' ? [] : [last.replace(/\r$/, '')];
  }
}

// CSI sequences (colours, cursor moves) and OSC sequences, as terminals print them.
// eslint-disable-next-line no-control-regex -- escape sequences start with control characters by definition
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
