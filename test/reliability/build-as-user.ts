// Runs one build through the engine, printing each event as a JSON line and then {uid, result}.
// unprivileged-build.ts starts it without root's powers, where file permissions apply: the tests run
// as root, which ignores them.
import type { BuildRequest } from '../../src/core/build/model.ts';
import { startBuild } from '../../src/core/engine.ts';

const request = JSON.parse(process.argv[2]) as BuildRequest;
const session = startBuild(request);
session.onEvent((event) => process.stdout.write(`${JSON.stringify({ event })}\n`));
const result = await session.done;
// exit at once: the parent judges leftovers itself, and must not wait for idle keep-alive sockets.
process.stdout.write(`${JSON.stringify({ uid: process.getuid?.(), result })}\n`, () => process.exit(0));
