// The checks kubectl makes before it sends anything (clientcmd's validation.go: validateClusterInfo,
// validateAuthInfo; client-go's transport.New for a CA with insecure-skip-tls-verify), with our fixes.
import { accessSync, constants } from 'node:fs';
import { KubeconfigError } from './errors.ts';
import type { ClusterEntry, UserEntry } from './kubeconfig-file.ts';

const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'];

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function checkCluster(context: string, cluster: ClusterEntry): void {
  const fail = (message: string, fix: string): never => {
    throw new KubeconfigError(`The cluster "${cluster.name}" of the kube context "${context}" ${message}`, fix);
  };
  if (!cluster.server) fail('has no server address.', `kubectl config set-cluster ${cluster.name} --server=https://<api-server>:6443`);
  if (cluster.certificateAuthority && cluster.certificateAuthorityData) {
    fail('sets both certificate-authority-data and certificate-authority; kubectl refuses that.', 'Keep one of them in the cluster entry (the -data one is self-contained).');
  }
  if (cluster.certificateAuthority && !readable(cluster.certificateAuthority)) {
    fail(`names the certificate-authority file ${cluster.certificateAuthority}, which cannot be read.`, 'Restore that file, or point certificate-authority (relative paths start at the kubeconfig\'s folder) at the cluster\'s CA.');
  }
  // transport.New: "specifying a root certificates file with the insecure flag is not allowed".
  if (cluster.insecureSkipTlsVerify && (cluster.certificateAuthority || cluster.certificateAuthorityData)) {
    fail('sets both insecure-skip-tls-verify and a certificate-authority; kubectl refuses that pair.', 'Remove insecure-skip-tls-verify from that cluster: with its certificate-authority the connection is verified.');
  }
}

/** The credential sources a user names; client-go allows one of token and username/password. */
function checkUser(context: string, user: UserEntry): void {
  const fail = (message: string, fix: string): never => {
    throw new KubeconfigError(`The user "${user.name}" of the kube context "${context}" ${message}`, fix);
  };
  if (user.token && (user.username || user.password)) fail('has both a token and a username/password; kubectl allows only one.', 'Remove one of them from the user entry.');
  for (const [file, data] of [['client-certificate', user.clientCertificate && user.clientCertificateData], ['client-key', user.clientKey && user.clientKeyData]] as const) {
    if (data) fail(`sets both ${file}-data and ${file}; kubectl refuses that.`, `Keep one of them in the user entry (the -data one is self-contained).`);
  }
  if ((user.clientCertificate || user.clientCertificateData) && !user.clientKey && !user.clientKeyData) {
    fail('has a client certificate but no client-key or client-key-data.', 'Add the certificate\'s private key (client-key or client-key-data) to the user entry.');
  }
  // A token file is read when a request is made: with a token beside it, an unreadable one falls back to the token.
  const files = [['client-certificate', user.clientCertificate], ['client-key', user.clientKey], ['tokenFile', user.token ? undefined : user.tokenFile]] as const;
  for (const [field, path] of files) {
    if (path && !readable(path)) fail(`names the ${field === 'tokenFile' ? 'token file' : `${field} file`} ${path}, which cannot be read.`, `Restore that file, or correct ${field} (relative paths start at the kubeconfig's folder).`);
  }
  if ((user.impersonateGroups?.length || user.impersonateUid || user.impersonateUserExtra) && !user.impersonate) {
    fail('asks for as-groups, as-uid or as-user-extra without impersonating a user (as).', 'Add `as: <user>` to the user entry, or remove as-groups.');
  }
  const exec = user.exec;
  if (!exec) return;
  if (user.authProvider) fail('has both an exec plugin and an auth-provider; kubectl allows only one.', 'Remove one of them from the user entry.');
  if (!exec.command) fail('has an exec plugin without a command.', 'Set exec.command to the credential plugin, e.g. the cloud CLI that wrote this kubeconfig.');
  if (!exec.apiVersion) fail('has an exec plugin without apiVersion.', 'Set exec.apiVersion, e.g. client.authentication.k8s.io/v1.');
  // v1 requires interactiveMode; v1beta1 defaults it to IfAvailable (clientcmd/api/v1/defaults.go).
  if (!exec.interactiveMode && !/\/v1beta1$|\/v1alpha1$/.test(exec.apiVersion ?? '')) {
    fail('has an exec plugin without interactiveMode, which client.authentication.k8s.io/v1 requires.', 'Add `interactiveMode: Never` (or IfAvailable) to the exec section, as current cloud CLIs write it.');
  }
  if (exec.interactiveMode && !INTERACTIVE_MODES.includes(exec.interactiveMode)) fail(`has an exec plugin with the unknown interactiveMode "${exec.interactiveMode}".`, 'Use Never, IfAvailable or Always.');
  if (exec.env?.some((e) => !e.name)) fail('has an exec plugin env entry without a name.', 'Give every exec.env entry a name.');
}

export function validateConnection(context: string, cluster: ClusterEntry, user: UserEntry): void {
  checkCluster(context, cluster);
  checkUser(context, user);
}
