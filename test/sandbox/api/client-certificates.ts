// The client CA of the sandbox API server and the certificates it signs. As kube-apiserver's x509
// authenticator reads them (apiserver/pkg/authentication/request/x509/x509.go: CommonNameUserConversion),
// the subject's CN is the user name and each O is a group.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClientCertificate {
  certPem: string;
  keyPem: string;
}

export interface ClientCa {
  caPem: string;
  /** A certificate for `user` in `groups`, signed by this CA and valid for client authentication. */
  issue(user: string, groups?: readonly string[]): Promise<ClientCertificate>;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** openssl's -subj syntax: `/O=a/O=b/CN=user`, with `/` and `\` escaped in values. */
function subject(user: string, groups: readonly string[]): string {
  const escape = (value: string): string => value.replace(/[\\/]/g, (c) => `\\${c}`);
  return [...groups.map((g) => `/O=${escape(g)}`), `/CN=${escape(user)}`].join('');
}

export async function makeClientCa(dir: string): Promise<ClientCa> {
  const caFile = join(dir, 'client-ca.crt');
  const caKey = join(dir, 'client-ca.key');
  await run('openssl', ['req', '-x509', ...EC, '-keyout', caKey, '-out', caFile, '-days', '2', '-subj', '/CN=kaniko-build sandbox client CA']);
  const caPem = await readFile(caFile, 'utf8');
  return {
    caPem,
    issue: async (user, groups = []) => {
      const work = await mkdtemp(join(dir, 'client-'));
      try {
        const [key, csr, cert, ext] = ['client.key', 'client.csr', 'client.crt', 'client.ext'].map((name) => join(work, name));
        await run('openssl', ['req', '-new', ...EC, '-keyout', key, '-out', csr, '-subj', subject(user, groups)]);
        await writeFile(ext, 'extendedKeyUsage=clientAuth\n');
        await run('openssl', ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
        const [certPem, keyPem] = await Promise.all([readFile(cert, 'utf8'), readFile(key, 'utf8')]);
        return { certPem, keyPem };
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  };
}
