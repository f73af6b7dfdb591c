/**
 * A refused REST publication: the HTTP status and the StatusMessage `code` and `message` the
 * caller gets (swagger v2.1 StatusMessage); `reason` goes to the log and the journal only.
 */
export class _RestRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}
