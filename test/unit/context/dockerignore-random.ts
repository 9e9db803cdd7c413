// Random .dockerignore cases for the differential test: random trees of names that stress the matcher, and
// random ignore files from the pattern grammar (wildcards, `**`, classes, escapes, `!`, `/`, `..`, comments,
// blank lines, CRLF, BOM), reproducible from one seed.
import { seededRandom } from '../../seeded-random.ts';
import type { IgnoreCase } from './dockerignore-oracle.ts';

const NAMES = ['a', 'b', 'ab', 'a.txt', 'b.md', '.h', 'a+b', '[x]', 'x y', 'é', 'É', 'A', 'f(1)', '#c', '!n', '{a,b}', 'a|b', '\\', '1', 'a*', 'q?', '^', '$', 'ü.md', 'dir', 'sub', 'Dockerfile', 'node_modules'];
// Docker compiles a pattern's regular expression when it first uses it and fails only then, while we refuse
// such a line at once (see pattern-matcher.ts); so the grammar keeps to expressions Go compiles, and the
// lines Docker refuses up front come from `line`. Escapes Go's regexp takes: punctuation, the ASCII classes.
const ESCAPES = ['\\*', '\\?', '\\[', '\\\\', '\\.', '\\d', '\\w', '\\s', '\\-', '\\^'];

class Draw {
  readonly #random: () => number;
  constructor(random: () => number) {
    this.#random = random;
  }
  chance(p: number): boolean {
    return this.#random() < p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.#random() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
}

function randomTree(draw: Draw): IgnoreCase['tree'] {
  const tree: Array<string | { path: string; link: string }> = [];
  const fill = (dir: string, depth: number): void => {
    const names = new Set<string>();
    for (let n = draw.int(1, 4); n > 0; n -= 1) names.add(draw.pick(NAMES));
    for (const name of names) {
      const path = dir === '' ? name : `${dir}/${name}`;
      if (path === 'Dockerfile') continue;
      if (depth < 3 && draw.chance(0.4)) {
        if (draw.chance(0.15)) tree.push(`${path}/`);
        else fill(path, depth + 1);
      } else if (draw.chance(0.05)) {
        tree.push({ path, link: draw.pick(NAMES) });
      } else {
        tree.push(path);
      }
    }
  };
  fill('', 0);
  return tree;
}

/** A name written into a pattern: as is (its `*`, `?`, `[` then act as wildcards) or with those escaped. */
function literal(draw: Draw, name: string): string {
  return draw.chance(0.5) ? name : name.replace(/[*?[\]\\]/g, (ch) => `\\${ch}`);
}

function segment(draw: Draw): string {
  const name = draw.pick(NAMES);
  switch (draw.int(0, 12)) {
    case 0: return '*';
    case 1: return '?';
    case 2: return '**';
    case 3: return `*${literal(draw, name).slice(-2)}`;
    case 4: return `${literal(draw, name).slice(0, 1)}*`;
    case 5: return draw.pick(['[a-c]', '[^a]', '[ab]', '[!a]', '[.]', '[A-Z]', '[é-ü]', '[\\]]', '[a-b]']);
    case 6: return `**${draw.pick(['.md', 'b', '.txt', ''])}`;
    case 7: return `${draw.pick(ESCAPES)}${draw.chance(0.5) ? '*' : ''}`;
    case 9: {
      // Go's `a|b` and `a{2}`; a count only after a letter (`*{2}` is a nested repetition to Go).
      const text = literal(draw, name);
      return `${text}${/[a-z]$/.test(text) ? draw.pick(['|', '{2}', '{1,}']) : '|'}${draw.chance(0.5) ? '*' : ''}`;
    }
    case 8: return `${literal(draw, name)}?`;
    default: return literal(draw, name);
  }
}

function pattern(draw: Draw): string {
  const parts: string[] = [];
  for (let n = draw.int(1, 3); n > 0; n -= 1) parts.push(draw.chance(0.05) ? draw.pick(['.', '..']) : segment(draw));
  let text = parts.join('/');
  if (draw.chance(0.1)) text = `/${text}`;
  if (draw.chance(0.05)) text = `./${text}`;
  if (draw.chance(0.1)) text = `${text}/`;
  if (draw.chance(0.3)) text = `!${draw.chance(0.2) ? ' ' : ''}${text}`;
  if (draw.chance(0.1)) text = ` ${text}\t`;
  return text;
}

function line(draw: Draw): string {
  const roll = draw.int(0, 99);
  if (roll < 5) return `# ${pattern(draw)}`;
  if (roll < 8) return draw.pick(['', '   ', '\t']);
  if (roll < 10) return ` # ${pattern(draw)}`;
  // Lines Docker refuses before looking at any path.
  if (roll < 11) return draw.pick(['[', '!', 'a[', '[]', 'x\\']);
  return pattern(draw);
}

function ignoreText(draw: Draw): string {
  const lines: string[] = [];
  for (let n = draw.int(1, 5); n > 0; n -= 1) lines.push(line(draw));
  const eol = draw.chance(0.1) ? '\r\n' : '\n';
  return `${draw.chance(0.05) ? '\uFEFF' : ''}${lines.join(eol)}${draw.chance(0.5) ? eol : ''}`;
}

/** `count` random cases from `seed`; some with the Dockerfile in a folder and its own `<Dockerfile>.dockerignore`. */
export function randomCases(seed: number, count: number): IgnoreCase[] {
  const draw = new Draw(seededRandom(seed));
  return Array.from({ length: count }, (_, i) => {
    const tree = randomTree(draw);
    const nested = draw.chance(0.1);
    const dockerfile = nested ? 'sub/Dockerfile' : 'Dockerfile';
    const ignoreName = nested && draw.chance(0.5) ? `${dockerfile}.dockerignore` : '.dockerignore';
    // Room for the nested Dockerfile: no file or link called `sub`, nothing at its own path.
    const fits = (item: IgnoreCase['tree'][number]): boolean => {
      const path = typeof item === 'string' ? item : item.path;
      return !nested || (path !== 'sub' && !path.startsWith('sub/Dockerfile'));
    };
    return { name: `random #${i}`, tree: tree.filter(fits), ignore: ignoreText(draw), ignoreName, dockerfile };
  });
}
