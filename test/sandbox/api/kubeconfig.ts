// A kubeconfig for one sandbox user: the cluster with its CA, the user's token, a context with a namespace.
// Values are written as JSON strings, which YAML reads as they are.
export interface KubeconfigInput {
  server: string;
  caPem: string;
  user: string;
  token: string;
  namespace: string;
}

export function kubeconfigYaml({ server, caPem, user, token, namespace }: KubeconfigInput): string {
  const q = JSON.stringify;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sandbox',
    '  cluster:',
    `    server: ${q(server)}`,
    `    certificate-authority-data: ${q(Buffer.from(caPem).toString('base64'))}`,
    'users:',
    `- name: ${q(user)}`,
    '  user:',
    `    token: ${q(token)}`,
    'contexts:',
    '- name: sandbox',
    '  context:',
    '    cluster: sandbox',
    `    user: ${q(user)}`,
    `    namespace: ${q(namespace)}`,
    'current-context: sandbox',
    'preferences: {}',
    '',
  ].join('\n');
}
