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

/** Why the API server may have answered 401 to this user's credential, and what to do about it. */
function refusal(user: UserEntry): { why: string; fix: string } {
  if (user.exec) {
    // Not its args: they may hold a client secret.
    const how = `${basename(user.exec.command)} with the args of the kubeconfig's exec section`;
    return { why: 'the credential it printed was refused (expired, or meant for another cluster)', fix: `Run the plugin yourself (${how}) to see what it needs; usually: log in again with the tool it belongs to (oc login, your cloud CLI).` };
  }
  if (user.authProvider) return { why: 'its token may have expired', fix: `Log in again with the ${user.authProvider.name} provider's tool (e.g. kubectl oidc-login) to refresh its token.` };
  if (user.tokenFile) return { why: 'the token in that file may have expired or been revoked', fix: `Replace the token in ${user.tokenFile} with a valid one (for a service account: kubectl create token <account>).` };
  if (user.token) return { why: 'the token may have expired or been revoked', fix: 'Log in again (oc login / your cloud CLI) for a new token.' };
  if (user.username || user.password) return { why: 'Kubernetes removed basic authentication in 1.19', fix: 'Use a token, a client certificate or your cluster\'s login tool (oc login / your cloud CLI) instead of username/password.' };
  if (user.clientCertificate || user.clientCertificateData) return { why: 'the certificate may have expired or not be signed by a CA this cluster trusts', fix: 'Get a new client certificate from the cluster\'s administrator or login tool.' };
  return { why: 'the user entry has no credentials, so the request was anonymous', fix: 'Log in to the cluster (oc login / your cloud CLI) to add credentials to the kubeconfig.' };
}

/** The message and fix for a 401 answer: the source that was sent, never the credential. */
export function unauthorized(user: UserEntry): { message: string; fix: string } {
  const sources = credentialSources(user);
  const { why, fix } = refusal(user);
  return { message: `The cluster did not accept ${sources.length ? sources.join(' and ') : 'the request'} of the user "${user.name}" (401 Unauthorized): ${why}.`, fix };
}
