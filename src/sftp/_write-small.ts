import { _call } from './_request.ts';
import type { _SftpConnection } from './_session.ts';

/** Writes a small buffer (an FS file) to a new or truncated remote file, in one or a few requests. */
export async function _writeSmall(session: _SftpConnection, path: string, data: Buffer): Promise<void> {
  const { sftp } = session;
  const handle = await _call<Buffer>(session, 'open', path, (cb) => sftp.open(path, 'w', cb));
  try {
    for (let off = 0; off < data.length; off += session.chunkSize) {
      const n = Math.min(session.chunkSize, data.length - off);
      await _call<void>(session, 'write', path, (cb) =>
        sftp.write(handle, data, off, n, off, (err) => cb(err)),
      );
    }
  } finally {
    await _call<void>(session, 'close', path, (cb) => sftp.close(handle, cb));
  }
}
