// Random Dockerfiles that BuildKit accepts, mixing every syntax the reader must follow: directives (effective
// or not), BOM, CRLF, keyword case, flags, JSON and shell forms, ONBUILD, ARG lists with quotes and escapes,
// FROM … AS, continuations across comments and empty lines, heredocs (quoted, <<-, several per line, fds).
import { seededRandom } from '../../seeded-random.ts';

/** A heredoc on an instruction line: the word written there and the terminator its body ends with. */
interface Heredoc {
  readonly word: string;
  readonly name: string;
  readonly chomp: boolean;
}

/** An instruction before rendering: its words (line breaks may go between them) and heredoc bodies after. */
interface Draft {
  readonly words: string[];
  readonly heredocs: Heredoc[];
}

const HEREDOC_NAMES = ['EOF', 'EOT', 'END', 'SCRIPT', 'A', 'b_2', 'eof'];
const BODY_LINES = [
  'echo hello', 'set -e', 'FROM nowhere', 'ARG INSIDE', 'ARG ALSO=1', 'RUN make \\', '# not a comment here', '',
  '   ', '\tindented', 'EOF2', ' EOF', 'apk add --no-cache curl', '$HOME ${PATH} "quoted" \'single\'', 'ONBUILD RUN x',
  'if [ -f /x ]; then', '  exit 1', 'fi', 'cat <<INNER', 'INNER',
];
const STAGE_NAMES = ['build', 'Final', 'deps-1', 'my.stage', 'b_2', 'runtime'];
const BASES = ['alpine:3.20', 'scratch', '${BASE}', '$BASE', 'docker.io/library/busybox:1.36', 'ghcr.io/org/img@sha256:0123abcd', 'build'];
const ARG_NAMES = ['VERSION', 'BASE', 'TOKEN', 'A_1', 'lower', 'MixedCase', 'TARGETARCH'];

class Generator {
  readonly #random: () => number;
  #escape = '\\';

  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  chance(p: number): boolean {
    return this.#random() < p;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)];
  }

  /** FROM, from, From, fRoM… */
  keyword(word: string): string {
    if (this.chance(0.6)) return word;
    if (this.chance(0.5)) return word.toLowerCase();
    return Array.from(word, (ch) => (this.chance(0.5) ? ch.toLowerCase() : ch)).join('');
  }

  blank(): string {
    return this.pick([' ', '  ', '\t', ' \t ']);
  }

  argWord(): string {
    const name = this.chance(0.05) ? `"${this.pick(ARG_NAMES)}"` : this.pick(ARG_NAMES);
    const e = this.#escape;
    return this.pick([
      name, name, `${name}=`, `${name}=1.2.3`, `${name}="with space"`, `${name}='single quoted'`, `${name}=$VERSION`,
      `${name}=\${VERSION:-default}`, `${name}=a${e} b`, `${name}="esc ${e}" quote"`, `${name}=""`, `${name}=x=y`,
    ]);
  }

  heredoc(): Heredoc {
    const name = this.pick(HEREDOC_NAMES);
    const chomp = this.chance(0.3);
    const fd = this.chance(0.1) ? String(this.int(0, 9)) : '';
    const written = this.pick([name, name, `"${name}"`, `'${name}'`]);
    const space = !chomp && this.chance(0.15) ? ' ' : '';
    return { word: `${fd}<<${chomp ? '-' : ''}${space}${written}`, name, chomp };
  }

  body(heredoc: Heredoc): string[] {
    const lines = Array.from({ length: this.int(0, 4) }, () => (heredoc.chomp && this.chance(0.5) ? '\t' : '') + this.pick(BODY_LINES));
    const safe = lines.filter((line) => (heredoc.chomp ? line.replace(/^\t+/, '') : line) !== heredoc.name);
    const terminator = heredoc.chomp && this.chance(0.5) ? `\t\t${heredoc.name}` : heredoc.name;
    return [...safe, terminator];
  }

  runDraft(): Draft {
    const flags = this.chance(0.3)
      ? [this.pick(['--mount=type=cache,target=/root/.cache', '--mount=type=secret,id=token', '--network=none', '--mount=type=bind,source=.,target=/src'])]
      : [];
    const form = this.int(0, 3);
    if (form === 0) return { words: [...flags, '["/bin/sh",', '"-c",', this.pick(['"echo hi"', '"cat <<EOF"', '"make all"']) + ']'], heredocs: [] };
    if (form === 1) {
      const command = this.pick([['echo', 'hello'], ['apk', 'add', '--no-cache', 'make', 'gcc'], ['echo', '"a b"', "'c d'"], ['echo', '"<<EOF"'], ['echo', '$((1<<2))'], ['make', '&&', 'make', 'install']]);
      return { words: [...flags, ...command], heredocs: [] };
    }
    const docs = Array.from({ length: this.chance(0.25) ? 2 : 1 }, () => this.heredoc());
    const words = docs.length === 1
      ? (this.chance(0.5) ? [docs[0].word] : [this.pick(['python3', 'bash', 'sh', 'cat']), docs[0].word])
      : [docs[0].word, 'cat', '>', '/a', '&&', docs[1].word, 'cat', '>', '/b'];
    return { words: [...flags, ...words], heredocs: docs };
  }

  copyDraft(keyword: 'COPY' | 'ADD'): Draft {
    const flagPool = keyword === 'COPY' ? ['--from=build', '--chown=1000:1000', '--chmod=755', '--link'] : ['--chown=app', '--chmod=0644', '--link'];
    const flags = this.chance(0.4) ? [this.pick(flagPool)] : [];
    const form = this.int(0, 2);
    if (form === 0) return { words: [...flags, '["src dir",', '"/dst/"]'], heredocs: [] };
    if (form === 1) return { words: [...flags, this.pick(['.', 'src', 'a.txt', '"with space"']), this.pick(['/app/', '/dst', './'])], heredocs: [] };
    const docs = Array.from({ length: this.chance(0.2) ? 2 : 1 }, () => this.heredoc());
    return { words: [...flags, ...docs.map((d) => d.word), docs.length > 1 ? '/dir/' : '/etc/file'], heredocs: docs };
  }

  instruction(inStage: boolean): Draft {
    if (!inStage) return { words: [this.keyword('ARG'), ...Array.from({ length: this.int(1, 3) }, () => this.argWord())], heredocs: [] };
    const kind = this.int(0, 15);
    const plain = (keyword: string, words: string[]): Draft => ({ words: [this.keyword(keyword), ...words], heredocs: [] });
    switch (kind) {
      case 0: case 1: case 2: {
        const run = this.runDraft();
        return { words: [this.keyword('RUN'), ...run.words], heredocs: run.heredocs };
      }
      case 3: case 4: {
        const copy = this.copyDraft('COPY');
        return { words: [this.keyword('COPY'), ...copy.words], heredocs: copy.heredocs };
      }
      case 5: {
        const add = this.copyDraft('ADD');
        return { words: [this.keyword('ADD'), ...add.words], heredocs: add.heredocs };
      }
      case 6: return plain('ARG', Array.from({ length: this.int(1, 3) }, () => this.argWord()));
      case 7: return plain('ENV', this.pick([['A=1'], ['A="x y"', 'B=2'], ['OLD', 'value', 'with', 'spaces']]));
      case 8: return plain('LABEL', this.pick([['a=b'], ['"c d"="e f"', 'g=h']]));
      case 9: return plain(this.pick(['WORKDIR', 'USER', 'STOPSIGNAL', 'MAINTAINER']), [this.pick(['/app', 'nobody', '1000:1000', 'SIGTERM'])]);
      case 10: return plain(this.pick(['EXPOSE', 'VOLUME']), this.pick([['80'], ['443/udp', '8080'], ['/data']]));
      case 11: return plain(this.pick(['CMD', 'ENTRYPOINT']), this.pick([['["/app",', '"--serve"]'], ['/app', '--serve'], ['echo', '<<EOF']]));
      case 12: return plain('SHELL', ['["/bin/bash",', '"-c"]']);
      case 13: return plain('HEALTHCHECK', this.pick([['NONE'], ['--interval=5s', '--retries=3', 'CMD', 'true'], ['CMD', '["curl",', '"-f",', '"http://localhost/"]']]));
      default: {
        const keyword = this.pick(['RUN', 'COPY'] as const);
        const trigger = keyword === 'RUN' ? this.runDraft() : this.copyDraft(keyword);
        return { words: [this.keyword('ONBUILD'), this.keyword(keyword), ...trigger.words], heredocs: trigger.heredocs };
      }
    }
  }

  /** Lines between instructions: nothing, blank lines, comments. */
  filler(): string[] {
    if (this.chance(0.6)) return [];
    return Array.from({ length: this.int(1, 2) }, () => this.pick(['', '# a comment', '   # indented comment', '  ', '#']));
  }

  /** Words on lines, sometimes continued with comments, empty lines and blanks in between. */
  render(draft: Draft): string[] {
    const lead = this.chance(0.15) ? this.blank() : '';
    const lines: string[] = [];
    let current = lead + draft.words[0];
    for (const word of draft.words.slice(1)) {
      if (this.chance(0.15)) {
        // Joined lines keep the words apart only through a blank before the escape or at the next line's start.
        const spaceBefore = this.chance(0.7);
        lines.push(current + (spaceBefore ? ' ' : '') + this.#escape + (this.chance(0.2) ? this.blank() : ''));
        if (this.chance(0.3)) lines.push(this.pick(['# comment in a continuation', '  # indented', '', '   ']));
        current = (!spaceBefore || this.chance(0.5) ? this.blank() : '') + word;
      } else {
        current += (this.chance(0.1) ? this.blank() : ' ') + word;
      }
    }
    lines.push(current);
    for (const heredoc of draft.heredocs) lines.push(...this.body(heredoc));
    return lines;
  }

  /** Directives first: the escape token is effective only in an unbroken run of directives at the top. */
  header(): string[] {
    const effective = this.chance(0.25);
    this.#escape = effective ? this.pick(['`', '\\']) : '\\';
    const lines: string[] = [];
    if (this.chance(0.4)) lines.push(this.pick(['# syntax=docker/dockerfile:1', '#syntax = docker/dockerfile:1.7', '# SYNTAX=docker/dockerfile:1']));
    if (this.chance(0.1)) lines.push('# check=error=true');
    if (effective) lines.push(this.pick([`# escape=${this.#escape}`, `#escape = ${this.#escape}`, `#  ESCAPE=${this.#escape}  `]));
    else if (this.chance(0.1)) lines.push(this.pick(['# a comment first', '']), '# escape=`');
    return lines;
  }

  dockerfile(): string {
    const lines = this.header();
    for (let i = this.int(0, 2); i > 0; i--) lines.push(...this.filler(), ...this.render(this.instruction(false)));
    for (let stage = this.int(1, 3); stage > 0; stage--) {
      const platform = this.chance(0.2) ? [this.pick(['--platform=linux/amd64', '--platform=$BUILDPLATFORM'])] : [];
      const name = this.chance(0.6) ? [this.pick(['AS', 'as', 'As']), this.pick(STAGE_NAMES)] : [];
      lines.push(...this.filler(), ...this.render({ words: [this.keyword('FROM'), ...platform, this.pick(BASES), ...name], heredocs: [] }));
      for (let i = this.int(0, 8); i > 0; i--) lines.push(...this.filler(), ...this.render(this.instruction(true)));
    }
    const crlf = this.chance(0.15);
    const text = lines.map((line) => line + (crlf || this.chance(0.03) ? '\r\n' : '\n')).join('');
    return (this.chance(0.1) ? '\uFEFF' : '') + (this.chance(0.1) ? text.replace(/\r?\n$/, '') : text);
  }
}

/** `count` Dockerfiles from one seed. */
export function generateDockerfiles(seed: number, count: number): string[] {
  const generator = new Generator(seed);
  return Array.from({ length: count }, () => generator.dockerfile());
}
