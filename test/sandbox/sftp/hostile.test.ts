/**
 * Hostile input against the sandbox SFTP server, driven by ssh2's client: each attempt is
 * answered with its SFTP status (2 NO_SUCH_FILE, 3 PERMISSION_DENIED, 4 FAILURE), logged with
 * the account, the path and a reason code, and the server keeps serving.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import ssh2 from 'ssh2';
import { generateEd25519 } from '../../../src/sandbox/_state-ssh.ts';
import { assertRefusalLogged, call, connect, put, rejectsStatus, startSftp } from './_sftp.ts';

const s = await startSftp({ after }, { quotaBytes: 100_000 });
const { sftp } = await connect(s, { after });
const DENIED = 3;
const FAILURE = 4;

let alive = 0;
const stillServes = async () => {
  alive += 1;
  await put(sftp, `/IN/alive-${alive}`, 'ok');
  assert.equal((await call<Buffer>((cb) => sftp.readFile(`/IN/alive-${alive}`, cb))).toString(), 'ok');
  await call((cb) => sftp.unlink(`/IN/alive-${alive}`, cb));
};

test('../ traversal: read, write, stat, opendir, rename → PERMISSION_DENIED, path-escape', async () => {
  await rejectsStatus(
    call((cb) => sftp.readFile('../../../etc/passwd', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.readFile('/IN/../../etc/passwd', cb)),
    DENIED,
  );
  await rejectsStatus(put(sftp, 'IN/../../escape.txt', 'x'), DENIED);
  await rejectsStatus(
    call((cb) => sftp.stat('..', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.readdir('/..', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.realpath('/IN/../..', cb)),
    DENIED,
  );
  assertRefusalLogged(s, 'path-escape', '../../../etc/passwd');
  await stillServes();
});

test('absolute paths outside the root (/etc/passwd, /tmp) → PERMISSION_DENIED, outside-area', async () => {
  await rejectsStatus(
    call((cb) => sftp.readFile('/etc/passwd', cb)),
    DENIED,
  );
  await rejectsStatus(put(sftp, '/tmp/x', 'x'), DENIED);
  await rejectsStatus(
    call((cb) => sftp.readdir('/etc', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.readFile(join(s.root, 'IN', 'a'), cb)),
    DENIED,
  );
  assertRefusalLogged(s, 'outside-area', '/etc/passwd');
  await stillServes();
});

test('a NUL byte or an overlong path → PERMISSION_DENIED', async () => {
  await rejectsStatus(
    call((cb) => sftp.stat('/IN/a\0b', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.stat(`/IN/${'a'.repeat(2000)}`, cb)),
    DENIED,
  );
  assertRefusalLogged(s, 'nul-byte');
  assertRefusalLogged(s, 'path-too-long');
  await stillServes();
});

test('symlink creation and readlink → PERMISSION_DENIED, symlink', async () => {
  await rejectsStatus(
    call((cb) => sftp.symlink('/etc/passwd', '/IN/link', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.readlink('/IN/link', cb)),
    DENIED,
  );
  assertRefusalLogged(s, 'symlink', '/IN/link');
  await stillServes();
});

test('a symlink planted inside the root pointing outside is never followed', async () => {
  symlinkSync('/etc/passwd', join(s.root, 'IN', 'planted'));
  await rejectsStatus(
    call((cb) => sftp.readFile('/IN/planted', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.stat('/IN/planted', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.lstat('/IN/planted', cb)),
    DENIED,
  );
  await rejectsStatus(put(sftp, '/IN/planted', 'overwrite'), DENIED);
  await rejectsStatus(
    call((cb) => sftp.rename('/IN/planted', '/IN/renamed', cb)),
    DENIED,
  );
  assertRefusalLogged(s, 'symlink', '/IN/planted');
  await stillServes();
});

test('a FIFO planted inside IN/ → PERMISSION_DENIED, special-file (no hang)', async () => {
  execFileSync('mkfifo', [join(s.root, 'IN', 'fifo')]);
  await rejectsStatus(
    call((cb) => sftp.readFile('/IN/fifo', cb)),
    DENIED,
  );
  await rejectsStatus(put(sftp, '/IN/fifo', 'x'), DENIED);
  await rejectsStatus(
    call((cb) => sftp.stat('/IN/fifo', cb)),
    DENIED,
  );
  assertRefusalLogged(s, 'special-file', '/IN/fifo');
  await stillServes();
});

test('writing outside IN/: OUT/, the root, rename into OUT/, mkdir, setstat on OUT/ → PERMISSION_DENIED', async () => {
  await rejectsStatus(put(sftp, '/OUT/forged-reply', 'x'), DENIED);
  await rejectsStatus(put(sftp, '/new-file', 'x'), DENIED);
  await put(sftp, '/IN/move-me', 'x');
  await rejectsStatus(
    call((cb) => sftp.rename('/IN/move-me', '/OUT/move-me', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.mkdir('/IN/sub', cb)),
    DENIED,
  );
  await rejectsStatus(
    call((cb) => sftp.rmdir('/IN', cb)),
    DENIED,
  );
  writeFileSync(join(s.root, 'OUT', 'reply'), 'r');
  await rejectsStatus(
    call((cb) => sftp.setstat('/OUT/reply', { mode: 0o777 }, cb)),
    DENIED,
  );
  assertRefusalLogged(s, 'write-outside-in', '/OUT/forged-reply');
  await call((cb) => sftp.unlink('/OUT/reply', cb)); // the partner may remove a reply
  await call((cb) => sftp.unlink('/IN/move-me', cb));
  await stillServes();
});

test('quota: a write past quotaBytes → FAILURE "quota exceeded"; the server keeps serving', async () => {
  await put(sftp, '/IN/first', Buffer.alloc(60_000));
  await rejectsStatus(put(sftp, '/IN/second', Buffer.alloc(60_000)), FAILURE, /quota exceeded/);
  assertRefusalLogged(s, 'quota', '/IN/second');
  await call((cb) => sftp.unlink('/IN/first', cb));
  await call((cb) => sftp.unlink('/IN/second', cb));
  await put(sftp, '/IN/third', Buffer.alloc(60_000)); // room again once IN/ is emptied
  await call((cb) => sftp.unlink('/IN/third', cb));
  await stillServes();
});

test('a wrong key is refused and logged with its fingerprint, never the key', async (t) => {
  const privateKey = generateEd25519('other');
  const parsed = ssh2.utils.parseKey(privateKey);
  assert.ok(!(parsed instanceof Error) && !Array.isArray(parsed));
  const other = { public: `ssh-ed25519 ${parsed.getPublicSSH().toString('base64')}` };
  await assert.rejects(connect(s, t, { privateKey }), /authentication methods failed/);
  const entry = s.log.entries.find((e) => e.fields['reason'] === 'auth-key');
  assert.ok(entry);
  assert.equal(entry.fields['account'], 'partner');
  assert.match(String(entry.fields['fingerprint']), /^SHA256:/);
  const blob = other.public.split(' ')[1]!;
  assert.ok(!JSON.stringify(s.log.entries).includes(blob), 'the public key itself is in the log');
  await assert.rejects(connect(s, t, { user: 'nobody' }), /authentication methods failed/);
  await stillServes();
});

test('password authentication is refused and logged', async (t) => {
  await assert.rejects(connect(s, t, { password: 'secret-password' }), /authentication methods failed/);
  assertRefusalLogged(s, 'auth-method');
  assert.ok(!JSON.stringify(s.log.entries).includes('secret-password'));
  assert.ok((s.stats()['auth.refused'] ?? 0) >= 2);
  await stillServes();
});
