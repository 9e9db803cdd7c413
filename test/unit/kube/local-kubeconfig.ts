// A kubeconfig for a plain-HTTP test server on 127.0.0.1 (context `t`, cluster `c`, user `u`).

/** `user` is the YAML of the user entry's `user:` value, indented by four spaces when it spans lines. */
export function localKubeconfig(port: number, user: string, namespace?: string): string {
  return `apiVersion: v1
kind: Config
current-context: t
clusters:
- name: c
  cluster:
    server: http://127.0.0.1:${port}
    insecure-skip-tls-verify: true
contexts:
- name: t
  context: {cluster: c, user: u${namespace ? `, namespace: ${namespace}` : ''}}
users:
- name: u
  user:${user.startsWith('\n') ? user : ` ${user}`}
`;
}
