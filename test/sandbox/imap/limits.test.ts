import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { childLines } from '../../_support/child-lines.ts';
import { ALICE, startFixture, xoauth2 } from './_imap.ts';

const CONNECTIONS = 1000;

/**
 * The clients live in a child process so that the heap measured here is the server's. Each
 * connection authenticates then sits idle; the child prints `ready` once all are in, and `done`
 * with what it saw once the server has closed them all.
 */
const CHILD = String.raw`
import { connect } from 'node:tls';
const { PORT, CA, N, AUTH } = process.env;
const n = Number(N);
let authenticated = 0, closed = 0, byes = 0, index = 0;
function open() {
  if (index >= n) return;
  index++;
  const s = connect({ host: '127.0.0.1', port: Number(PORT), ca: CA, servername: 'localhost' });
  let buf = '';
  s.on('data', (c) => {
    buf += c;
    if (buf.startsWith('* OK') && !s.sent) {
      s.sent = true;
      s.write('a AUTHENTICATE XOAUTH2 ' + AUTH + '\r\n');
    }
    if (/\r\na OK/.test(buf) && !s.counted) {
      s.counted = true;
      if (++authenticated === n) console.log('ready');
      open();
    }
    if (buf.includes('* BYE Autologout; idle for too long')) s.bye = true;
  });
  s.on('error', () => {});
  s.on('close', () => {
    if (s.bye) byes++;
    if (++closed === n) console.log('done ' + JSON.stringify({ authenticated, byes }));
  });
}
for (let i = 0; i < 25; i++) open();
`;

test(`${CONNECTIONS} idle authenticated connections: held with bounded server heap, then all closed by the idle timeout`, async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Generous: the first connections must still be open when the last one authenticates, and
  // 1000 TLS handshakes take well over 10 s on a loaded 2-core machine.
  const f = await startFixture(t, { idleTimeoutMs: 40_000 });
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const { next } = childLines(t, CHILD, {
    PORT: String(f.port),
    CA: f.ca,
    N: String(CONNECTIONS),
    AUTH: xoauth2(ALICE, 'tok-alice-1'),
  });
  await next('ready');
  assert.equal(f.server.stats()['connections'], CONNECTIONS, 'all held at once');
  gc();
  const growth = process.memoryUsage().heapUsed - baseline;
  t.diagnostic(
    `server heap growth with ${CONNECTIONS} idle connections: ${(growth / 1024 / 1024).toFixed(1)} MiB`,
  );
  assert.ok(growth < 100 * 1024 * 1024, `heap grew by ${growth} bytes`);
  const done = JSON.parse((await next('done')).slice(5)) as { authenticated: number; byes: number };
  assert.deepEqual(done, { authenticated: CONNECTIONS, byes: CONNECTIONS });
  const stats = f.server.stats();
  assert.equal(stats['connections'], 0);
  assert.equal(stats['timeouts'], CONNECTIONS);
});
