// Build arguments whose names say they carry a secret. Their values reach the pod spec (kaniko's --build-arg, readable
// with `kubectl get pod -o yaml`) and can end up in the image's history: they are never remembered, and the build
// says so. The fix is a build secret (RUN --mount=type=secret), not an ARG.

const SECRET_WORDS = new Set(['TOKEN', 'PASSWORD', 'PASSWD', 'PASS', 'PWD', 'SECRET', 'SECRETS', 'KEY', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'AUTH', 'PRIVATE']);

/** `NPM_TOKEN`, `dbPassword`, `api-key` look secret; `KEYBOARD`, `MONKEY`, `PASSAGE` do not. */
export function looksSecret(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/);
  return words.some((word) => SECRET_WORDS.has(word));
}

/** The arguments without the secret-looking ones, for what is kept after the build (history). */
export function withoutSecretArgs(args: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!args) return undefined;
  return Object.fromEntries(Object.entries(args).filter(([name]) => !looksSecret(name)));
}

/** The build log's warning for secret-looking arguments (names only, never values). */
export function secretArgsWarning(args: Readonly<Record<string, string>> | undefined): string | undefined {
  const names = Object.keys(args ?? {}).filter(looksSecret);
  if (names.length === 0) return undefined;
  return `Build argument${names.length > 1 ? 's' : ''} ${names.join(', ')} look${names.length > 1 ? '' : 's'} secret: build arguments are visible in the pod spec (kubectl get pod -o yaml) and may stay in the image's history. Use a build secret (RUN --mount=type=secret) for credentials.`;
}
