import { PasserelleError } from '../errors.ts';

/**
 * Fails the current demo step with ERR_DEMO_STEP_FAILED unless `condition` holds; `what` is
 * the check as a sentence ("the certificate chains to the dev CA") and appears in the report.
 */
export function demoExpect(
  condition: unknown,
  what: string,
  details?: Record<string, string | number | boolean>,
): asserts condition {
  if (!condition)
    throw new PasserelleError('ERR_DEMO_STEP_FAILED', `Check failed: ${what}`, details ? { details } : {});
}
