// What the packager sends, as the image's files should show it: path → sha256 of each regular file.
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { extract } from 'tar-stream';
import { createGunzip } from 'node:zlib';
import { packContext } from '../../src/core/context/index.ts';

export async function packagedFiles(contextDir: string, dockerfile: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const tar = extract();
  tar.on('entry', (header, stream, next) => {
    const hash = createHash('sha256');
    stream.on('data', (chunk: unknown) => {
      hash.update(chunk as Buffer);
    });
    stream.on('end', () => {
      if (header.type === 'file') files.set(header.name.replace(/^\.\//, ''), hash.digest('hex'));
      next();
    });
  });
  const finished = new Promise<void>((resolve, reject) => {
    tar.on('finish', () => resolve());
    tar.on('error', reject);
  });
  const out = new PassThrough();
  out.pipe(createGunzip()).pipe(tar);
  await packContext({ contextDir, dockerfile }, out);
  await finished;
  return files;
}
