// A throwaway PKI for the proxy pair, made with the openssl CLI at run time and never reused:
// one CA, a server certificate for proxy B and a client certificate for proxy A. ECDSA P-256
// keys, as Linkerd's and Istio's workload certificates can use, valid for one day.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.ts';

/** The name proxy A expects on proxy B's certificate (checked with verifyhost). */
export const SERVER_NAME = 'proxy-b.meshproof.test';
/** The client identity, shaped like a mesh workload identity (a SPIFFE URI SAN). */
export const CLIENT_ID = 'spiffe://meshproof.test/ns/bench/sa/load-generator';

export type Ca = { name: string; cert: string; key: string };
/** Paths of a leaf: cert, key, and `pem` (cert followed by key, the form HAProxy's `crt` reads). */
export type Leaf = { cert: string; key: string; pem: string };

const P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'];

export async function makeCa(dir: string, name: string): Promise<Ca> {
  const ca = { name, cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  await run('openssl', [
    'req',
    '-x509',
    ...P256,
    '-keyout',
    ca.key,
    '-out',
    ca.cert,
    '-subj',
    `/O=meshproof/CN=${name} (throwaway)`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return ca;
}

/** Issues a leaf signed by `ca`: a TLS server certificate for `SERVER_NAME` or a client one for `CLIENT_ID`. */
export async function issue(dir: string, ca: Ca, name: string, role: 'server' | 'client'): Promise<Leaf> {
  const leaf = {
    cert: join(dir, `${name}.crt`),
    key: join(dir, `${name}.key`),
    pem: join(dir, `${name}.pem`),
  };
  const san = role === 'server' ? `DNS:${SERVER_NAME}` : `URI:${CLIENT_ID}`;
  // openssl 3 `req -CA` signs the request in one step and keeps the -addext extensions.
  await run('openssl', [
    'req',
    '-x509',
    ...P256,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-keyout',
    leaf.key,
    '-out',
    leaf.cert,
    '-subj',
    `/O=meshproof/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'keyUsage=critical,digitalSignature',
    '-addext',
    `extendedKeyUsage=${role === 'server' ? 'serverAuth' : 'clientAuth'}`,
    '-addext',
    `subjectAltName=${san}`,
  ]);
  await writeFile(leaf.pem, `${await readFile(leaf.cert, 'utf8')}${await readFile(leaf.key, 'utf8')}`, {
    mode: 0o600,
  });
  return leaf;
}

export type Pki = { ca: Ca; server: Leaf; client: Leaf };

export async function makePki(dir: string): Promise<Pki> {
  const ca = await makeCa(dir, 'bench-ca');
  return {
    ca,
    server: await issue(dir, ca, 'proxy-b', 'server'),
    client: await issue(dir, ca, 'proxy-a', 'client'),
  };
}
