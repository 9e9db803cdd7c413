// Which credential a kubeconfig user sends, and what to do when the API server refuses it. Messages name
// the source (token, token file, client certificate, exec plugin, auth provider) and never the credential.
import { basename } from 'node:path';
import type { UserEntry } from './kubeconfig-file.ts';

/** The sources in the order client-go applies them; a user may combine a token with a client certificate. */
export function credentialSources(user: UserEntry): string[] {
  const sources: string[] = [];
  if (user.exec) sources.push(`the exec credential plugin ${basename(user.exec.command)}`);
  if (user.authProvider) sources.push(`the auth provider ${user.authProvider.name}`);
  if (user.tokenFile) sources.push(`the token file ${user.tokenFile}`);
  else if (user.token) sources.push('the token in the kubeconfig');
  if (user.username || user.password) sources.push('username/password (basic authentication)');
  if (user.clientCertificate || user.clientCertificateData) sources.push(`the client certificate ${user.clientCertificate ?? 'in the kubeconfig'}`);
  return sources;
}

/** What the user can do when the API server answers 401 to this user's credentials. */
function unauthorizedFix(user: UserEntry): string {
  if (user.exec) return `Run the credential plugin yourself (${basename(user.exec.command)}${user.exec.args?.length ? ' …' : ''}) to check that it prints a valid credential, and log in again with the tool it belongs to (oc login, your cloud CLI).`;
  if (user.authProvider) return `Log in again with the ${user.authProvider.name} provider's tool (e.g. kubectl oidc-login) to refresh its token.`;
  if (user.tokenFile) return `Replace the token in ${user.tokenFile} with a valid one (for a service account: kubectl create token <account>).`;
  if (user.token) return 'The token may have expired or been revoked: log in again (oc login / your cloud CLI) for a new one.';
  if (user.username || user.password) return 'Kubernetes removed basic authentication (username/password) in 1.19: use a token, a client certificate or your cluster\'s login tool instead.';
  if (user.clientCertificate || user.clientCertificateData) return 'The client certificate may have expired or not be signed by a CA this cluster trusts: get a new one from the cluster\'s administrator or login tool.';
  return 'Log in to the cluster (oc login / your cloud CLI) to add credentials to the kubeconfig.';
}

/** The message and fix for a 401 answer. */
export function unauthorized(user: UserEntry): { message: string; fix: string } {
  const sources = credentialSources(user);
  const what = sources.length ? sources.join(' and ') : 'no credentials (the user entry has none, so the request was anonymous)';
  return { message: `The cluster did not accept ${sources.length ? what : 'the request'} of the user "${user.name}" (401 Unauthorized)${sources.length ? '' : `: it sent ${what}`}.`, fix: unauthorizedFix(user) };
}
