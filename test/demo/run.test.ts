import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { demoExpect } from '../../src/demo/_expect.ts';
import { runDemo } from '../../src/demo/run.ts';
import type { DemoEvent, DemoStep } from '../../src/demo/step.ts';
import { PasserelleError } from '../../src/errors.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';

const dir = tempDir({ after }, 'passerelle-demo-test-');

test('the registered demo runs green in-process and removes its throw-away state', async () => {
  const events: DemoEvent[] = [];
  let stateDir = '';
  const report = await runDemo({
    report: (e) => events.push(e),
    steps: [
      {
        id: 'probe.state',
        title: 'remember the state dir',
        run: async (ctx) => {
          stateDir = ctx.sandbox.stateDir;
          return { checks: [] };
        },
      },
      ...(await import('../../src/demo/steps/index.ts')).defaultSteps(),
    ],
  });
  assert.equal(report.ok, true, JSON.stringify(report.steps.filter((s) => s.status !== 'passed')));
  assert.deepEqual(report.steps.map((s) => s.id).slice(0, 6), [
    'sandbox',
    'probe.state',
    'pki.csr',
    'pki.issue',
    'pki.check',
    'pki.p12',
  ]);
  for (const s of report.steps) {
    assert.equal(s.status, 'passed');
    assert.ok(s.ms >= 0);
  }
  assert.ok(
    report.steps.find((s) => s.id === 'pki.issue')?.checks.some((c) => /chains to the sandbox CA/.test(c)),
  );
  assert.ok(
    report.steps.find((s) => s.id === 'pki.check')?.checks.some((c) => /follows the ebox profile/.test(c)),
  );
  assert.equal(events[0]?.type, 'start');
  assert.equal(events.at(-1)?.type, 'done');
  assert.equal(events.filter((e) => e.type === 'step').length, report.steps.length);
  assert.ok(stateDir.length > 0 && !existsSync(stateDir), 'throw-away state dir removed');
});

const ok = (id: string, dependsOn?: string[]): DemoStep => ({
  id,
  title: `step ${id}`,
  ...(dependsOn ? { dependsOn } : {}),
  run: async () => ({ checks: [`${id} checked`] }),
});

test('a failing step fails the run with its code; dependents are skipped, the others still run', async () => {
  const stateDir = join(dir, 'kept');
  const report = await runDemo({
    clock: new FrozenClock(TEST_NOW),
    stateDir,
    modules: [],
    steps: [
      ok('a'),
      {
        id: 'b',
        title: 'fails with a code',
        run: async () =>
          Promise.reject(new PasserelleError('ERR_PKI_UNTRUSTED', 'not trusted', { hint: 'trust it' })),
      },
      ok('c', ['b']),
      ok('d', ['c']),
      {
        id: 'e',
        title: 'plain check',
        run: async () => {
          demoExpect(1 + 1 === 3, 'arithmetic holds');
          return { checks: [] };
        },
      },
      { id: 'f', title: 'too slow', timeoutMs: 50, run: () => new Promise(() => {}) },
      ok('g', ['a']),
    ],
  });
  const by = Object.fromEntries(report.steps.map((s) => [s.id, s]));
  assert.equal(report.ok, false);
  assert.equal(by['b']?.status, 'failed');
  assert.deepEqual(by['b']?.error, { code: 'ERR_PKI_UNTRUSTED', message: 'not trusted', hint: 'trust it' });
  assert.equal(by['c']?.status, 'skipped');
  assert.equal(by['c']?.skippedBecause, 'b');
  assert.equal(by['d']?.status, 'skipped');
  assert.equal(by['e']?.error?.code, 'ERR_DEMO_STEP_FAILED');
  assert.match(by['e']?.error?.message ?? '', /arithmetic holds/);
  assert.equal(by['f']?.error?.code, 'ERR_DEMO_STEP_FAILED');
  assert.equal(by['g']?.status, 'passed');
  assert.deepEqual([report.passed, report.failed, report.skipped], [3, 3, 2]);
  assert.ok(existsSync(join(stateDir, 'sandbox.json')), 'a given state dir is kept');
});

test('a sandbox that cannot start fails the sandbox step and skips every flow', async () => {
  const report = await runDemo({
    stateDir: join(dir, 'broken'),
    modules: [{ name: 'broken', start: async () => Promise.reject(new Error('no')) }],
    steps: [ok('a')],
  });
  assert.equal(report.ok, false);
  assert.equal(report.steps[0]?.error?.code, 'ERR_SANDBOX_START');
  assert.equal(report.steps[1]?.status, 'skipped');
});

test('bad step lists are TypeErrors', async () => {
  await assert.rejects(runDemo({ modules: [], steps: [ok('a'), ok('a')] }), TypeError);
  await assert.rejects(runDemo({ modules: [], steps: [ok('a', ['z'])] }), TypeError);
});
