import { performance } from 'node:perf_hooks';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import type { DemoStepResult } from './step.ts';

const DEFAULT_TIMEOUT_MS = 60_000;

/** Runs one step body with a timeout and turns its outcome or failure into a report line. */
export async function runStep(
  step: { readonly id: string; readonly title: string; readonly timeoutMs?: number },
  body: () => Promise<{ readonly checks: readonly string[] }>,
): Promise<DemoStepResult> {
  const started = performance.now();
  const timeoutMs = step.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PasserelleError('ERR_DEMO_STEP_FAILED', `Step did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const outcome = await Promise.race([body(), timeout]);
    return {
      id: step.id,
      title: step.title,
      status: 'passed',
      ms: performance.now() - started,
      checks: [...outcome.checks],
    };
  } catch (error) {
    const perr = isPasserelleError(error)
      ? error
      : new PasserelleError('ERR_DEMO_STEP_FAILED', error instanceof Error ? error.message : String(error), {
          cause: error,
        });
    return {
      id: step.id,
      title: step.title,
      status: 'failed',
      ms: performance.now() - started,
      checks: [],
      error: { code: perr.code, message: perr.message, hint: perr.hint },
    };
  } finally {
    clearTimeout(timer);
  }
}
