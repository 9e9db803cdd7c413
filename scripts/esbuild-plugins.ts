// esbuild plugins shared by the product build (scripts/build.mjs) and the benchmarks that bundle the engine.
import type { Plugin } from 'esbuild';

const CLIENT_NODE = '/@kubernetes/client-node/';

/**
 * @kubernetes/client-node does not declare `"sideEffects": false`, so a bundle keeps all of its generated API
 * clients though the engine uses only KubeConfig: 0.7 MB more to load and ~9 MB more resident memory. Its
 * modules have no side effects but a `File` polyfill for Node 18 (every VS Code runs Node 20 or later, which
 * has `File`), so they are resolved here as side-effect free and esbuild drops the ones nothing imports from.
 */
export const clientNodeTreeShaking: Plugin = {
  name: 'client-node-tree-shaking',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      const fromClientNode = args.importer.includes(CLIENT_NODE) || args.path.startsWith('@kubernetes/client-node');
      if (!fromClientNode || (args.pluginData as { inner?: boolean } | undefined)?.inner) return undefined;
      const result = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { inner: true } });
      if (result.errors.length > 0 || !result.path.includes(CLIENT_NODE)) return result;
      return { path: result.path, external: result.external, namespace: result.namespace, sideEffects: false };
    });
  },
};
