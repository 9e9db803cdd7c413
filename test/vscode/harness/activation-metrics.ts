// What the activation probe measures inside the extension host and hands to the Node side (test runner, benchmark).

export const extensionId = 'kaniko-build.kaniko-build';

export interface ActivationMetrics {
  /** From the probe's activate() call to the returned API: loading the code, VS Code's own set-up, activate(). */
  activationMs: number;
  /** Total size of the extension's own files that activation required. */
  loadedKb: number;
  loadedFiles: string[];
}
