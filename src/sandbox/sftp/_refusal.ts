import ssh2 from 'ssh2';

/** The SFTP status codes the server answers with (SSH_FX_*, draft-ietf-secsh-filexfer-02). */
export type _StatusName =
  | 'OK'
  | 'EOF'
  | 'NO_SUCH_FILE'
  | 'PERMISSION_DENIED'
  | 'FAILURE'
  | 'BAD_MESSAGE'
  | 'OP_UNSUPPORTED';

/** The numeric SFTP status of a name. */
export const _status = (name: _StatusName): number => ssh2.utils.sftp.STATUS_CODE[name];

/**
 * Reason codes of a refused request, as the sandbox log and the `refusals.<reason>` counters
 * name them. The client only sees the SFTP status and a short message.
 */
export type _RefusalReason =
  | 'nul-byte'
  | 'path-too-long'
  | 'path-escape'
  | 'outside-area'
  | 'outside-root'
  | 'symlink'
  | 'special-file'
  | 'wrong-type'
  | 'missing-folder'
  | 'write-outside-in'
  | 'read-only-area'
  | 'quota'
  | 'handles'
  | 'bad-handle'
  | 'exists'
  | 'busy'
  | 'unsupported'
  | 'not-found';

/** A refused SFTP request: the reason logged, the status and message answered. */
export class _Refusal extends Error {
  constructor(
    readonly reason: _RefusalReason,
    readonly status: _StatusName,
    message: string,
  ) {
    super(message);
    this.name = '_Refusal';
  }
}
