/**
 * INDEPENDENT PEER: OpenSSH's `sftp` client (Debian openssh-client) in batch mode against the
 * sandbox SFTP server, the host key pinned in a known_hosts file with StrictHostKeyChecking=yes:
 * upload, list, download (byte equality), rename, remove; a refused command is reported by sftp.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { requirePeer } from '../../_support/peers.ts';
import { assertRefusalLogged, type SftpSandbox, startSftp } from './_sftp.ts';

/** Runs `sftp -b` asynchronously (the server runs in this process: spawnSync would deadlock). */
function sftpBatch(
  s: SftpSandbox,
  commands: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const batch = join(s.dir, `batch-${randomBytes(4).toString('hex')}`);
  writeFileSync(batch, `${commands.join('\n')}\n`);
  const args = [
    '-b',
    batch,
    '-i',
    s.keyFile,
    '-P',
    String(s.port),
    '-F',
    '/dev/null',
    '-o',
    `UserKnownHostsFile=${s.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    'partner@127.0.0.1',
  ];
  return new Promise((resolve) => {
    execFile('/usr/bin/sftp', args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test('OpenSSH sftp (batch): put, ls -l, rename, get with byte equality, rm', async (t) => {
  if (!requirePeer(t, 'sftp')) return;
  const s = await startSftp(t);
  const local = join(s.dir, 'local.bin');
  const back = join(s.dir, 'back.bin');
  const data = randomBytes(300 * 1024 + 17);
  writeFileSync(local, data);
  const r = await sftpBatch(s, [
    'pwd',
    `put ${local} IN/upload.part`,
    'rename IN/upload.part IN/upload.bin',
    'ls -l IN',
    `get IN/upload.bin ${back}`,
    'ls OUT',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Remote working directory: \//);
  assert.match(r.stdout, /-rw-r--r-- +1 partner +partner +307217 .* upload\.bin/);
  assert.ok(readFileSync(back).equals(data), 'downloaded bytes differ');
  assert.deepEqual(readdirSync(join(s.root, 'IN')), ['upload.bin']);
  const rm = await sftpBatch(s, ['rm IN/upload.bin', 'ls IN']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(existsSync(join(s.root, 'IN', 'upload.bin')), false);
  assert.equal(s.stats()['uploads'], 1);
});

test('OpenSSH sftp (batch): a refused command fails the batch, the server keeps serving', async (t) => {
  if (!requirePeer(t, 'sftp')) return;
  const s = await startSftp(t);
  const local = join(s.dir, 'x.txt');
  writeFileSync(local, 'x');
  const denied = await sftpBatch(s, [`put ${local} OUT/x.txt`]);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /Permission denied/);
  const traversal = await sftpBatch(s, ['get ../../../../etc/passwd']);
  assert.notEqual(traversal.code, 0);
  // sftp stats first and reports any failed stat as "not found"; the server refused it (logged).
  assert.match(traversal.stderr, /not found|Permission denied/);
  assertRefusalLogged(s, 'path-escape', '../../../../etc/passwd');
  assertRefusalLogged(s, 'write-outside-in', '/OUT/x.txt');
  const ok = await sftpBatch(s, [`put ${local} IN/x.txt`, 'ls IN']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /x\.txt/);
});

test('OpenSSH sftp: a changed host key is refused by the client (the pin is the sandbox key)', async (t) => {
  if (!requirePeer(t, 'sftp')) return;
  const s = await startSftp(t);
  writeFileSync(
    s.knownHosts,
    `[127.0.0.1]:${s.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM8LRGC9GdSe5t9h7YNs+MJ4vg9OSqgLdLK2CqlFknZF\n`,
  );
  const r = await sftpBatch(s, ['ls']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
});
