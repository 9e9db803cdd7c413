// A child process that spins on one core for as long as it runs: the busy machine the extension host
// shares with other work. Stopped by its own PID.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface CpuHog {
  stop(): Promise<void>;
}

export async function startCpuHog(): Promise<CpuHog> {
  const child = spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' });
  await once(child, 'spawn');
  const exited = once(child, 'exit');
  return {
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
