import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { runDemo } from '../../src/demo/run.ts';
import { stsSteps } from '../../src/demo/steps/sts.ts';
import { soaModule } from '../../src/sandbox/soa/module.ts';
import { stsModule } from '../../src/sandbox/sts/module.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';

for (const withSoa of [true, false]) {
  test(`demo flow sts: token, cached reuse (no second STS request), brokered call ${withSoa ? 'through the soa gateway' : 'verified locally'}`, async (t) => {
    const report = await runDemo({
      stateDir: tempDir(t),
      clock: new FrozenClock(TEST_NOW),
      modules: withSoa ? [soaModule(), stsModule()] : [stsModule()],
      steps: stsSteps(),
    });
    const steps = report.steps.filter((s) => s.id.startsWith('sts.'));
    assert.deepEqual(
      steps.map((s) => [s.id, s.status, s.error?.message]),
      [
        ['sts.token', 'passed', undefined],
        ['sts.cached', 'passed', undefined],
        ['sts.brokered', 'passed', undefined],
      ],
    );
    assert.ok(steps[2]!.checks.some((c) => (withSoa ? /authenticated as/ : /verified locally/).test(c)));
  });
}
