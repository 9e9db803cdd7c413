// The line level of BuildKit's parser (frontend/dockerfile/parser/parser.go, Parse): which lines make one
// instruction — directives, comments, continuations, heredoc bodies — and each instruction's keyword and
// arguments. Errors BuildKit would raise are not raised: the reader takes what it can.
import { DirectiveReader } from './directives.ts';
import { scanLines, trimLeftGoSpace, trimNewline } from './goText.ts';
import { heredocsFromLine } from './heredoc.ts';
import type { SplitCommand } from './lineParsers.ts';
import { splitCommand } from './lineParsers.ts';

export interface Node extends SplitCommand {
  /** The instruction's lines joined (continuations removed), without heredoc bodies: what kaniko prints. */
  readonly original: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** parser.heredocDirectives */
const HEREDOC_KEYWORDS = new Set(['add', 'copy', 'run']);

/** parser.isComment */
function isComment(line: string): boolean {
  return trimLeftGoSpace(line).startsWith('#');
}

/** parser.isEmptyContinuationLine */
function isEmptyContinuationLine(line: string): boolean {
  return trimLeftGoSpace(trimNewline(line)).length === 0;
}

/**
 * Node.canContainHeredoc: RUN, COPY and ADD, also as an ONBUILD trigger. BuildKit also excludes the JSON form;
 * that test is left out because it cannot change the result: to the shell lexer every word of a JSON array
 * starts with `[`, `,` or a quote, so heredocsFromLine finds nothing there anyway.
 */
function canContainHeredoc(command: SplitCommand, escape: string): boolean {
  const target = command.keyword.toLowerCase() === 'onbuild' && command.args !== '' ? splitCommand(command.args, escape) : command;
  return HEREDOC_KEYWORDS.has(target.keyword.toLowerCase());
}

/** Every instruction of the Dockerfile, with the escape token its directives chose. */
export function parseNodes(text: string): { nodes: Node[]; escape: string } {
  const directives = new DirectiveReader();
  const lines = scanLines(text);
  const nodes: Node[] = [];
  let next = 0;
  let currentLine = 0;

  /** parser.processLine: the line without its newline (and leading blanks), or nothing for a comment. */
  const processLine = (raw: string, stripLeft: boolean): string => {
    let token = trimNewline(raw);
    if (stripLeft) token = trimLeftGoSpace(token);
    directives.read(token);
    return isComment(token) ? '' : token;
  };
  /** parser.trimContinuationCharacter */
  const trimContinuation = (line: string): { body: string; ends: boolean } => {
    const continuation = directives.continuation;
    return continuation.test(line) ? { body: line.replace(continuation, '$1'), ends: false } : { body: line, ends: true };
  };

  while (next < lines.length) {
    // parser.discardBOM on the first line only.
    const first = currentLine === 0 ? lines[next++].replace(/^\uFEFF/, '') : lines[next++];
    currentLine++;
    const startLine = currentLine;
    let { body, ends } = trimContinuation(processLine(first, true));
    if (ends && body.length === 0) continue;
    let joined = body;
    while (!ends && next < lines.length) {
      const raw = lines[next++];
      const processed = processLine(raw, false);
      currentLine++;
      // A comment comes back from processLine empty, so this also skips comments (Go tests both).
      if (isEmptyContinuationLine(processed)) continue;
      ({ body, ends } = trimContinuation(processed));
      joined += body;
    }
    const command = splitCommand(joined, directives.escape);
    if (canContainHeredoc(command, directives.escape) && joined.includes('<<')) {
      for (const heredoc of heredocsFromLine(joined)) {
        // The body runs to the first line that is exactly the name (after leading tabs for `<<-`).
        while (next < lines.length) {
          currentLine++;
          const candidate = trimNewline(lines[next++]);
          if ((heredoc.chomp ? candidate.replace(/^\t+/, '') : candidate) === heredoc.name) break;
        }
      }
    }
    nodes.push({ ...command, original: joined, startLine, endLine: currentLine });
  }
  return { nodes, escape: directives.escape };
}
