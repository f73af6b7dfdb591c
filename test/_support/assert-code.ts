import assert from 'node:assert/strict';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';

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
