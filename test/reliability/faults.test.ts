// The fault table as a test: every case builds for real against one sandbox (faults reset between cases)
// and must end with its outcome, reason, message and fix, leaving no pod or secret behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistrySecret } from '../../src/core/engine.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { startSandbox } from '../sandbox/index.ts';
import { faultCases, runFaultCase } from './fault-cases.ts';
import { useSandboxBaseImages } from '../integration/helpers.ts';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
  useSandboxBaseImages(sandbox);
  const { host, user, password } = sandbox.registries.tls;
  await createRegistrySecret({ kubeconfig: sandbox.kubeconfigPath }, { name: 'regcred', server: host, username: user, password });
});
after(() => sandbox?.stop());

for (const c of faultCases) {
  test(c.name, async () => {
    const report = await runFaultCase(sandbox, c);
    assert.deepEqual(report.problems, [], `${c.name}: ${report.result?.reason}: ${report.result?.message}`);
  });
}
