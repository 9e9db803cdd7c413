// Reads one kaniko log line in any of logrus's three formats (color, text, json);
// anything else is raw output (a RUN command's own stdout/stderr).
import { stripAnsi } from './lines.ts';

export type KanikoLevel = 'debug' | 'info' | 'warning' | 'error' | 'fatal' | 'trace' | 'panic';

export interface KanikoLine {
  /** Undefined for raw output passed through from a RUN command. */
  readonly level?: KanikoLevel;
  /** Seconds since kaniko started, from the color format's `[NNNN]`. */
  readonly seconds?: number;
  readonly message: string;
}

const SHORT_LEVELS: Record<string, KanikoLevel> = {
  DEBU: 'debug', INFO: 'info', WARN: 'warning', ERRO: 'error', FATA: 'fatal', TRAC: 'trace', PANI: 'panic',
};
const LEVELS = new Set<string>(Object.values(SHORT_LEVELS));
const COLOR = /^(DEBU|INFO|WARN|ERRO|FATA|TRAC|PANI)\[(?:(\d+)|[^\]]*)\]\s?(.*)$/s;
const TEXT_FIELD = /(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g;

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value.slice(1, -1);
  }
}

function levelOf(name: unknown): KanikoLevel | undefined {
  const lower = typeof name === 'string' ? name.toLowerCase() : '';
  return LEVELS.has(lower) ? (lower as KanikoLevel) : lower === 'warn' ? 'warning' : undefined;
}

function parseJson(line: string): KanikoLine | undefined {
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    const level = levelOf(record.level);
    return level && typeof record.msg === 'string' ? { level, message: record.msg } : undefined;
  } catch {
    return undefined;
  }
}

function parseText(line: string): KanikoLine | undefined {
  const fields = new Map<string, string>();
  for (const match of line.matchAll(TEXT_FIELD)) fields.set(match[1], unquote(match[2]));
  const level = levelOf(fields.get('level'));
  return level && fields.has('msg') ? { level, message: fields.get('msg') ?? '' } : undefined;
}

export function parseKanikoLine(rawLine: string): KanikoLine {
  const line = stripAnsi(rawLine);
  if (line.startsWith('{')) {
    const json = parseJson(line);
    if (json) return json;
  }
  if (/^(?:time=\S+\s+)?level=/.test(line)) {
    const text = parseText(line);
    if (text) return text;
  }
  const color = COLOR.exec(line);
  if (color) {
    const seconds = color[2] === undefined ? undefined : Number(color[2]);
    // logrus's TextFormatter pads the message (`%-44s `): the padding is not part of it.
    return { level: SHORT_LEVELS[color[1]], message: color[3].trimEnd(), ...(seconds !== undefined ? { seconds } : {}) };
  }
  return { message: line };
}
