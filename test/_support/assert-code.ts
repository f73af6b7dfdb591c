import assert from 'node:assert/strict';
import { type ErrorCode, isPasserelleError, type PasserelleError } from '../../src/errors.ts';

/** Asserts that `fn` throws a PasserelleError with `code`; on another error the message names both. */
export function throwsCode(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (e) => {
    assert.ok(
      isPasserelleError(e, code),
      `expected ${code}, got ${String((e as { code?: string }).code)}: ${String((e as Error).message)}`,
    );
    return true;
  });
}

/** Asserts that `promise` rejects with a PasserelleError with `code`, and returns that error. */
export async function rejectsCode(promise: Promise<unknown>, code: ErrorCode): Promise<PasserelleError> {
  let caught: PasserelleError | undefined;
  await assert.rejects(promise, (e) => {
    assert.ok(
      isPasserelleError(e, code),
      `expected ${code}, got ${String((e as { code?: string }).code)}: ${String((e as Error).message ?? e)}`,
    );
    caught = e;
    return true;
  });
  return caught as PasserelleError;
}
