/**
 * The conformance PSC service's TLS certificate and the names the operators' servers reach it
 * at (`serverNames`): carried by the certificate, added to the certificate of an existing state
 * directory by reissuing it from the same CA (logged), the names it had kept, nothing reissued
 * when it already has them. A TLS client that checks the host name (Node's default) accepts it
 * under the new name.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connect } from 'node:tls';
import { FrozenClock } from '../../../src/clock.ts';
import type { Logger } from '../../../src/log.ts';
import type { ServerNames } from '../../../src/sandbox/_state-pki.ts';
import { startConformancePsc } from '../../../src/sandbox/psc/conformance-psc.ts';
import { tempDir } from '../../_support/tmp.ts';

const stateDir = tempDir({ after }, 'passerelle-cpsc-names-');
// Frozen at the start: the TLS client checks the certificates against the real time, so the
// instant they are issued at must be now, not a fixed date they would one day expire after.
const clock = new FrozenClock(Date.now());

interface Logged {
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

/** Starts the service on the state directory, notes its certificates and log, runs `check`, stops it. */
async function startOnce(
  serverNames?: ServerNames,
  check?: (handshake: (servername: string) => Promise<boolean>) => Promise<void>,
) {
  const logged: Logged[] = [];
  const keep = (fields: Record<string, unknown>, msg: string) => void logged.push({ fields, msg });
  const log: Logger = { debug: keep, info: keep, warn: keep, error: keep };
  const service = await startConformancePsc({
    host: '127.0.0.1',
    port: 0,
    stateDir,
    log,
    clock,
    ...(serverNames ? { serverNames } : {}),
  });
  try {
    const server = new X509Certificate(readFileSync(join(stateDir, 'pki', 'server.crt')));
    const ca = new X509Certificate(service.caPem);
    const handshake = (servername: string) =>
      new Promise<boolean>((resolve, reject) => {
        const socket = connect({
          host: '127.0.0.1',
          port: Number(new URL(service.origin).port),
          servername,
          ca: service.caPem,
        });
        socket.once('secureConnect', () => {
          resolve(socket.authorized);
          socket.end();
        });
        socket.once('error', reject);
      });
    await check?.(handshake);
    return { server, ca, logged };
  } finally {
    await service.close();
  }
}

const reissued = (logged: readonly Logged[]) =>
  logged.filter((l) => /server certificate lacks a name/.test(l.msg));

test('serverNames: carried by the certificate, added to an existing one from the same CA, old names kept, no reissue when present', async () => {
  const first = await startOnce();
  assert.ok(first.server.checkHost('localhost'));
  assert.ok(first.server.checkIP('127.0.0.1'));
  assert.equal(first.server.checkHost('conformance.example.test'), undefined);
  assert.equal(reissued(first.logged).length, 0);

  // The state directory's certificate lacks the names: reissued, the CA kept, logged.
  const named = await startOnce({ dnsNames: ['conformance.example.test'], ipAddresses: ['192.0.2.10'] });
  assert.equal(named.ca.fingerprint256, first.ca.fingerprint256, 'the CA is kept');
  assert.notEqual(named.server.fingerprint256, first.server.fingerprint256);
  assert.ok(named.server.checkIssued(named.ca));
  assert.equal(
    named.server.checkHost('conformance.example.test', { subject: 'never' }),
    'conformance.example.test',
  );
  assert.equal(named.server.checkIP('192.0.2.10'), '192.0.2.10');
  assert.ok(named.server.checkHost('localhost') && named.server.checkIP('127.0.0.1'), 'loopback names kept');
  const [line, ...more] = reissued(named.logged);
  assert.equal(more.length, 0);
  assert.deepEqual(line?.fields['missing'], ['conformance.example.test', '192.0.2.10']);

  // Another name later: added, the earlier ones stay (a client configured with them keeps working).
  const other = await startOnce({ dnsNames: ['other.example.test'] });
  assert.equal(other.ca.fingerprint256, first.ca.fingerprint256);
  for (const name of ['other.example.test', 'conformance.example.test', 'localhost'])
    assert.ok(other.server.checkHost(name, { subject: 'never' }), name);
  assert.ok(other.server.checkIP('192.0.2.10'));

  // Names it already has: the same certificate, nothing reissued.
  const again = await startOnce({ dnsNames: ['conformance.example.test'], ipAddresses: ['192.0.2.10'] });
  assert.equal(again.server.fingerprint256, other.server.fingerprint256);
  assert.equal(reissued(again.logged).length, 0);
});

test('a TLS client that checks the host name accepts the service under a name of serverNames', async () => {
  await startOnce({ dnsNames: ['psc.conformance.test'] }, async (handshake) => {
    assert.equal(await handshake('psc.conformance.test'), true);
    await assert.rejects(handshake('not-named.conformance.test'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});
