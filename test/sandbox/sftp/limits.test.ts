/**
 * Bounded under abuse: handles per session, sessions at once, and a client flooding requests.
 * Past each cap the server refuses (FAILURE, or the connection closed), logs the reason, and
 * keeps serving; what it holds does not grow with the abuse.
 */
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { test } from 'node:test';
import type { SFTPWrapper } from 'ssh2';
import {
  assertRefusalLogged,
  type Connected,
  call,
  connect,
  put,
  rejectsStatus,
  type SftpSandbox,
  startSftp,
} from './_sftp.ts';

const FAILURE = 4;

const openHandle = (sftp: SFTPWrapper, path: string) => call<Buffer>((cb) => sftp.open(path, 'r', cb));

/** Connects, retrying while the server has not yet seen a freed slot (bounded). */
async function connectWhenFree(s: SftpSandbox, t: { after: (fn: () => void) => void }): Promise<Connected> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await connect(s, t);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

test('200 handles asked at once: 8 (the cap) opened, 192 FAILURE; closing frees them', async (t) => {
  const s = await startSftp(t, { maxHandles: 8, maxOutstanding: 1000 });
  const { sftp } = await connect(s, t);
  await put(sftp, '/IN/h', 'x');
  const heapBefore = process.memoryUsage().heapUsed;
  const results = await Promise.allSettled(Array.from({ length: 200 }, () => openHandle(sftp, '/IN/h')));
  const opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code?: number }] : []));
  assert.equal(opened.length, 8);
  assert.equal(refused.length, 192);
  assert.ok(refused.every((e) => e.code === FAILURE));
  assertRefusalLogged(s, 'handles', '/IN/h');
  assert.equal(s.stats()['refusals.handles'], 192);
  await rejectsStatus(openHandle(sftp, '/IN/h'), FAILURE, /too many open handles/);
  for (const h of opened) await call((cb) => sftp.close(h, cb));
  const again = await openHandle(sftp, '/IN/h');
  await call((cb) => sftp.close(again, cb));
  // Refused handles hold nothing: the heap grew by far less than 200 open files would need.
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 32 * 1024 * 1024);
});

test('sessions past maxSessions are closed at once and logged; a freed slot serves again', async (t) => {
  const s = await startSftp(t, { maxSessions: 3 });
  const held = await Promise.all([connect(s, t), connect(s, t), connect(s, t)]);
  // Closed before any SSH byte: ssh2 reports the connection lost before the handshake.
  await assert.rejects(connect(s, t), /Connection lost before handshake|ECONNRESET/);
  const entry = s.log.entries.find((e) => e.fields['reason'] === 'sessions');
  assert.ok(entry, 'no sessions refusal logged');
  assert.equal(s.stats()['refusals.sessions'], 1);
  await new Promise<void>((resolve) => {
    held[0]!.client.once('close', () => resolve());
    held[0]!.client.end();
  });
  const fresh = await connectWhenFree(s, t);
  assert.equal(await call<string>((cb) => fresh.sftp.realpath('/IN/.', cb)), '/IN');
  for (const h of held.slice(1)) h.client.end();
});

test('a client flooding requests is disconnected; the server stays up', async (t) => {
  const s = await startSftp(t, { maxOutstanding: 16 });
  const { client, sftp } = await connect(s, t);
  const gone = new Promise<void>((resolve) => client.once('close', () => resolve()));
  const flood = Array.from({ length: 500 }, () => call((cb) => sftp.stat('/IN', cb)).catch(() => undefined));
  await gone;
  await Promise.all(flood);
  const entry = s.log.entries.find((e) => e.fields['reason'] === 'flood');
  assert.ok(entry, 'no flood refusal logged');
  assert.equal(entry.fields['account'], 'partner');
  const fresh = await connect(s, t);
  assert.equal(await call<string>((cb) => fresh.sftp.realpath('.', cb)), '/');
});

test('a connection that never logs in is closed after authTimeoutMs and logged', async (t) => {
  const s = await startSftp(t, { authTimeoutMs: 200 });
  const socket = createConnection(s.port, '127.0.0.1');
  t.after(() => socket.destroy());
  socket.on('error', () => undefined);
  socket.resume(); // read the server's identification, send nothing
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  assert.ok(s.log.entries.some((e) => e.fields['reason'] === 'login-timeout'));
});
