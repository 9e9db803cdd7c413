// `npm run sandbox [--kubeconfig PATH] [--openshift] [--v4-only]`: starts the sandbox cluster, prints where
// everything is (one `key: value` per line, then `ready`), and stops everything on Ctrl-C or SIGTERM.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './index.ts';

const { values } = parseArgs({
  options: { kubeconfig: { type: 'string' }, openshift: { type: 'boolean', default: false }, 'v4-only': { type: 'boolean', default: false } },
});

const sandbox = await startSandbox({
  openshift: values.openshift,
  execProtocols: values['v4-only'] ? 'v4-only' : 'v5+v4',
  ...(values.kubeconfig ? { kubeconfigPath: resolve(values.kubeconfig) } : {}),
});

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  sandbox.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`sandbox: stop failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const { tls, plain } = sandbox.registries;
console.log(
  [
    `kubeconfig: ${sandbox.kubeconfigPath}`,
    `registry: ${plain.host}`,
    `registry-tls: ${tls.host}`,
    `registry-user: ${tls.user}`,
    `registry-password: ${tls.password}`,
    `registry-ca: ${tls.caFile}`,
    `kaniko-executor: ${'executor' in sandbox.kaniko ? sandbox.kaniko.executor : `none, the buildah stand-in runs (${sandbox.kaniko.missing})`}`,
    'ready',
  ].join('\n'),
);
