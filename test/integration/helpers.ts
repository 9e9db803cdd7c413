// Shared by the integration tests: contexts on disk, event capture, and the "nothing left behind" check.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BuildEvent, BuildRequest, BuildResult, BuildSession } from '../../src/core/build/model.ts';
import { listBuilds, startBuild } from '../../src/core/engine.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { baseImages } from '../sandbox/registry/base-images.ts';

/**
 * What the tests' Dockerfiles write after FROM for the busybox base: makeContext puts the sandbox registry's
 * image there (base-images.ts), which kaniko pulls as from any registry. The host is known only once the sandbox runs.
 */
export const BUSYBOX = '<sandbox-busybox>';
let busyboxImage: string | undefined;

/** From now on makeContext's Dockerfiles name this sandbox's busybox base image. */
export function useSandboxBaseImages(sandbox: Sandbox): void {
  busyboxImage = `${sandbox.registries.plain.host}/${baseImages.busybox}`;
}

/** A file's content with the BUSYBOX placeholder replaced by the sandbox's base image. */
export function withBaseImages(content: string): string {
  if (!content.includes(BUSYBOX)) return content;
  if (!busyboxImage) throw new Error('a Dockerfile names BUSYBOX before useSandboxBaseImages(sandbox) was called');
  return content.replaceAll(BUSYBOX, busyboxImage);
}

export async function makeContext(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kaniko-ctx-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), typeof content === 'string' ? withBaseImages(content) : content);
  }
  return dir;
}

export interface Run {
  readonly session: BuildSession;
  readonly events: BuildEvent[];
  readonly result: Promise<BuildResult>;
}

/** Starts a build and records every event; `on` may act on events (e.g. cancel in a phase). */
export function run(request: BuildRequest, on?: (event: BuildEvent, session: BuildSession) => void): Run {
  const session = startBuild(request);
  const events: BuildEvent[] = [];
  session.onEvent((event) => {
    events.push(event);
    on?.(event, session);
  });
  return { session, events, result: session.done };
}

/** Every string a build emitted (events, result, messages), for credential searches. */
export function emittedText(events: readonly BuildEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n');
}

export function assertNoSecret(events: readonly BuildEvent[], ...secrets: string[]): void {
  const text = emittedText(events);
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), 'a credential appeared in the build events');
    assert.ok(!text.includes(Buffer.from(secret).toString('base64')), 'a base64 credential appeared in the build events');
  }
}

/** No pod with the managed-by label remains (deletes may take a moment to be final). */
export async function assertNoBuildPods(kubeconfig: string): Promise<void> {
  let left: string[] = [];
  for (let i = 0; i < 50; i++) {
    left = (await listBuilds({ kubeconfig })).map((b) => b.name);
    if (left.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual(left, [], 'build pods were left on the cluster');
}

export function phaseOf(events: readonly BuildEvent[], phase: string): string | undefined {
  return events.filter((e) => e.type === 'phase' && e.phase === phase).map((e) => (e.type === 'phase' ? e.state : undefined)).at(-1);
}
