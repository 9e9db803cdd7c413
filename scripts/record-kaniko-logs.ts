// Records the real kaniko executor's output, as a build pod's log shows it (colours and padding as printed), into
// test/fixtures/kaniko-logs/*.log for the log parser's unit tests. Needs the executor (scripts/kaniko-executor.ts).
// `node scripts/record-kaniko-logs.ts`
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKubelet } from '../test/sandbox/kubelet/index.ts';
import { baseImages } from '../test/sandbox/registry/base-images.ts';
import { startRegistries } from '../test/sandbox/registry/index.ts';
import { runBuildPod } from '../test/sandbox/runtime/build-pod.ts';
import { MemoryStore } from '../test/sandbox/runtime/memory-store.ts';
import { kanikoExecutor, pinnedKanikoVersion } from './kaniko-executor.ts';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'kaniko-logs');
const context = ['--dockerfile=/kaniko/build-context/ctx/Dockerfile', '--context=dir:///kaniko/build-context/ctx'];

const dir = await mkdtemp(join(tmpdir(), 'record-kaniko-'));
const registries = await startRegistries(join(dir, 'registries'));
const store = new MemoryStore();
const kubelet = createKubelet(store, { dir: join(dir, 'node'), registries, kanikoExecutor: kanikoExecutor().path });
const base = `${registries.plain.host}/${baseImages.busybox}`;
const cached = `FROM ${base}\nCOPY a.txt /a.txt\nRUN cat /a.txt\nENV MODE=test\nRUN echo "mode $MODE" > /mode\n`;
const cases: Array<{ file: string; dockerfile: string; args: string[] }> = [
  { file: 'cache-cold', dockerfile: cached, args: ['--cache=true', `--cache-repo=${registries.plain.host}/cache`, `--destination=${registries.plain.host}/demo/cached:v1`] },
  { file: 'cache-warm', dockerfile: cached, args: ['--cache=true', `--cache-repo=${registries.plain.host}/cache`, `--destination=${registries.plain.host}/demo/cached:v1`] },
  { file: 'multistage-target', dockerfile: `FROM ${base} AS builder\nRUN echo built > /artifact\nFROM scratch AS final\nCOPY --from=builder /artifact /artifact\nFROM final AS unused\nRUN never\n`, args: ['--target=final', `--destination=${registries.plain.host}/demo/multi:v1`] },
  { file: 'run-failed', dockerfile: `FROM ${base}\nRUN echo about to fail && exit 3\n`, args: [`--destination=${registries.plain.host}/demo/fail:v1`] },
  { file: 'push-unauthorized', dockerfile: `FROM ${base}\n`, args: [`--destination=${registries.tls.host}/demo/denied:v1`] },
];
try {
  await mkdir(out, { recursive: true });
  for (const [index, c] of cases.entries()) {
    const result = await runBuildPod(store, kubelet, { name: `record-${index}`, files: { Dockerfile: c.dockerfile, 'a.txt': 'a\n' }, args: [...context, ...c.args] });
    // Ports change from run to run; the fixtures name the registries as the sandbox does in its docs.
    const text = result.logs.replaceAll(registries.plain.host, '127.0.0.1:5000').replaceAll(registries.tls.host, '127.0.0.1:5443');
    await writeFile(join(out, `${c.file}.log`), text);
    console.log(`${c.file}: exit ${result.main?.exitCode}`);
  }
  await writeFile(join(out, 'README.md'), `Output of the real kaniko executor (osscontainertools/kaniko ${pinnedKanikoVersion()}, default colour format) recorded by\n\`node scripts/record-kaniko-logs.ts\` from sandbox build pods; registry ports replaced by 5000 (plain) and 5443 (TLS).\n`);
} finally {
  await kubelet.stop();
  await registries.stop();
  await rm(dir, { recursive: true, force: true });
}
