// Turns `buildah bud` output into kaniko's log lines; RUN output passes through raw, buildah's own chatter is dropped.
import type { Instruction, Stage } from './dockerfile.ts';
import type { Logger } from './logger.ts';

const stepLine = /^(?:\[(\d+)\/\d+\] )?STEP (\d+)\/\d+: (.*)$/;
const chatter = /^(Getting image source signatures|Copying (blob|config) |Writing manifest to image destination|Storing signatures|subprocess exited with status \d+|Error: |time="|level=|(WARN|ERRO|INFO)\[\d+\])/;

export class BuildOutput {
  private readonly stages: Stage[];
  private readonly logger: Logger;
  private readonly cacheRepo?: string;
  private pending?: Instruction;
  private committed = false;
  /** buildah's last error line, for kaniko's error message. */
  lastError = '';

  constructor(stages: Stage[], logger: Logger, cacheRepo?: string) {
    this.stages = stages;
    this.logger = logger;
    this.cacheRepo = cacheRepo;
  }

  private finishInstruction(): void {
    const done = this.pending;
    this.pending = undefined;
    if (!done) return;
    if (done.keyword === 'RUN') this.logger.info('Taking snapshot of full filesystem...');
    else if (done.keyword === 'COPY' || done.keyword === 'ADD') this.logger.info('Taking snapshot of files...');
    else this.logger.info('No files changed in this command, skipping snapshotting.');
  }

  private startStage(stage: Stage): void {
    this.logger.info('Executing 0 build triggers');
    this.logger.info(`Building stage '${stage.base}' [idx: '${stage.index}', base-idx: '${stage.baseIndex}']`);
    const firstRun = stage.instructions.find((i) => i.keyword === 'RUN');
    if (firstRun) this.logger.info(`Unpacking rootfs as cmd ${firstRun.text} requires it.`);
    else this.logger.info('Skipping unpacking as no commands require it.');
    this.logger.info('Initializing snapshotter ...');
    this.logger.info('Taking snapshot of full filesystem...');
  }

  private startInstruction(instruction: Instruction): void {
    if (instruction.keyword === 'RUN' && this.cacheRepo) {
      this.logger.info(`Checking for cached layer ${this.cacheRepo}:${Buffer.from(instruction.text).toString('hex').slice(0, 64)}...`);
      this.logger.info(`No cached layer found for cmd ${instruction.text}`);
    }
    this.logger.info(instruction.text);
    if (instruction.keyword === 'RUN') {
      const command = instruction.text.slice(4);
      this.logger.info('Cmd: /bin/sh');
      this.logger.info(`Args: [-c ${command}]`);
      this.logger.info(`Running: [/bin/sh -c ${command}]`);
    }
    this.pending = instruction;
  }

  stdoutLine(line: string): void {
    const step = stepLine.exec(line);
    if (step) {
      this.finishInstruction();
      const stage = this.stages[Number(step[1] ?? 1) - 1];
      const index = Number(step[2]);
      if (index === 1 && stage) this.startStage(stage);
      else if (index > 1) this.startInstruction(stage?.instructions[index - 2] ?? { keyword: step[3].split(' ')[0].toUpperCase(), text: step[3] });
      return;
    }
    if (/^--> /.test(line) || /^COMMIT\b/.test(line)) {
      this.finishInstruction();
      this.committed = true;
      return;
    }
    if (this.committed && (/^[0-9a-f]{64}$/.test(line) || /^Successfully tagged /.test(line))) return;
    process.stdout.write(line + '\n');
  }

  stderrLine(line: string): void {
    if (/^Error: /.test(line)) this.lastError = line.slice('Error: '.length);
    if (chatter.test(line)) return;
    process.stderr.write(line + '\n');
  }

  end(): void {
    this.finishInstruction();
  }
}
