import { parseXsDateTime } from '../datetime.ts';
import { PasserelleError } from '../errors.ts';

/** Where the CLI writes; injectable so commands can be tested in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /**
   * Rewrites the one status line of a long transfer on stderr (an empty text clears it). Present
   * only when stderr is a terminal: progress is never written to a pipe, a file or a log.
   */
  progress?(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(`\r\u001b[K${text}`) } : {}),
};

/** A command's result, without the `ok` field the output contract adds. */
export type Result<T extends object> = T & { readonly ok?: never };

/**
 * Prints a command's successful result: with --json one object `{ ok: true, ...value }`, else
 * the human text.
 */
export function emit<T extends object>(io: Io, json: boolean, value: Result<T>, human: () => string): void {
  io.out(json ? JSON.stringify({ ok: true, ...value }, null, 2) : human());
}

/**
 * Prints a result that is a failure (a check with errors, an API reporting DOWN, a failed demo
 * step): with --json one object `{ ok: false, ...value, error }`, else the human text on stdout.
 * Returns the exit status, 1.
 */
export function emitFailure<T extends object>(
  io: Io,
  json: boolean,
  value: Result<T>,
  error: PasserelleError,
  human: () => string,
): number {
  io.out(json ? JSON.stringify({ ok: false, ...value, error: error.toJSON() }, null, 2) : human());
  return 1;
}

/**
 * A date-time a platform sent (`xs:dateTime`, any offset) as printed: ISO 8601 in UTC
 * (`2026-01-02T03:04:05.000Z`), like every date of the output; text that is not one is kept.
 */
export function isoTime(text: string): string;
export function isoTime(text: string | undefined): string | undefined;
export function isoTime(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const ms = parseXsDateTime(text.trim());
  return ms === undefined ? text : new Date(ms).toISOString();
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
 * Formats a failure as one clear line (plus a hint line), or as JSON with --json:
 * `{ ok: false, error: { code, message, hint, details } }`.
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
    for (const line of _humanDetails(perr)) io.err(`  ${line}`);
    io.err(`  → ${perr.hint}`);
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

/**
 * Extra lines of the human form for errors whose details matter to a reader: the problem a REST
 * API answered (its status and title are in the message; its detail and instance here, made
 * printable and bounded by the REST client).
 */
function _humanDetails(perr: PasserelleError): string[] {
  if (!perr.code.startsWith('ERR_REST_')) return [];
  const { detail, instance } = perr.details;
  return [
    ...(typeof detail === 'string' ? [`detail: ${detail}`] : []),
    ...(typeof instance === 'string' ? [`instance: ${instance}`] : []),
  ];
}
