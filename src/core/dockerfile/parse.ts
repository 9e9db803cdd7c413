// A small Dockerfile reader for what the engine and the UI need: instructions with their lines,
// stages, ARGs. It follows BuildKit's line rules (escape directive, continuations, comments)
// but does not expand variables or read heredocs.

export interface Instruction {
  /** Upper-case keyword, e.g. `RUN`. */
  readonly keyword: string;
  /** The arguments as one line (continuations joined). */
  readonly args: string;
  /** 1-based first and last line of the instruction. */
  readonly line: number;
  readonly endLine: number;
  /** Index of the stage it belongs to; -1 for instructions before the first FROM (global ARGs). */
  readonly stage: number;
}

export interface Stage {
  readonly index: number;
  readonly name?: string;
  readonly base: string;
  readonly line: number;
}

export interface ArgDeclaration {
  readonly name: string;
  readonly defaultValue?: string;
  readonly line: number;
  /** Declared before the first FROM: usable in FROM lines. */
  readonly global: boolean;
  readonly stage: number;
}

export interface ParsedDockerfile {
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
  readonly args: readonly ArgDeclaration[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

function escapeCharOf(lines: readonly string[]): string {
  for (const line of lines) {
    const match = DIRECTIVE.exec(line);
    if (!match) break;
    if (match[1].toLowerCase() === 'escape' && (match[2] === '`' || match[2] === '\\')) return match[2];
  }
  return '\\';
}

/** Splits `FROM image [AS name]` with optional `--platform=…` flags. */
function parseFrom(args: string, index: number, line: number): Stage {
  const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
  const asAt = words.findIndex((w) => w.toLowerCase() === 'as');
  const name = asAt >= 0 ? words[asAt + 1]?.toLowerCase() : undefined;
  return { index, base: words[0] ?? '', line, ...(name ? { name } : {}) };
}

/** `ARG a=1 b` declares several; quotes around defaults are removed. */
function parseArgs(args: string, line: number, stage: number): ArgDeclaration[] {
  const found: ArgDeclaration[] = [];
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|'[^']*'|\S*))?/g)) {
    const raw = match[2];
    const defaultValue = raw === undefined ? undefined : raw.replace(/^(["'])(.*)\1$/, '$2');
    found.push({ name: match[1], line, global: stage < 0, stage, ...(defaultValue !== undefined ? { defaultValue } : {}) });
  }
  return found;
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const escape = escapeCharOf(lines);
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const args: ArgDeclaration[] = [];
  let pending: { start: number; parts: string[] } | undefined;

  const finish = (endLine: number): void => {
    if (!pending) return;
    const joined = pending.parts.join(' ').trim();
    const start = pending.start;
    pending = undefined;
    const match = /^(\S+)\s*(.*)$/s.exec(joined);
    if (!match) return;
    const keyword = match[1].toUpperCase();
    const rest = match[2].replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') stages.push(parseFrom(rest, stages.length, start));
    const stage = stages.length - 1;
    instructions.push({ keyword, args: rest, line: start, endLine, stage });
    if (keyword === 'ARG') args.push(...parseArgs(rest, start, stage));
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const trimmed = raw.trim();
    // Comments and blank lines are dropped, even inside a continuation.
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const continues = trimmed.endsWith(escape);
    const body = continues ? trimmed.slice(0, -1) : trimmed;
    if (pending) pending.parts.push(body);
    else pending = { start: lineNo, parts: [body] };
    if (!continues) finish(lineNo);
  });
  finish(lines.length);
  return { instructions, stages, args };
}

function normalizeInstruction(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const space = trimmed.indexOf(' ');
  return space < 0 ? trimmed.toUpperCase() : `${trimmed.slice(0, space).toUpperCase()}${trimmed.slice(space)}`;
}

/**
 * Finds the instruction kaniko printed (e.g. `RUN make`) in a stage; `after` is the last matched line,
 * so repeated identical instructions map to successive lines.
 */
export function findInstructionLine(parsed: ParsedDockerfile, stage: number, printed: string, after = 0): Instruction | undefined {
  const wanted = normalizeInstruction(printed);
  const candidates = parsed.instructions.filter((ins) => ins.stage === stage && ins.line > after && ins.keyword !== 'FROM');
  return candidates.find((ins) => normalizeInstruction(`${ins.keyword} ${ins.args}`) === wanted);
}

/** The ARGs a build may be asked for: global ones and those of the stages, first declaration wins. */
export function buildArgNames(parsed: ParsedDockerfile): ArgDeclaration[] {
  const seen = new Set<string>();
  return parsed.args.filter((arg) => (seen.has(arg.name) ? false : (seen.add(arg.name), true)));
}
