import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContext } from '../../src/cli/context.ts';
import { demoCommand } from '../../src/cli/demo-impl.ts';
import { main } from '../../src/cli/main.ts';
import { PasserelleError } from '../../src/errors.ts';
import { captureIo } from '../_support/tmp.ts';

test('passerelle demo --json runs green and exits 0', async () => {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', 'demo', '--json'], {
    io: cap.io,
    env: {},
    cwd: '/nonexistent-dir',
  });
  assert.equal(status, 0, cap.stdout + cap.stderr);
  const report = JSON.parse(cap.stdout);
  assert.equal(report.ok, true);
  assert.ok(report.steps.some((s: { id: string }) => s.id === 'pki.p12'));
});

test('a deliberately failing step: ✗ with the code and hint, dependents skipped, exit 1', async () => {
  const cap = captureIo();
  const ctx = createContext(cap.io, {}, { processEnv: {} });
  const status = await demoCommand(ctx, {}, [
    { id: 'x.ok', title: 'passes', run: async () => ({ checks: ['one thing'] }) },
    {
      id: 'x.fail',
      title: 'fails on purpose',
      run: async () =>
        Promise.reject(
          new PasserelleError('ERR_WSS_UNTRUSTED_SIGNER', 'signer not trusted', { hint: 'add its CA' }),
        ),
    },
    {
      id: 'x.after',
      title: 'needs the failed one',
      dependsOn: ['x.fail'],
      run: async () => ({ checks: [] }),
    },
  ]);
  assert.equal(status, 1);
  assert.match(cap.stdout, /^✓ sandbox /m);
  assert.match(cap.stdout, /^✓ x\.ok {2}passes {2}\(\d+ ms\)\n {4}· one thing$/m);
  assert.match(
    cap.stdout,
    /^✗ x\.fail {2}fails on purpose .*\n {4}ERR_WSS_UNTRUSTED_SIGNER: signer not trusted\n {4}→ add its CA$/m,
  );
  assert.match(cap.stdout, /^- x\.after .*skipped: depends on x\.fail/m);
  assert.match(cap.stdout, /Demo FAILED: 2 passed, 1 failed, 1 skipped/);
});

test('a failing demo with --json: { ok: false, steps, ..., error: ERR_DEMO_STEP_FAILED naming the steps }', async () => {
  const cap = captureIo();
  const ctx = createContext(cap.io, { json: true }, { processEnv: {} });
  const status = await demoCommand(ctx, {}, [
    {
      id: 'x.fail',
      title: 'fails on purpose',
      run: async () =>
        Promise.reject(new PasserelleError('ERR_WSS_REPLAY', 'seen before', { hint: 'sign anew' })),
    },
  ]);
  assert.equal(status, 1);
  const out = JSON.parse(cap.stdout);
  assert.equal(out.ok, false);
  assert.equal(out.failed, 1);
  assert.ok(
    out.steps.some((s: { id: string; status: string }) => s.id === 'x.fail' && s.status === 'failed'),
  );
  assert.deepEqual(out.error, {
    code: 'ERR_DEMO_STEP_FAILED',
    message: '1 demo step(s) failed: x.fail',
    hint: 'sign anew',
    details: { failed: ['x.fail'], firstCode: 'ERR_WSS_REPLAY', firstMessage: 'seen before' },
  });
});
