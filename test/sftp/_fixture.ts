import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { TestContext } from 'node:test';
import { connectSftp } from '../../src/sftp/connect-sftp.ts';
import type { SftpSession } from '../../src/sftp/session.ts';
import { type Sshd, type SshKey, sshKeygen, startSshd } from '../_support/sshd.ts';

/** A running sshd with IN/ and OUT/ folders and an authorised ed25519 key. */
export interface SftpFixture {
  readonly sshd: Sshd;
  readonly key: SshKey;
  connect(overrides?: Partial<Parameters<typeof connectSftp>[0]>): Promise<SftpSession>;
}

export async function sftpFixture(t: TestContext): Promise<SftpFixture> {
  const sshd = await startSshd(t);
  mkdirSync(join(sshd.root, 'IN'));
  mkdirSync(join(sshd.root, 'OUT'));
  const key = sshKeygen(sshd.dir, 'id_ed25519');
  sshd.authorize(key.publicLine);
  const connect = async (overrides: Partial<Parameters<typeof connectSftp>[0]> = {}) => {
    const session = await connectSftp({
      host: sshd.host,
      port: sshd.port,
      username: sshd.user,
      privateKey: { file: key.path },
      hostKeys: [sshd.hostKey.fingerprint],
      timeoutSeconds: 10,
      ...overrides,
    });
    t.after(() => session.close());
    return session;
  };
  return { sshd, key, connect };
}

/** Writes `size` random bytes to `path`; resolves to their SHA-256 (hex). */
export async function randomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let left = size; left > 0; ) {
    const n = Math.min(left, 1024 * 1024);
    const chunk = randomBytes(n);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    left -= n;
  }
  out.end();
  await finished(out);
  return hash.digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
