// Human-readable sizes, durations and speeds for the tree, the status bar and the log.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatSpeed(bytes: number, ms: number): string {
  return ms <= 0 ? '' : `${formatBytes((bytes * 1000) / ms)}/s`;
}

/** `sha256:abcdef0123…` → `sha256:abcdef01` (enough to tell builds apart at a glance). */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest];
  return `${algorithm}:${hex.slice(0, 8)}`;
}

/** `registry:5000/team/myapp:1.0@sha256:…` → `myapp` (the short name shown in the status bar). */
export function imageShortName(reference: string): string {
  const withoutDigest = reference.split('@')[0];
  const lastPath = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  return lastPath.split(':')[0] || reference;
}

// CSI and OSC escape sequences; kaniko colours its level tags by default.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g;

export function stripAnsi(line: string): string {
  return line.includes('\u001b') ? line.replace(ANSI, '') : line;
}
