import { accessSync, chmodSync, constants, mkdirSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { _recorderStates } from './_trace-state.ts';
import type { CreateTraceRecorderOptions, TraceRecorder } from './trace-types.ts';

function _unwritable(dir: string, cause: unknown): PasserelleError {
  const errno = (cause as NodeJS.ErrnoException)?.code;
  return new PasserelleError('ERR_FILE_UNWRITABLE', `Cannot write traces to ${dir}`, {
    hint: 'Give --trace a directory this user can create or write to (not a file).',
    details: { path: dir, ...(typeof errno === 'string' ? { errno } : {}) },
    cause,
  });
}

/**
 * A recorder of HTTP exchanges (see TraceRecorder). Creates `dir` (mode 0700) when missing,
 * checks that it is a writable directory (ERR_FILE_UNWRITABLE otherwise), and numbers exchanges
 * after the highest number already in it, so that one directory can collect several runs.
 */
export function createTraceRecorder(options: CreateTraceRecorderOptions): TraceRecorder {
  if (typeof options?.dir !== 'string' || options.dir === '')
    throw new TypeError('createTraceRecorder: dir is required');
  const dir = resolve(options.dir);
  let next = 1;
  try {
    const created = mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined) chmodSync(dir, 0o700);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK | constants.X_OK);
    for (const name of readdirSync(dir)) {
      const m = /^(\d{4,})-/.exec(name);
      if (m !== null) next = Math.max(next, Number(m[1]) + 1);
    }
  } catch (cause) {
    throw _unwritable(dir, cause);
  }
  const recorder: TraceRecorder = Object.freeze({
    dir,
    exchanges: () => [...(_recorderStates.get(recorder)?.done ?? [])],
  });
  _recorderStates.set(recorder, {
    dir,
    clock: options.clock ?? systemClock,
    next,
    done: [],
    onExchange: options.onExchange,
  });
  return recorder;
}
