/**
 * Certificates and keys of the local clusters, made once per state folder with the openssl command
 * line (X.509 issuing is not in node:crypto) and kept, so kubeconfigs stay valid across restarts.
 * One local CA signs everything; each cluster has its own serving certificate and its own
 * service-account signing key, as separate clusters do. Client identities are shared: the admin
 * (system:masters), and the controller manager and scheduler, which also run as system:masters
 * because they use their own credentials for every controller.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KeyPair {
  cert: string;
  key: string;
}

export interface ClusterPki {
  caCert: string;
  serving: KeyPair;
  admin: KeyPair;
  controllerManager: KeyPair;
  scheduler: KeyPair;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

const days = '3650';
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT')
      throw new Error("'openssl' is not installed; install it (apt-get install openssl)");
    throw new Error(`openssl ${args[0]} failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
}

async function certificateAuthority(dir: string): Promise<KeyPair> {
  const pair = { cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
  if (existsSync(pair.cert)) return pair;
  // prettier-ignore
  await openssl([
    'req', '-x509', '-new', ...ecKey, '-keyout', pair.key, '-out', pair.cert, '-days', days,
    '-subj', '/CN=lp-infra-local-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return pair;
}

async function issue(
  ca: KeyPair,
  dir: string,
  name: string,
  subject: string,
  extensions: string[],
): Promise<KeyPair> {
  const pair = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  if (existsSync(pair.cert)) return pair;
  const request = path.join(dir, `${name}.csr`);
  const extensionFile = path.join(dir, `${name}.ext`);
  writeFileSync(extensionFile, ['basicConstraints=CA:FALSE', ...extensions].join('\n') + '\n');
  await openssl(['req', '-new', ...ecKey, '-keyout', pair.key, '-out', request, '-subj', subject]);
  // prettier-ignore
  await openssl([
    'x509', '-req', '-in', request, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial',
    '-out', pair.cert, '-days', days, '-extfile', extensionFile,
  ]);
  return pair;
}

const client = (extensions: string[] = []) => [
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=clientAuth',
  ...extensions,
];

function serviceAccountKeys(dir: string): { key: string; publicKey: string } {
  const files = {
    key: path.join(dir, 'service-account.key'),
    publicKey: path.join(dir, 'service-account.pub'),
  };
  if (!existsSync(files.key)) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(files.key, privateKey, { mode: 0o600 });
    writeFileSync(files.publicKey, publicKey);
  }
  return files;
}

/** The PKI of each named cluster under dir (made where missing). Paths, not contents. */
export async function ensurePki(dir: string, clusters: string[]): Promise<Record<string, ClusterPki>> {
  mkdirSync(dir, { recursive: true });
  const ca = await certificateAuthority(dir);
  const admin = await issue(ca, dir, 'admin', '/O=system:masters/CN=lp-infra-admin', client());
  const controllerManager = await issue(
    ca,
    dir,
    'kube-controller-manager',
    '/O=system:masters/CN=system:kube-controller-manager',
    client(),
  );
  const scheduler = await issue(
    ca,
    dir,
    'kube-scheduler',
    '/O=system:masters/CN=system:kube-scheduler',
    client(),
  );
  const result: Record<string, ClusterPki> = {};
  for (const cluster of clusters) {
    const clusterDir = path.join(dir, cluster);
    mkdirSync(clusterDir, { recursive: true });
    const serving = await issue(ca, clusterDir, 'kube-apiserver', '/CN=kube-apiserver', [
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
        'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
    ]);
    const sa = serviceAccountKeys(clusterDir);
    result[cluster] = {
      caCert: ca.cert,
      serving,
      admin,
      controllerManager,
      scheduler,
      serviceAccountKey: sa.key,
      serviceAccountPublicKey: sa.publicKey,
    };
  }
  return result;
}

/** A kubeconfig with everything embedded, so the file alone is enough to connect. */
export function kubeconfigDocument(clusterName: string, server: string, caCert: string, user: KeyPair) {
  const data = (file: string) => readFileSync(file).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server, 'certificate-authority-data': data(caCert) } }],
    users: [
      {
        name: clusterName,
        user: { 'client-certificate-data': data(user.cert), 'client-key-data': data(user.key) },
      },
    ],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    'current-context': clusterName,
  };
}
