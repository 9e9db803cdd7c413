// kubectl's READY/STATUS cells for every stage of a one-init, one-main pod (restartPolicy Never), and the AGE format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from './contract.ts';
import { podCells } from './api/pod-printer.ts';
import { humanDuration } from './api/table.ts';

const waiting = (reason: string) => ({ waiting: { reason } });
const terminated = (exitCode: number, reason: string) => ({ terminated: { exitCode, reason } });
const running = { running: { startedAt: '2026-01-01T00:00:00Z' } };

function pod(phase: string, init: object | undefined, main: object | undefined, extra: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'p', ...extra },
    spec: { initContainers: [{ name: 'kaniko-init' }], containers: [{ name: 'kaniko' }] },
    status: {
      phase,
      ...(init ? { initContainerStatuses: [{ name: 'kaniko-init', ready: false, restartCount: 0, state: init }] } : {}),
      ...(main ? { containerStatuses: [{ name: 'kaniko', ready: (main as { running?: unknown }).running !== undefined, restartCount: 0, state: main }] } : {}),
    },
  };
}

test('STATUS strings follow kubectl for each stage of an init + main pod', () => {
  const stages: Array<[string, KubeObject, string, string]> = [
    ['unscheduled', pod('Pending', undefined, undefined), 'Pending', '0/1'],
    ['init creating', pod('Pending', waiting('PodInitializing'), waiting('PodInitializing')), 'Init:0/1', '0/1'],
    ['init pull failed', pod('Pending', waiting('ErrImagePull'), waiting('PodInitializing')), 'Init:ErrImagePull', '0/1'],
    ['init back-off', pod('Pending', waiting('ImagePullBackOff'), waiting('PodInitializing')), 'Init:ImagePullBackOff', '0/1'],
    ['init running', pod('Pending', running, waiting('PodInitializing')), 'Init:0/1', '0/1'],
    ['init done', pod('Pending', terminated(0, 'Completed'), waiting('PodInitializing')), 'PodInitializing', '0/1'],
    ['main running', pod('Running', terminated(0, 'Completed'), running), 'Running', '1/1'],
    ['main exit 0', pod('Succeeded', terminated(0, 'Completed'), terminated(0, 'Completed')), 'Completed', '0/1'],
    ['main exit N', pod('Failed', terminated(0, 'Completed'), terminated(1, 'Error')), 'Error', '0/1'],
    ['init exit N', pod('Failed', terminated(2, 'Error'), waiting('PodInitializing')), 'Init:Error', '0/1'],
    ['init exit N without reason', pod('Failed', { terminated: { exitCode: 2 } }, waiting('PodInitializing')), 'Init:ExitCode:2', '0/1'],
    ['deleting a running pod', pod('Running', terminated(0, 'Completed'), running, { deletionTimestamp: '2026-01-01T00:00:30Z' }), 'Terminating', '1/1'],
    ['deleting a finished pod', pod('Succeeded', terminated(0, 'Completed'), terminated(0, 'Completed'), { deletionTimestamp: '2026-01-01T00:00:30Z' }), 'Completed', '0/1'],
    ['evicted', { ...pod('Failed', terminated(0, 'Completed'), terminated(137, 'Error')), status: { phase: 'Failed', reason: 'Evicted' } }, 'Evicted', '0/1'],
  ];
  for (const [stage, object, status, ready] of stages) {
    const cells = podCells(object);
    assert.equal(cells.status, status, stage);
    assert.equal(cells.ready, ready, stage);
  }
});

test('AGE uses apimachinery HumanDuration', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [119, '119s'],
    [125, '2m5s'],
    [600, '10m'],
    [3 * 3600 + 5 * 60, '3h5m'],
    [30 * 3600, '30h'],
    [3 * 86400 + 4 * 3600, '3d4h'],
    [400 * 86400, '400d'],
  ];
  for (const [seconds, text] of cases) assert.equal(humanDuration(seconds * 1000), text, `${seconds}s`);
});
