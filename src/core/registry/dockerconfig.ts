// The `.dockerconfigjson` that `kubectl/oc create secret docker-registry` writes, and the legacy
// `.dockercfg` conversion kaniko needs (it reads only the `{"auths": …}` form as config.json).

export interface RegistryCredentials {
  readonly server: string;
  readonly username: string;
  readonly password: string;
  readonly email?: string;
}

interface AuthEntry {
  username?: string;
  password?: string;
  email?: string;
  auth?: string;
  [key: string]: unknown;
}

export interface DockerConfigJson {
  auths: Record<string, AuthEntry>;
}

/** Same shape as kubectl's: username, password, optional email and the base64 `user:password` auth. */
export function buildDockerConfigJson(credentials: RegistryCredentials): DockerConfigJson {
  const entry: AuthEntry = { username: credentials.username, password: credentials.password };
  if (credentials.email) entry.email = credentials.email;
  entry.auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  return { auths: { [credentials.server]: entry } };
}

/** Accepts either format and returns the `{"auths": …}` form; throws on anything else. */
export function toDockerConfigJson(text: string): DockerConfigJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('The registry credentials are not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('The registry credentials are not a JSON object.');
  }
  const object = parsed as Record<string, unknown>;
  if ('auths' in object) {
    if (object.auths === null || typeof object.auths !== 'object') throw new Error('"auths" in the registry credentials is not an object.');
    return { auths: object.auths as Record<string, AuthEntry> };
  }
  // Legacy .dockercfg: the servers are the top-level keys.
  return { auths: object as Record<string, AuthEntry> };
}

/** The registry hosts a config has credentials for (never the credentials themselves). */
export function registriesIn(config: DockerConfigJson): string[] {
  return Object.keys(config.auths);
}
