import { PasserelleError } from '../errors.ts';

/** SFTP status codes (draft-ietf-secsh-filexfer-02 §7) by number, for messages and details. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  1: 'EOF',
  2: 'NO_SUCH_FILE',
  3: 'PERMISSION_DENIED',
  4: 'FAILURE',
  5: 'BAD_MESSAGE',
  6: 'NO_CONNECTION',
  7: 'CONNECTION_LOST',
  8: 'OP_UNSUPPORTED',
};

export const _NO_SUCH_FILE = 2;

/** The SFTP status number of an ssh2 error, if it carries one. */
export function _sftpStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Maps an error of one SFTP request: a status from the server is ERR_SFTP_REMOTE (details.status,
 * details.statusName, details.path); anything else (the channel or connection closed under the
 * request) is ERR_SFTP_CONNECT.
 */
export function _requestError(err: unknown, operation: string, path: string): PasserelleError {
  if (err instanceof PasserelleError) return err;
  const status = _sftpStatus(err);
  if (status !== undefined && status !== 6 && status !== 7) {
    const statusName = STATUS_NAMES[status] ?? 'UNKNOWN';
    return new PasserelleError('ERR_SFTP_REMOTE', `SFTP ${operation} ${path} refused: ${statusName}`, {
      details: { operation, path, status, statusName },
      cause: err,
    });
  }
  return _lostError(operation, path, err);
}

/** ERR_SFTP_CONNECT for a connection that went away during an operation. */
export function _lostError(operation: string, path: string, cause?: unknown): PasserelleError {
  return new PasserelleError('ERR_SFTP_CONNECT', `The SFTP connection was lost during ${operation} ${path}`, {
    details: { operation, path, reason: 'connection lost' },
    cause,
  });
}

/** ERR_SFTP_TIMEOUT for a request with no answer in time. */
export function _timeoutError(operation: string, path: string, ms: number): PasserelleError {
  return new PasserelleError(
    'ERR_SFTP_TIMEOUT',
    `No answer from the SFTP server to ${operation} ${path} within ${Math.round(ms / 1000)} s`,
    { details: { operation, path, timeoutSeconds: Math.round(ms / 1000) } },
  );
}

/** Maps an ssh2 client error before the session is ready (the host key refusals are decided elsewhere). */
export function _connectError(err: unknown, host: string, port: number): PasserelleError {
  if (err instanceof PasserelleError) return err;
  const e = err as { level?: string; message?: string; code?: string };
  const where = `${host}:${port}`;
  if (e.level === 'client-authentication')
    return new PasserelleError('ERR_SFTP_AUTH_FAILED', `The SFTP server ${where} refused the login`, {
      details: { host, port },
      cause: err,
    });
  if (e.level === 'client-timeout' || /timed out/i.test(e.message ?? ''))
    return new PasserelleError('ERR_SFTP_TIMEOUT', `No answer from the SFTP server ${where} in time`, {
      details: { host, port, reason: e.message ?? 'timeout' },
      cause: err,
    });
  const reason = e.code ?? e.message ?? 'unknown';
  return new PasserelleError('ERR_SFTP_CONNECT', `Cannot connect to the SFTP server ${where}: ${reason}`, {
    details: { host, port, reason },
    cause: err,
  });
}
