import { resolve } from 'node:path';
import type { DemoEvent, DemoStep, DemoStepResult } from '../demo/step.ts';
import { PasserelleError } from '../errors.ts';
import type { CommandContext } from './context.ts';
import { emit, emitFailure } from './output.ts';

export interface DemoCommandOptions {
  readonly stateDir?: string;
}

const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

function stepLines(r: DemoStepResult): string[] {
  switch (r.status) {
    case 'passed':
      return [`✓ ${r.id}  ${r.title}  (${seconds(r.ms)})`, ...r.checks.map((c) => `    · ${c}`)];
    case 'failed':
      return [
        `✗ ${r.id}  ${r.title}  (${seconds(r.ms)})`,
        `    ${r.error?.code ?? 'ERR_DEMO_STEP_FAILED'}: ${r.error?.message ?? 'failed'}`,
        ...(r.error?.hint ? [`    → ${r.error.hint}`] : []),
      ];
    case 'skipped':
      return [`- ${r.id}  ${r.title}  (skipped: depends on ${r.skippedBecause ?? 'a failed step'})`];
  }
}

/**
 * `passerelle demo`: the step-by-step report (✓/✗, timing, what was checked), printed as the
 * steps end, or the whole report as JSON with --json. Exit 1 when a step failed.
 * `steps` replaces the registered flows (tests use it).
 */
export async function demoCommand(
  ctx: CommandContext,
  opts: DemoCommandOptions,
  steps?: readonly DemoStep[],
): Promise<number> {
  const { runDemo } = await import('../demo/run.ts');
  const report = (event: DemoEvent) => {
    if (ctx.json) return;
    if (event.type === 'start')
      ctx.io.out(`Passerelle demo: ${event.steps} steps against an in-process sandbox`);
    if (event.type === 'step') ctx.io.out(stepLines(event.result).join('\n'));
    if (event.type === 'done') {
      const r = event.report;
      const tail = `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''} in ${seconds(r.ms)}`;
      ctx.io.out(r.ok ? `All steps passed: ${tail}` : `Demo FAILED: ${tail}`);
    }
  };
  const result = await runDemo({
    clock: ctx.clock,
    report,
    ...(opts.stateDir === undefined ? {} : { stateDir: resolve(ctx.cwd, opts.stateDir) }),
    ...(steps ? { steps } : {}),
  });
  if (!ctx.json) return result.ok ? 0 : 1;
  const { ok: _ok, ...summary } = result;
  if (result.ok) {
    emit(ctx.io, true, summary, () => '');
    return 0;
  }
  const failed = result.steps.filter((s) => s.status === 'failed');
  const first = failed[0]?.error;
  const error = new PasserelleError(
    'ERR_DEMO_STEP_FAILED',
    `${failed.length} demo step(s) failed: ${failed.map((s) => s.id).join(', ')}`,
    {
      ...(first?.hint === undefined ? {} : { hint: first.hint }),
      details: {
        failed: failed.map((s) => s.id),
        ...(first === undefined ? {} : { firstCode: first.code, firstMessage: first.message }),
      },
    },
  );
  return emitFailure(ctx.io, true, summary, error, () => '');
}
