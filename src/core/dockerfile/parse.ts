// The Dockerfile reader for what the engine and the UI need: instructions with their lines, stages, ARGs.
// It follows BuildKit's parser (heredocs, directives, continuations, flags; see ast.ts) and is checked
// against it by test/unit/dockerfile/differential.test.ts. Variables are not expanded.
import type { Node } from './ast.ts';
import { parseNodes } from './ast.ts';
import { trimGoSpace } from './goText.ts';
import { parseWords, splitWhitespace } from './lineParsers.ts';
import { processWord, ShellSyntaxError } from './shellLex.ts';

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
  /** Quotes and escapes removed, variables as written (`ARG A="x y"` → `x y`, `ARG B=$A` → `$A`). */
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

/** strings.EqualFold(word, "as"): Unicode folding also maps ſ (U+017F) to s. */
const AS = /^[aA][sS\u017f]$/u;

/** instructions.parseFrom / parseBuildStageName: `FROM [--platform=…] image [AS name]`, the name lower-cased. */
function parseFrom(node: Node, index: number): Stage {
  const words = splitWhitespace(node.args);
  const name = words.length === 3 && AS.test(words[1]) ? words[2].toLowerCase() : undefined;
  return { index, base: words[0] ?? '', line: node.startLine, ...(name !== undefined ? { name } : {}) };
}

/** An ARG word's name or default as the build sees it with nothing set: quotes and escapes removed, `$x` kept. */
function expand(word: string, escape: string): string {
  try {
    return processWord(word, { escape });
  } catch (error) {
    if (error instanceof ShellSyntaxError) return word;
    throw error;
  }
}

/** instructions.parseArg over parser.parseNameOrNameVal: `ARG a=1 b "c=x y"` declares several. */
function parseArgs(node: Node, escape: string, stage: number): ArgDeclaration[] {
  return parseWords(node.args, escape).flatMap((word) => {
    const equals = word.indexOf('=');
    // BuildKit rejects an ARG with an empty name.
    if (equals === 0) return [];
    const name = expand(equals < 0 ? word : word.slice(0, equals), escape);
    const defaultValue = equals < 0 ? undefined : expand(word.slice(equals + 1), escape);
    return [{ name, line: node.startLine, global: stage < 0, stage, ...(defaultValue !== undefined ? { defaultValue } : {}) }];
  });
}

/** The instruction's arguments as kaniko prints them (flags included), blanks collapsed. */
function argsOf(node: Node): string {
  return trimGoSpace(node.original).slice(node.keyword.length).replace(/\s+/g, ' ').trim();
}

/** Instructions, stages and ARGs following BuildKit's parser (see ast.ts) and instructions.Parse. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const { nodes, escape } = parseNodes(text);
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const args: ArgDeclaration[] = [];
  for (const node of nodes) {
    const keyword = node.keyword.toUpperCase();
    if (keyword === 'FROM') stages.push(parseFrom(node, stages.length));
    const stage = stages.length - 1;
    instructions.push({ keyword, args: argsOf(node), line: node.startLine, endLine: node.endLine, stage });
    if (keyword === 'ARG') args.push(...parseArgs(node, escape, stage));
  }
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
