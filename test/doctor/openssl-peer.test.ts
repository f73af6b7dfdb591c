import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, type TestContext, test } from 'node:test';
import { runDoctor } from '../../src/doctor/index.ts';
import { requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { type DoctorSandbox, startDoctorSandbox } from './_sandbox.ts';

// An independent TLS server (OpenSSL's s_server) that verifies client certificates itself and
// answers a certificate it does not trust with a TLS alert: inside the handshake in TLS 1.2,
// right after it in TLS 1.3. It serves the sandbox's server certificate, so the server side of
// TLS checks out, and trusts only a CA of its own for clients.

const s: DoctorSandbox = await startDoctorSandbox({ after });

async function opensslServer(t: TestContext, version: '-tls1_2' | '-tls1_3'): Promise<number> {
  const dir = tempDir(t, 'passerelle-doctor-openssl-');
  const key = join(dir, 'server.key');
  const cert = join(dir, 'server.crt');
  writeFileSync(key, s.sandbox.pki.server.keyPem, { mode: 0o600 });
  writeFileSync(cert, s.sandbox.pki.server.certPem);
  const clientCa = join(dir, 'client-ca.crt');
  const made = runPeer('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(dir, 'client-ca.key'),
    '-out',
    clientCa,
    '-days',
    '2',
    '-subj',
    '/CN=Another client CA',
  ]);
  assert.equal(made.status, 0, made.stderr);
  const server = spawn(
    'openssl',
    [
      's_server',
      '-accept',
      '127.0.0.1:0',
      '-cert',
      cert,
      '-key',
      key,
      '-CAfile',
      clientCa,
      '-Verify',
      '1',
      '-verify_return_error',
      version,
      '-www',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  t.after(() => server.kill());
  return new Promise<number>((resolve, reject) => {
    let out = '';
    server.once('error', reject);
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    server.once('exit', (code) => reject(new Error(`openssl s_server exited ${code}: ${out}`)));
  });
}

for (const [version, when] of [
  ['-tls1_2', 'during the handshake'],
  ['-tls1_3', 'after the handshake'],
] as const) {
  test(`openssl s_server ${version} refuses the client certificate with an alert ${when}: ERR_DOCTOR_CLIENT_CERT_REFUSED`, async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const port = await opensslServer(t, version);
    const report = await runDoctor(
      {
        ...s.environment,
        endpoints: { 'cbss.soap': { url: `https://127.0.0.1:${port}`, source: 'config' } },
      },
      { clock: s.clock, processEnv: {}, endpoints: ['cbss.soap'], timeouts: { tlsMs: 3000 } },
    );
    assert.equal(
      report.checks.find((c) => c.id === `tls:127.0.0.1:${port}`)?.status,
      'ok',
      JSON.stringify(report.failed),
    );
    assert.equal(report.failed?.id, `mtls:127.0.0.1:${port}`);
    assert.equal(report.failed?.code, 'ERR_DOCTOR_CLIENT_CERT_REFUSED');
    assert.equal(report.failed?.step, 3);
    assert.match(report.failed?.message ?? '', /\(alert unknown_ca/);
  });
}
