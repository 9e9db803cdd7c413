// The system tools the tests drive for real, and the exact command that installs each one.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const tools = [
  { command: 'tar', install: 'apt-get install -y tar' },
  { command: 'gzip', install: 'apt-get install -y gzip' },
  { command: 'openssl', install: 'apt-get install -y openssl' },
  { command: 'unshare', install: 'apt-get install -y util-linux' },
  { command: 'busybox', path: '/usr/bin/busybox', install: 'apt-get install -y busybox-static' },
  { command: 'buildah', install: 'apt-get install -y buildah' },
  { command: 'skopeo', install: 'apt-get install -y skopeo' },
  { command: 'umoci', install: 'apt-get install -y umoci' },
  { command: 'docker-registry', install: 'apt-get install -y docker-registry' },
  { command: 'htpasswd', install: 'apt-get install -y apache2-utils' },
  { command: 'unzip', install: 'apt-get install -y unzip' },
  { command: 'kubectl', install: 'install kubectl >= 1.30 (the machine image ships /usr/bin/kubectl; Debian\'s kubernetes-client is too old)' },
  { command: 'chromium', path: '/usr/bin/chromium', install: 'apt-get install -y chromium' },
  { path: '/usr/include/krb5.h', name: 'libkrb5-dev', install: 'apt-get install -y libkrb5-dev (code-server\'s kerberos module builds against it)' },
];

function onPath(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Returns one line per missing prerequisite: what it is and how to install it. */
export function checkPrerequisites() {
  const missing = [];
  if (process.getuid?.() !== 0) missing.push('root: the sandbox kubelet uses unshare --mount and chroot; run the tests as root (CI does)');
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) missing.push(`Node 24 (found ${process.version}): run through npm scripts, which use the node@24 dev dependency`);
  for (const tool of tools) {
    const present = tool.path ? existsSync(tool.path) : onPath(tool.command);
    if (!present) missing.push(`${tool.name ?? tool.command}: ${tool.install}`);
  }
  return missing;
}
