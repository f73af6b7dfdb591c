import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runPeer } from '../_support/peers.ts';

/** Runs openssl and fails the test with its output when it fails; returns stdout + stderr. */
export function openssl(...args: string[]): string {
  const r = runPeer('openssl', args);
  assert.equal(r.status, 0, `openssl ${args.join(' ')}\n${r.stdout}${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

export interface OpensslFixture {
  readonly key: string;
  readonly cert: string;
  readonly caCert: string;
  readonly subject: string;
}

/**
 * Makes, with openssl only, a CA and a leaf (RSA 2048 or EC P-256) in `dir`, named `name`:
 * name.key (PKCS#8 PEM), name.crt, ca.crt. `digest` signs the leaf (sha256, or sha1 for the
 * weak-signature test).
 */
export function opensslLeaf(
  dir: string,
  name: string,
  kind: 'rsa' | 'ec',
  { digest = 'sha256', days = 365, bits = 2048, subject = `/C=BE/O=Peer/CN=${name}` } = {},
): OpensslFixture {
  const caKey = join(dir, 'ca-peer.key');
  const caCert = join(dir, 'ca-peer.crt');
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    caCert,
    '-subj',
    '/C=BE/O=Peer/CN=Peer CA',
    '-days',
    '30',
    '-sha256',
  );
  const key = join(dir, `${name}.key`);
  const keyArgs =
    kind === 'rsa' ? ['-newkey', `rsa:${bits}`] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const csr = join(dir, `${name}.csr`);
  openssl('req', '-new', ...keyArgs, '-nodes', '-keyout', key, '-out', csr, '-subj', subject);
  const cert = join(dir, `${name}.crt`);
  openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caCert,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    String(days),
    `-${digest}`,
  );
  return { key, cert, caCert, subject };
}

/** openssl pkcs12 -export (modern by default, or -legacy) of a fixture, with the CA in the chain. */
export function opensslP12(
  dir: string,
  f: OpensslFixture,
  name: string,
  password: string,
  legacy: boolean,
): string {
  const out = join(dir, `${name}.p12`);
  openssl(
    'pkcs12',
    '-export',
    ...(legacy ? ['-legacy'] : []),
    '-inkey',
    f.key,
    '-in',
    f.cert,
    '-certfile',
    f.caCert,
    '-name',
    name,
    '-out',
    out,
    '-passout',
    `pass:${password}`,
  );
  return out;
}
