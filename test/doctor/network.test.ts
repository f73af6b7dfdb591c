import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { after, test } from 'node:test';
import { DEBIAN_PYTHON, requirePeer } from '../_support/peers.ts';
import { type DoctorSandbox, startDoctorSandbox } from './_sandbox.ts';

const s: DoctorSandbox = await startDoctorSandbox({ after });

/**
 * A listener that never accepts (Python's socket with a backlog of 0): once its accept queue
 * holds one connection, Linux drops further SYNs, which is how a missing firewall flow looks from
 * the client: no answer at all. Node cannot make one (it accepts as soon as it can).
 */
async function silentPort(t: { after: (fn: () => void) => void }): Promise<number> {
  const py = spawn(
    DEBIAN_PYTHON,
    [
      '-c',
      "import socket, sys\ns = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)\nprint(s.getsockname()[1], flush=True)\nsys.stdin.read()",
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  t.after(() => py.kill());
  const port = await new Promise<number>((resolve, reject) => {
    py.once('error', reject);
    py.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  const filler = new Socket();
  t.after(() => filler.destroy());
  await new Promise<void>((resolve, reject) => {
    filler.once('connect', resolve).once('error', reject);
    filler.connect(port, '127.0.0.1');
  });
  return port;
}

test('no answer to the TCP connection: ERR_DOCTOR_TCP_TIMEOUT, the firewall flow and its form row named', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const port = await silentPort(t);
  const environment = {
    ...s.environment,
    endpoints: { 'cbss.soap': { url: `https://127.0.0.1:${port}`, source: 'config' as const } },
  };
  const { runDoctor } = await import('../../src/doctor/index.ts');
  const report = await runDoctor(environment, {
    clock: s.clock,
    processEnv: {},
    endpoints: ['cbss.soap'],
    firewallRows: [{ row: 2, host: '127.0.0.1', port }],
    timeouts: { tcpMs: 400 },
  });
  assert.equal(report.failed?.id, `tcp:127.0.0.1:${port}`);
  assert.equal(report.failed?.code, 'ERR_DOCTOR_TCP_TIMEOUT');
  assert.equal(report.failed?.step, 2);
  assert.equal(report.failed?.stepName, 'firewall flows');
  assert.equal(report.failed?.message, `No answer from 127.0.0.1:${port} within 400 ms`);
  assert.equal(
    report.failed?.remedy,
    `The flow to 127.0.0.1:${port} is not open: send the firewall form, row 2.`,
  );
});

test('a host name that does not resolve (.invalid, RFC 6761): ERR_DOCTOR_DNS, step 1, before any connection', async () => {
  const { runDoctor } = await import('../../src/doctor/index.ts');
  const environment = {
    ...s.environment,
    endpoints: { 'cbss.soap': { url: 'https://b2b.doctor-test.invalid:4520', source: 'config' as const } },
  };
  const report = await runDoctor(environment, {
    clock: s.clock,
    processEnv: {},
    endpoints: ['cbss.soap'],
    timeouts: { dnsMs: 2000 },
  });
  assert.equal(report.failed?.id, 'dns:b2b.doctor-test.invalid');
  assert.equal(report.failed?.code, 'ERR_DOCTOR_DNS');
  assert.equal(report.failed?.step, 1);
  assert.match(report.failed?.remedy ?? '', /DNS resolvers/);
  assert.equal(
    report.checks.some((c) => c.id.startsWith('tcp:')),
    false,
  );
});
