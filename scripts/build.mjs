// Bundles the extension (small, loaded at activation), the engine (loaded on first build) and the CLI.
import * as esbuild from 'esbuild';
import { clientNodeTreeShaking } from './esbuild-plugins.ts';

const production = process.argv.includes('--production');

/** The engine is imported lazily; keep it a separate file so activation does not load the Kubernetes client. */
const lazyEngine = {
  name: 'lazy-engine',
  setup(build) {
    build.onResolve({ filter: /\/core\/engine\.ts$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './engine.js', external: true } : undefined,
    );
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  logLevel: 'warning',
  plugins: [lazyEngine],
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' }),
  esbuild.build({ ...common, entryPoints: { engine: 'src/core/engine.ts', cli: 'src/cli.ts' }, outdir: 'dist', plugins: [lazyEngine, clientNodeTreeShaking] }),
]);
