// Defaults of the build pod. The executor is the maintained kaniko fork (upstream was archived in
// June 2025), pinned to a release so builds are reproducible; both images stay settings.

/** osscontainertools/kaniko, tag verified in the project's CHANGELOG (v1.27.6, 2026-06-05). */
export const DEFAULT_EXECUTOR_IMAGE = 'ghcr.io/osscontainertools/kaniko:v1.27.6';
/** Fully qualified: CRI-O 1.34+ (OpenShift 4.21+) enforces short-name resolution and refuses `busybox:1.36`. */
export const DEFAULT_INIT_IMAGE = 'docker.io/library/busybox:1.36';
export const DEFAULT_SECRET_NAME = 'regcred';
/** The whole pod, kaniko included, must finish within this; an abandoned pod then removes itself. */
export const DEFAULT_DEADLINE_SECONDS = 1800;
/** activeDeadlineSeconds counts only from the pod's start: an unschedulable pod would wait forever without this. */
export const DEFAULT_SCHEDULE_TIMEOUT_SECONDS = 300;
/** How long kaniko-init waits for the context before giving up. */
export const DEFAULT_INIT_TIMEOUT_SECONDS = 600;
export const DEFAULT_KEEP_FAILED_MINUTES = 30;

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'kaniko-build';
export const BUILD_ID_LABEL = 'kaniko-build/build-id';
export const ANNOTATION_DOCKERFILE = 'kaniko-build/dockerfile';
export const ANNOTATION_DESTINATIONS = 'kaniko-build/destinations';
export const ANNOTATION_CONTEXT = 'kaniko-build/context';
/** ISO time after which a kept failed pod may be deleted by `cleanUpBuildPods`. */
export const ANNOTATION_KEEP_UNTIL = 'kaniko-build/keep-until';

export const CONTEXT_MOUNT = '/kaniko/build-context';
export const INIT_CONTAINER = 'kaniko-init';
export const KANIKO_CONTAINER = 'kaniko';
/** Written by kaniko-init's shell once the upload is verified; the init container then exits 0. */
export const COMPLETE_MARKER = '/tmp/complete';
/** tar's exit code, written by the upload's shell in kaniko-init. */
export const RC_FILE = '/tmp/context-rc';
/**
 * gzip level of the upload. 0 sends the plain tar, as `kubectl cp` and `docker build` (without --compress) do:
 * on a fast link gzip costs more than it saves at both ends (200 MB: packing 1.8 s plain vs 4.7 s at level 1,
 * and busybox's gunzip in the pod 2 s more). skaffold gzips at 1, which suits slow links; a plain upload that
 * crawled says so (upload-hint.ts).
 */
export const DEFAULT_COMPRESSION_LEVEL = 0;
