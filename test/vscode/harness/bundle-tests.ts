// Bundles an extension-host entry (TypeScript, ESM source) into one CommonJS file the extension host can require.
import * as esbuild from 'esbuild';

/** vscode is provided by the host; mocha stays a normal require from the repository's node_modules. */
export async function bundleTests(entry: string, outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}
