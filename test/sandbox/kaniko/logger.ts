// kaniko's logrus output: color (default), text or json; `[NNNN]` is seconds since start unless --log-timestamp.
const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'panic'] as const;
export type Level = (typeof levels)[number];

const short: Record<Level, string> = { trace: 'TRAC', debug: 'DEBU', info: 'INFO', warn: 'WARN', error: 'ERRO', fatal: 'FATA', panic: 'PANI' };
const color: Record<Level, number> = { trace: 37, debug: 37, info: 36, warn: 33, error: 31, fatal: 31, panic: 31 };

export class Logger {
  private readonly started = Date.now();
  private readonly minimum: number;
  private readonly format: string;
  private readonly timestamps: boolean;
  private readonly write: (line: string) => void;

  constructor(options: { verbosity: string; format: string; timestamps: boolean }, write: (line: string) => void = (line) => process.stderr.write(line)) {
    const index = levels.indexOf(options.verbosity as Level);
    if (index < 0) throw new Error(`not a valid logrus Level: "${options.verbosity}"`);
    if (!['color', 'text', 'json'].includes(options.format)) throw new Error(`not a valid log format: "${options.format}". Please specify one of (text, color, json)`);
    this.minimum = index;
    this.format = options.format;
    this.timestamps = options.timestamps;
    this.write = write;
  }

  private log(level: Level, message: string): void {
    if (levels.indexOf(level) < this.minimum) return;
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (this.format === 'json') {
      this.write(JSON.stringify({ level, msg: message, time }) + '\n');
    } else if (this.format === 'text') {
      const quoted = /^[\w./:@-]+$/.test(message) ? message : JSON.stringify(message);
      this.write(`time="${time}" level=${level} msg=${quoted}\n`);
    } else {
      const stamp = this.timestamps ? time : String(Math.floor((Date.now() - this.started) / 1000)).padStart(4, '0');
      // logrus's TextFormatter pads the message to 44 characters and ends it with a space (`%-44s `).
      this.write(`\x1b[${color[level]}m${short[level]}\x1b[0m[${stamp}] ${message.padEnd(44)} \n`);
    }
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  warn(message: string): void {
    this.log('warn', message);
  }
}
