import { performance } from 'node:perf_hooks';
import { type ErrorCode, isPasserelleError } from '../errors.ts';
import { type DoctorCheck, ONBOARDING_STEPS, type OnboardingStep } from './types.ts';

/** A broken step found by a check: thrown inside a check, turned into its failed result. */
export class _Finding extends Error {
  readonly code: ErrorCode;
  readonly step: OnboardingStep;
  readonly remedy: string;

  constructor(code: ErrorCode, message: string, step: OnboardingStep, remedy: string) {
    super(message);
    this.code = code;
    this.step = step;
    this.remedy = remedy;
  }
}

/** What a check body returns: ok with what it found, or skipped with why. */
export type _Outcome = { readonly detail: string; readonly skipped?: boolean };

/**
 * Maps an error that is not a finding (a PasserelleError of another layer) to the check's step
 * and a remedy; default: its code, message and hint as they are.
 */
export type _ErrorMapper = (error: unknown) => _Finding;

export const _defaultMapper =
  (step: OnboardingStep): _ErrorMapper =>
  (error) =>
    isPasserelleError(error)
      ? new _Finding(error.code, error.message, step, error.hint)
      : new _Finding(
          'ERR_INTERNAL',
          `Unexpected failure: ${error instanceof Error ? error.name : 'non-error value'}`,
          step,
          'Rerun with --debug to see the cause, and report it if it persists.',
        );

/** Runs one check body, timing it; a thrown finding (or mapped error) is its failed result. */
export async function _runCheck(
  id: string,
  title: string,
  step: OnboardingStep,
  body: () => Promise<_Outcome>,
  mapError: _ErrorMapper = _defaultMapper(step),
): Promise<DoctorCheck> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const { detail, skipped } = await body();
    return { id, title, status: skipped ? 'skipped' : 'ok', durationMs: elapsed(), detail };
  } catch (error) {
    const finding = error instanceof _Finding ? error : mapError(error);
    return {
      id,
      title,
      status: 'failed',
      durationMs: elapsed(),
      code: finding.code,
      message: finding.message,
      step: finding.step,
      stepName: ONBOARDING_STEPS[finding.step],
      remedy: finding.remedy,
    };
  }
}

/** Rejects with `onTimeout()` when `promise` has not settled after `ms`. */
export function _withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
