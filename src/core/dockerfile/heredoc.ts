// Heredoc words on an instruction line, as BuildKit's parser finds them (parser.heredocsFromLine).
import type { LexOptions } from './shellLex.ts';
import { processWords, ShellSyntaxError } from './shellLex.ts';

export interface HeredocWord {
  /** The terminator line, quotes removed (`<<"EOF"` ends at `EOF`). */
  readonly name: string;
  /** `<<-`: tabs before the terminator (and in the body) are dropped. */
  readonly chomp: boolean;
}

/** parser.reHeredoc; Go's `\s` is ASCII [\t\n\f\r ] (no \v), unlike JS's. */
const HEREDOC = /^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$/;

/** The words, or undefined where the lexer fails (BuildKit then finds no heredoc or rejects the file). */
function lexOrUndefined(text: string, options: LexOptions): string[] | undefined {
  try {
    return processWords(text, options);
  } catch (error) {
    if (error instanceof ShellSyntaxError) return undefined;
    throw error;
  }
}

/** parser.ParseHeredoc / heredocFromMatch: one word, parsed once more without quotes to get the name. */
function parseHeredoc(word: string): HeredocWord | undefined {
  const match = HEREDOC.exec(word);
  if (!match || match[3].length === 0) return undefined;
  // BuildKit lexes heredoc words with the default escape token whatever the escape directive says.
  const names = lexOrUndefined(match[3], { escape: '\\' });
  if (names?.length !== 1) return undefined;
  return { name: names[0], chomp: match[2] === '-' };
}

/**
 * parser.heredocsFromLine: the line's words with quotes and escapes kept; a line the shell lexer rejects has
 * no heredocs (Go drops the error). Only called for RUN, COPY and ADD in shell form (Node.canContainHeredoc).
 */
export function heredocsFromLine(line: string): HeredocWord[] {
  const words = lexOrUndefined(line, { escape: '\\', rawQuotes: true, rawEscapes: true }) ?? [];
  return words.map(parseHeredoc).filter((doc) => doc !== undefined);
}
