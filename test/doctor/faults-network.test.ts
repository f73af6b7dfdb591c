import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { SandboxFault } from '../../src/sandbox/faults.ts';
import { tempDir } from '../_support/tmp.ts';
import { startDoctorSandbox } from './_sandbox.ts';

// One sandbox per fault mode; the firewall-form rows are those `onboard init` would number: the
// SOAP gateway's flow is row 2 here.

test('port-closed: the TCP check of the SOAP gateway is refused, step 1, naming host:port and the endpoint', async () => {
  const s = await startDoctorSandbox({ after }, ['port-closed']);
  const report = await s.doctor({ firewallRows: [{ row: 2, host: s.soap.host, port: s.soap.port }] });
  assert.equal(report.status, 'failed');
  assert.equal(report.failed?.id, `tcp:${s.soap.hostPort}`);
  assert.equal(report.failed?.code, 'ERR_DOCTOR_TCP_REFUSED');
  assert.equal(report.failed?.step, 1);
  assert.equal(report.failed?.stepName, 'network');
  assert.ok(report.failed?.remedy?.includes(`Nothing listens on ${s.soap.hostPort}`), report.failed?.remedy);
  assert.match(report.failed?.remedy ?? '', /environments\.sandbox\.endpoints\["cbss\.soap"\]/);
  assert.match(report.failed?.remedy ?? '', /firewall form, row 2/);
  assert.equal(report.checks.at(-1), report.failed, 'the run stops at the first broken step');
  assert.equal(
    report.checks.some((c) => c.id.startsWith('tls:')),
    false,
  );
});

test('handshake-timeout: TCP connects, the TLS handshake times out: firewall flows, the form row named', async () => {
  const s = await startDoctorSandbox({ after }, ['handshake-timeout']);
  const report = await s.doctor({
    firewallRows: [{ row: 2, host: s.soap.host, port: s.soap.port }],
    timeouts: { tlsMs: 300 },
  });
  assert.equal(report.checks.find((c) => c.id === `tcp:${s.soap.hostPort}`)?.status, 'ok');
  assert.equal(report.failed?.id, `tls:${s.soap.hostPort}`);
  assert.equal(report.failed?.code, 'ERR_DOCTOR_TLS_TIMEOUT');
  assert.equal(report.failed?.step, 2);
  assert.match(report.failed?.message ?? '', /within 300 ms/);
  assert.ok(report.failed?.remedy?.includes(s.soap.hostPort), report.failed?.remedy);
  assert.match(report.failed?.remedy ?? '', /send the firewall form, row 2/);
});

test('handshake-drop: the connection is reset on the ClientHello: ERR_DOCTOR_TLS_DROPPED, step 2', async () => {
  const s = await startDoctorSandbox({ after }, ['handshake-drop']);
  const report = await s.doctor();
  assert.equal(report.failed?.id, `tls:${s.soap.hostPort}`);
  assert.equal(report.failed?.code, 'ERR_DOCTOR_TLS_DROPPED');
  assert.equal(report.failed?.step, 2);
  assert.ok(report.failed?.remedy?.includes(s.soap.hostPort), report.failed?.remedy);
  // Without known form rows the remedy says how to get one.
  assert.ok(report.failed?.remedy?.includes(`with a row for ${s.soap.hostPort}`), report.failed?.remedy);
});

test('an unknown fault is wrong use of startSandbox: TypeError before anything starts', async () => {
  const { startSandbox } = await import('../../src/sandbox/host.ts');
  const dir = tempDir({ after }, 'passerelle-doctor-badfault-');
  await assert.rejects(
    startSandbox({ stateDir: dir, modules: [], faults: ['port-filtered' as SandboxFault] }),
    (e: unknown) => e instanceof TypeError && /unknown fault "port-filtered"/.test(e.message),
  );
});
