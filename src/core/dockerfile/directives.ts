// Parser directives at the top of a Dockerfile (frontend/dockerfile/parser/directives.go, DirectiveParser.ParseLine).
import { trimLeftGoSpace } from './goText.ts';

/** directiveRegexp; Go's `\s` is [\t\n\f\r ]. */
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/s;
const VALID_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/** Reads directives line by line until the first line that is not one; tracks the escape token. */
export class DirectiveReader {
  #done = false;
  #seen = new Set<string>();
  escape = '\\';
  continuation = continuationFor('\\');

  /**
   * DirectiveParser.ParseLine + directives.possibleParserDirective: true when the line was a directive.
   * BuildKit rejects a repeated directive or an escape other than ` and \; we keep the first valid value.
   */
  read(line: string): boolean {
    if (this.#done) return false;
    const match = line.startsWith('#') ? DIRECTIVE.exec(trimLeftGoSpace(line.slice(1))) : null;
    const name = match?.[1].toLowerCase();
    if (!match || !name || !VALID_DIRECTIVES.has(name)) {
      this.#done = true;
      return false;
    }
    const first = !this.#seen.has(name);
    this.#seen.add(name);
    // directives.setEscapeToken
    if (first && name === 'escape' && (match[2] === '`' || match[2] === '\\')) {
      this.escape = match[2];
      this.continuation = continuationFor(this.escape);
    }
    return true;
  }
}

/** directives.lineContinuationRegex: the escape token last on the line (spaces and tabs after it allowed). */
function continuationFor(escape: string): RegExp {
  const token = escape === '\\' ? '\\\\' : escape;
  return new RegExp(`([^${token}])${token}[ \\t]*$|^${token}[ \\t]*$`);
}
