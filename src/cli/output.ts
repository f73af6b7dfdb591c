import { PasserelleError } from '../errors.ts';

/** Where the CLI writes; injectable so commands can be tested in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Prints a command's result: JSON with --json, else the human text. */
export function emit(io: Io, json: boolean, value: unknown, human: () => string): void {
  io.out(json ? JSON.stringify(value, null, 2) : human());
}

/**
 * A failure that is not a PasserelleError is a bug or an unexpected runtime failure: ERR_INTERNAL
 * (exit 1), never a usage error. Its message may hold anything (input snippets, paths), so only
 * the error's class name is shown; --debug prints the original with its stack.
 */
function _internal(error: unknown): PasserelleError {
  const kind = error instanceof Error ? error.name : typeof error;
  return new PasserelleError('ERR_INTERNAL', `Internal error (${kind.slice(0, 40)})`, {
    hint: 'Rerun with --debug to see the cause, and report it if it persists.',
    cause: error,
  });
}

/**
 * Formats a failure as one clear line (plus a hint line), or as JSON with --json.
 * Never prints a stack trace unless --debug; never prints secrets (errors carry none).
 * Returns the exit status: 2 for usage errors, 1 for other failures (ERR_INTERNAL included).
 */
export function reportError(
  io: Io,
  error: unknown,
  { json, debug }: { json: boolean; debug: boolean },
): number {
  const perr = error instanceof PasserelleError ? error : _internal(error);
  const status = perr.isUsageError ? 2 : 1;
  if (json) {
    io.out(JSON.stringify({ ok: false, error: perr.toJSON() }, null, 2));
  } else {
    io.err(`passerelle: ${perr.code}: ${perr.message}`);
    if (perr.hint) io.err(`  → ${perr.hint}`);
  }
  if (debug) {
    io.err(String((error as Error)?.stack ?? error));
    let cause = (error as Error)?.cause;
    while (cause) {
      io.err(`caused by: ${String((cause as Error)?.stack ?? cause)}`);
      cause = (cause as Error)?.cause;
    }
  }
  return status;
}
