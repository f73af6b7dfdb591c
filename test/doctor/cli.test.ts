import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createContext } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';
import { serveSandbox } from '../../src/cli/sandbox-impl.ts';
import { FrozenClock } from '../../src/clock.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { type DoctorSandbox, startDoctorSandbox } from './_sandbox.ts';

const healthy: DoctorSandbox = await startDoctorSandbox({ after });
const broken: DoctorSandbox = await startDoctorSandbox({ after }, ['port-closed']);

async function doctor(s: DoctorSandbox, ...args: string[]) {
  const cap = captureIo();
  const status = await main(
    ['node', 'passerelle', '--config', s.sandbox.configPath, '--env', 'sandbox', ...args],
    { io: cap.io, cwd: s.sandbox.stateDir, env: {}, clock: s.clock },
  );
  return { status, stdout: cap.stdout, stderr: cap.stderr };
}

test('passerelle doctor: one ✓ line per check with its duration, exit 0 when healthy', async () => {
  const { status, stdout } = await doctor(healthy, 'doctor', '--rest-api', 'demo');
  assert.equal(status, 0, stdout);
  assert.match(stdout, /^✓ REST \/demo\/health /m);
  const lines = stdout.split('\n');
  const checks = lines.slice(0, -1);
  assert.ok(checks.length >= 15);
  for (const line of checks) assert.match(line, /^✓ .+ \(\d+(\.\d)? m?s\)/);
  assert.match(lines.at(-1) ?? '', /^All \d+ checks passed on sandbox in /);
});

test('passerelle doctor: the ✗ line, the code, the onboarding step and the remedy; exit 1', async () => {
  const { status, stdout } = await doctor(broken, 'doctor');
  assert.equal(status, 1);
  assert.ok(stdout.includes(`✗ TCP ${broken.soap.hostPort} (cbss.soap)`), stdout);
  assert.match(stdout, /ERR_DOCTOR_TCP_REFUSED: /);
  assert.match(stdout, /onboarding step 1 \(network\)/);
  assert.ok(stdout.includes(`→ Nothing listens on ${broken.soap.hostPort}`), stdout);
});

test('passerelle doctor --json: the checks and the overall status; the failure as the error; the form rows of --onboarding', async () => {
  const dir = tempDir({ after }, 'passerelle-doctor-cli-');
  writeFileSync(
    join(dir, 'onboarding.json'),
    JSON.stringify({
      flows: [
        { row: 1, destination: { name: 'b2b-acpt.ksz-bcss.fgov.be', ip: '85.91.184.103', port: 4520 } },
        { row: 4, destination: { name: 'localhost', ip: broken.soap.host, port: broken.soap.port } },
      ],
    }),
  );
  const { status, stdout } = await doctor(
    broken,
    '--json',
    'doctor',
    '--onboarding',
    dir,
    '--tcp-timeout',
    '1500',
  );
  assert.equal(status, 1);
  const out = JSON.parse(stdout);
  assert.equal(out.ok, false);
  assert.equal(out.status, 'failed');
  assert.equal(out.env, 'sandbox');
  assert.equal(out.error.code, 'ERR_DOCTOR_TCP_REFUSED');
  assert.equal(out.error.details.check, `tcp:${broken.soap.hostPort}`);
  assert.equal(out.error.details.step, 1);
  assert.match(out.error.hint, /firewall form, row 4/);
  assert.equal(out.checks.at(-1).status, 'failed');
  assert.ok(out.checks.slice(0, -1).every((c: { status: string }) => c.status === 'ok'));

  const ok = JSON.parse((await doctor(healthy, '--json', 'doctor')).stdout);
  assert.equal(ok.ok, true);
  assert.equal(ok.status, 'ok');
  assert.ok(
    ok.checks.every((c: { status: string; durationMs: number }) => c.status === 'ok' && c.durationMs >= 0),
  );
});

test('passerelle doctor: the onboarding.json beside the configuration file names the form row', async () => {
  const summary = join(broken.sandbox.stateDir, 'onboarding.json');
  writeFileSync(
    summary,
    JSON.stringify({
      flows: [{ row: 7, destination: { name: 'localhost', ip: broken.soap.host, port: broken.soap.port } }],
    }),
  );
  try {
    const { status, stdout } = await doctor(broken, 'doctor');
    assert.equal(status, 1);
    assert.match(stdout, /→ Nothing listens on .*: send the firewall form, row 7\.$/m);
  } finally {
    rmSync(summary);
  }
});

test('passerelle doctor: bad --profile and timeouts are usage errors (exit 2)', async () => {
  assert.equal((await doctor(healthy, 'doctor', '--profile', 'nope')).status, 2);
  assert.equal((await doctor(healthy, 'doctor', '--tcp-timeout', '0')).status, 2);
  assert.equal((await doctor(healthy, 'doctor', '--tls-timeout', 'soon')).status, 2);
});

test('passerelle sandbox --fault: an unknown mode is a usage error; a known one is in the ready line', async () => {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', 'sandbox', '--fault', 'bogus', '--state-dir', 'x'], {
    io: cap.io,
    cwd: tempDir({ after }, 'passerelle-doctor-fault-'),
    env: {},
  });
  assert.equal(status, 2);
  assert.match(cap.stderr, /unknown mode "bogus"/);

  const ready = captureIo();
  const ctx = createContext(
    ready.io,
    { json: true },
    {
      clock: new FrozenClock(Date.now()),
      cwd: tempDir({ after }, 'passerelle-doctor-serve-'),
      processEnv: {},
    },
  );
  const controller = new AbortController();
  let soap = '';
  await serveSandbox(
    ctx,
    { stateDir: 'state', fault: ['handshake-drop', 'oauth-client-unknown'] },
    controller.signal,
    (s) => {
      soap = s.endpoints['cbss.soap'] ?? '';
      setImmediate(() => controller.abort());
    },
  );
  const line = JSON.parse(ready.stdout.split('\n')[0] ?? '');
  assert.deepEqual(line.faults, ['handshake-drop', 'oauth-client-unknown']);
  assert.equal(line.endpoints['cbss.soap'], soap);
  assert.equal(
    line.endpoints['ehealth.soa'],
    soap,
    'the gateway origin is replaced for every endpoint it serves',
  );
  const written = JSON.parse(readFileSync(line.sandboxJson, 'utf8'));
  assert.deepEqual(written.faults, ['handshake-drop', 'oauth-client-unknown']);
  assert.equal(written.clientConfig.environments.sandbox.endpoints['cbss.soap'], soap);
  assert.notEqual(written.modules.soa.endpoints['cbss.soap'], soap, 'the real gateway still runs behind');
});
