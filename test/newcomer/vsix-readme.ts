// What a Marketplace page or VS Code's extension view would show broken: pictures in the packaged README that are
// neither in the VSIX nor absolute https URLs (vsce does not rewrite relative links without a repository URL).
import { spawnSync } from 'node:child_process';
import { posix } from 'node:path';

function unzip(args: string[]): string {
  const result = spawnSync('unzip', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`unzip ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Picture references of a Markdown text: `![alt](src "title")` and `<img src="…">`. */
export function pictureReferences(markdown: string): string[] {
  const markdownImages = [...markdown.matchAll(/!\[[^\]]*\]\(\s*(?:<([^>]+)>|([^)\s]+))/g)].map((m) => m[1] ?? m[2]);
  const htmlImages = [...markdown.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
  return [...markdownImages, ...htmlImages];
}

/** One line per picture of the VSIX's README that would not show. */
export function vsixReadmeProblems(vsix: string): string[] {
  const files = new Set(unzip(['-Z1', vsix]).split('\n').filter(Boolean));
  const readme = unzip(['-p', vsix, 'extension/readme.md']);
  return pictureReferences(readme)
    .filter((src) => !src.startsWith('https://'))
    .filter((src) => !files.has(posix.join('extension', decodeURI(src.replace(/^\.\//, '')))))
    .map((src) => `${src}: not in the VSIX and not an https URL`);
}
