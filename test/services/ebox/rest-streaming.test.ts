/**
 * Large documents are streamed from disk, never held in memory: a generated 64 MiB file is
 * published with an exact Content-Length while the resident set grows far less than the file;
 * a file changed between the digest pass and the upload stops the upload before it completes.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FrozenClock } from '../../../src/clock.ts';
import { isPasserelleError } from '../../../src/errors.ts';
import { createEboxRestClient, type EboxRestClient } from '../../../src/services/ebox/index.ts';
import { type RestPeer, startRestPeer } from './_rest-peer.ts';

const MIB = 1024 * 1024;
const SIZE = 64 * MIB;
const clock = new FrozenClock(Date.now());
const dir = mkdtempSync(join(tmpdir(), 'passerelle-ebox-stream-'));
let peer: RestPeer;
let client: EboxRestClient;

before(async () => {
  peer = await startRestPeer();
  client = await createEboxRestClient(await peer.environment(dir), { clock });
});
after(async () => {
  await client?.close();
  await peer?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `size` random bytes, 1 MiB at a time; returns the path and its SHA-256 (base64url). */
function bigFile(name: string, size: number): { path: string; digest: string } {
  const path = join(dir, name);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let done = 0; done < size; done += MIB) {
      const chunk = randomBytes(Math.min(MIB, size - done));
      hash.update(chunk);
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  return { path, digest: hash.digest('base64url') };
}

const publication = (path: string) => ({
  recipient: '85073003328',
  messageType: 'TAXCERTIFICATE',
  subject: { lang: 'fr' as const, text: 'Grand document' },
  document: { path, fileName: 'grand.pdf' },
});

test('a 64 MiB document: exact Content-Length, right digest, RSS growth far below the file size', async () => {
  const small = join(dir, 'warm.pdf');
  writeFileSync(small, '%PDF-1.7 warm-up');
  await client.publish(publication(small)); // TLS, token and code paths warmed up
  const { path, digest } = bigFile('big.pdf', SIZE);
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  peer.onChunk = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  try {
    const result = await client.publish(publication(path));
    const got = peer.received.at(-1)!;
    assert.equal(result.document.size, SIZE);
    assert.equal(result.document.digest, digest);
    assert.equal(Number(got.headers['content-length']), got.length);
    assert.ok(got.length > SIZE && got.length < SIZE + 4096);
    // Both sides run in this process; 256 KiB chunks and V8's young generation cost ~10-15 MiB.
    const growth = peak - baseline;
    assert.ok(growth < 24 * MIB, `RSS grew by ${Math.round(growth / MIB)} MiB for a 64 MiB file`);
  } finally {
    peer.onChunk = undefined;
  }
});

test('a file changed while it is sent: the upload stops before its end (ERR_EBOX_DIGEST_MISMATCH)', async () => {
  const { path } = bigFile('changing.pdf', 16 * MIB);
  let seen = 0;
  let changed = false;
  peer.onChunk = (chunk) => {
    seen += chunk.length;
    if (!changed && seen > MIB) {
      changed = true;
      const fd = openSync(path, 'r+');
      writeSync(fd, Buffer.from('tampered'), 0, 8, 16 * MIB - 8);
      closeSync(fd);
    }
  };
  const completed = peer.received.length;
  try {
    await assert.rejects(client.publish(publication(path)), (e) => {
      assert.ok(isPasserelleError(e, 'ERR_EBOX_DIGEST_MISMATCH'), String((e as { code?: string }).code));
      assert.equal(e.details['origin'], 'client');
      assert.equal(e.details['part'], 'upfile1');
      return true;
    });
    assert.ok(changed);
    assert.equal(peer.received.length, completed, 'the server never received a complete request');
  } finally {
    peer.onChunk = undefined;
  }
});
