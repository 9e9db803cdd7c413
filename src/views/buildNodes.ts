// The Kaniko Builds tree as plain data: one node per build, its phases, the build phase's stages and instructions.
// Pure (no vscode import) so the shape is unit-tested; buildTree.ts turns nodes into TreeItems.
import { basename } from 'node:path';
import { PHASES } from '../core/build/model.ts';
import type { BuildSnapshot, BuildStep, PhaseId, PhaseState } from '../core/build/model.ts';
import type { BuildRecord, ByteProgress } from '../builds/buildRecord.ts';
import { isRunning, namespaceOf } from '../builds/buildRecord.ts';
import { phaseName, phaseStateName } from '../builds/phaseNames.ts';
import { formatBytes, formatDuration, formatSpeed, imageShortName, shortDigest } from '../format.ts';
import type { Translate } from '../l10nTypes.ts';

export interface NodeIcon {
  /** Codicon id, e.g. `sync~spin`. */
  readonly id: string;
  /** Theme colour id, e.g. `testing.iconPassed`. */
  readonly color?: string;
}

export interface BuildNode {
  readonly id: string;
  readonly buildId: string;
  readonly kind: 'build' | 'phase' | 'stage' | 'step' | 'info';
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon?: NodeIcon;
  /** Space-separated flags matched by the menus' `viewItem =~ /\bflag\b/` clauses. */
  readonly contextValue: string;
  readonly children: readonly BuildNode[];
  readonly expanded?: boolean;
  /** For steps: the Dockerfile and 1-based line to open. */
  readonly location?: { readonly file: string; readonly line: number };
}

const STATE_ICONS: Record<PhaseState, NodeIcon> = {
  pending: { id: 'circle-outline', color: 'disabledForeground' },
  running: { id: 'sync~spin' },
  done: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  skipped: { id: 'debug-step-over', color: 'disabledForeground' },
  cancelled: { id: 'circle-slash', color: 'disabledForeground' },
};

function buildIcon(snapshot: BuildSnapshot): NodeIcon {
  switch (snapshot.result?.outcome) {
    case undefined: return STATE_ICONS.running;
    case 'succeeded': return STATE_ICONS.done;
    case 'failed': return STATE_ICONS.failed;
    case 'cancelled': return STATE_ICONS.cancelled;
  }
}

function elapsed(from: number | undefined, to: number | undefined, now: number): string | undefined {
  return from === undefined ? undefined : formatDuration((to ?? now) - from);
}

function join(...parts: Array<string | undefined | false>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(' · ');
}

function bytesText(progress: ByteProgress | undefined, running: boolean, now: number): string | undefined {
  if (!progress) return undefined;
  const size = progress.totalBytes ? `${formatBytes(progress.bytes)} / ${formatBytes(progress.totalBytes)}` : formatBytes(progress.bytes);
  const speed = formatSpeed(progress.bytes, (running ? now : progress.at) - progress.since);
  return join(size, speed);
}

function instructions(count: number, t: Translate): string {
  return count === 1 ? t('1 instruction') : t('{0} instructions', count);
}

function stepNode(snapshot: BuildSnapshot, step: BuildStep, now: number, t: Translate): BuildNode {
  const icon = step.state === 'running' ? STATE_ICONS.running : step.state === 'failed' ? STATE_ICONS.failed : step.cached ? { id: 'database', color: 'testing.iconPassed' } : STATE_ICONS.done;
  return {
    id: `${snapshot.id}/step/${step.index}`,
    buildId: snapshot.id,
    kind: 'step',
    label: step.instruction,
    description: join(step.state === 'running' && !isRunning(snapshot) ? undefined : elapsed(step.startedAt, step.finishedAt, now), step.cached && t('cached'), step.line !== undefined && t('line {0}', step.line)),
    tooltip: step.instruction,
    icon,
    contextValue: step.line === undefined ? 'kanikoStep' : 'kanikoStep line',
    children: [],
    location: step.line === undefined ? undefined : { file: snapshot.request.dockerfile, line: step.line },
  };
}

function buildPhaseChildren(snapshot: BuildSnapshot, now: number, t: Translate): BuildNode[] {
  const stages = [...new Set(snapshot.steps.map((step) => step.stage))].sort((a, b) => a - b);
  if (stages.length <= 1) return snapshot.steps.map((step) => stepNode(snapshot, step, now, t));
  return stages.map((stage) => {
    const steps = snapshot.steps.filter((step) => step.stage === stage);
    const failed = steps.some((step) => step.state === 'failed');
    const running = steps.some((step) => step.state === 'running');
    return {
      id: `${snapshot.id}/stage/${stage}`,
      buildId: snapshot.id,
      kind: 'stage' as const,
      label: t('Stage {0}', stage),
      description: instructions(steps.length, t),
      icon: failed ? STATE_ICONS.failed : running && isRunning(snapshot) ? STATE_ICONS.running : STATE_ICONS.done,
      contextValue: 'kanikoStage',
      children: steps.map((step) => stepNode(snapshot, step, now, t)),
      expanded: failed || running,
    };
  });
}

function infoNode(snapshot: BuildSnapshot, key: string, label: string, description?: string, icon?: NodeIcon, children: BuildNode[] = []): BuildNode {
  return { id: `${snapshot.id}/${key}`, buildId: snapshot.id, kind: 'info', label, description, icon, contextValue: 'kanikoInfo', children };
}

function packageChildren(snapshot: BuildSnapshot, t: Translate): BuildNode[] {
  const summary = snapshot.summary;
  if (!summary) return [];
  return [
    infoNode(snapshot, 'summary/files', t('{0} files, {1}', summary.files, formatBytes(summary.bytes)), summary.ignoreFile ? t('ignore file: {0}', summary.ignoreFile) : t('no ignore file'), { id: 'files' }),
    ...summary.largestDirs.map((dir) => infoNode(snapshot, `summary/dir/${dir.path}`, dir.path || '.', t('{0} in {1} files', formatBytes(dir.bytes), dir.files), { id: 'folder' })),
  ];
}

function phaseNode(record: BuildRecord, phase: PhaseId, now: number, t: Translate): BuildNode {
  const { snapshot } = record;
  const info = snapshot.phases[phase] ?? { state: 'pending' as const };
  const running = info.state === 'running';
  const bytes = phase === 'package' || phase === 'upload' ? bytesText(record.progress[phase], running, now) : undefined;
  const steps = phase === 'build' && snapshot.steps.length > 0 ? instructions(snapshot.steps.length, t) : undefined;
  const children = phase === 'build' ? buildPhaseChildren(snapshot, now, t) : phase === 'package' ? packageChildren(snapshot, t) : [];
  return {
    // VS Code applies a node's collapsible state only the first time it sees its id: a new id once instructions
    // arrive lets the running build phase open by itself.
    id: `${snapshot.id}/phase/${phase}${children.length > 0 ? '/open' : ''}`,
    buildId: snapshot.id,
    kind: 'phase',
    label: phaseName(phase, t),
    description: join(info.state === 'pending' || info.state === 'skipped' ? phaseStateName(info.state, t) : elapsed(info.startedAt, info.finishedAt, now), bytes, steps, info.detail),
    tooltip: info.detail,
    icon: running && !isRunning(snapshot) ? STATE_ICONS.cancelled : STATE_ICONS[info.state],
    contextValue: `kanikoPhase ${phase}`,
    children,
    expanded: phase === 'build' && (running || info.state === 'failed'),
  };
}

function resultNode(snapshot: BuildSnapshot, t: Translate): BuildNode | undefined {
  const result = snapshot.result;
  if (!result) return undefined;
  const images = (result.images ?? []).map((image) => infoNode(snapshot, `image/${image.reference}`, image.reference, shortDigest(image.digest), { id: 'package' }));
  const label = result.outcome === 'succeeded' ? t('Pushed') : result.outcome === 'cancelled' ? t('Cancelled') : t('Failed');
  return {
    ...infoNode(snapshot, 'result', label, result.digest ? shortDigest(result.digest) : result.message, buildIcon(snapshot), images),
    tooltip: [result.message, result.fix].filter(Boolean).join('\n'),
    contextValue: result.digest ? 'kanikoInfo digest' : 'kanikoInfo',
    expanded: images.length > 0,
  };
}

/** The root node of one build with all its children. */
export function buildNode(record: BuildRecord, now: number, t: Translate, hasLog: boolean): BuildNode {
  const { snapshot } = record;
  const running = isRunning(snapshot);
  const destination = snapshot.request.destinations[0] ?? basename(snapshot.request.dockerfile);
  const where = join(record.context, namespaceOf(snapshot));
  const flags = ['kanikoBuild', running ? 'running' : 'finished', snapshot.result?.digest && 'digest', podKept(snapshot) && 'pod', hasLog && 'log'].filter(Boolean).join(' ');
  const result = resultNode(snapshot, t);
  return {
    id: snapshot.id,
    buildId: snapshot.id,
    kind: 'build',
    label: imageShortName(destination),
    description: join(where, elapsed(snapshot.startedAt, snapshot.result ? lastFinish(snapshot) : undefined, now)),
    tooltip: [snapshot.request.destinations.join('\n'), snapshot.request.dockerfile, snapshot.pod && `pod ${snapshot.pod.namespace}/${snapshot.pod.name}`, snapshot.result?.message].filter(Boolean).join('\n'),
    icon: buildIcon(snapshot),
    contextValue: flags,
    children: [...PHASES.map((phase) => phaseNode(record, phase, now, t)), ...(result ? [result] : [])],
    expanded: running,
  };
}

/** Whether the cleanup policy left the finished build's pod on the cluster (so "delete pod" applies). */
function podKept(snapshot: BuildSnapshot): boolean {
  const policy = snapshot.request.cleanup?.policy ?? 'delete';
  return snapshot.pod !== undefined && (policy === 'keep' || (policy === 'keepFailed' && snapshot.result?.outcome === 'failed'));
}

function lastFinish(snapshot: BuildSnapshot): number {
  const times = PHASES.map((phase) => snapshot.phases[phase]?.finishedAt ?? 0).concat(snapshot.steps.map((step) => step.finishedAt ?? 0));
  return Math.max(snapshot.startedAt, ...times);
}
