import type { SFTPWrapper } from 'ssh2';
import type { PasserelleError } from '../errors.ts';
import { _requestError, _timeoutError } from './_errors.ts';

/** What every request of a session shares: the SFTP channel, the timeout, the lost state. */
export interface _Channel {
  readonly sftp: SFTPWrapper;
  readonly timeoutMs: number;
  /** Requests in flight in a streamed transfer, and the bytes of each. */
  readonly inFlight: number;
  readonly chunkSize: number;
  /** Ends the connection after a timeout: every request still pending then fails. */
  abort(reason: PasserelleError): void;
  /** Set once the connection is gone (closed, lost, timed out). */
  readonly lost: PasserelleError | undefined;
}

type Callback<T> = (err: Error | null | undefined, value?: T) => void;

/**
 * One SFTP request as a promise: fails at once on a lost session, after `timeoutMs` with
 * ERR_SFTP_TIMEOUT (and the connection is ended), and with the mapped error of a refusal.
 */
export function _call<T>(
  channel: _Channel,
  operation: string,
  path: string,
  start: (cb: Callback<T>) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (channel.lost) return reject(channel.lost);
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      const err = _timeoutError(operation, path, channel.timeoutMs);
      channel.abort(err);
      reject(err);
    }, channel.timeoutMs);
    try {
      start((err, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(channel.lost ?? _requestError(err, operation, path));
        else resolve(value as T);
      });
    } catch (err) {
      settled = true;
      clearTimeout(timer);
      reject(channel.lost ?? _requestError(err, operation, path));
    }
  });
}
