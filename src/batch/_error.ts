import { isPasserelleError } from '../errors.ts';
import type { BatchError } from './types.ts';

/** A caught failure as a run stores it: code, message, safe details (never a cause or stack). */
export function _batchError(error: unknown, extra: Record<string, string | number> = {}): BatchError {
  if (isPasserelleError(error))
    return { code: error.code, message: error.message, details: { ...error.details, ...extra } };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'ERR_INTERNAL', message, details: extra };
}
