import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { childLines } from '../../_support/child-lines.ts';
import { startMss } from './_mss.ts';

const CONNECTIONS = 1000;

/**
 * 1,000 clients in a child process (so the heap measured is the sandbox's) each open an implicit
 * TLS connection to the submission server, say EHLO and sit idle; `ready` once all are greeted,
 * `done` with the count of 421 timeouts once the server has closed them all.
 */
const CHILD = String.raw`
import { connect } from 'node:tls';
const { PORT, CA, N } = process.env;
const n = Number(N);
let ready = 0, closed = 0, timeouts = 0, index = 0;
function open() {
  if (index >= n) return;
  index++;
  const s = connect({ host: '127.0.0.1', port: Number(PORT), ca: CA, servername: 'localhost' });
  let buf = '';
  s.setEncoding('utf8');
  s.on('data', (c) => {
    buf += c;
    if (buf.startsWith('220 ') && !s.sent) { s.sent = true; s.write('EHLO bench.example\r\n'); }
    if (/\r\n250 /.test(buf) && !s.counted) {
      s.counted = true;
      if (++ready === n) console.log('ready');
      open();
    }
    if (/\r\n421 /.test(buf)) s.timedOut = true;
  });
  s.on('error', () => {});
  s.on('close', () => {
    if (s.timedOut) timeouts++;
    if (++closed === n) console.log('done ' + JSON.stringify({ ready, timeouts }));
  });
}
for (let i = 0; i < 50; i++) open();
`;

test(`sandbox SMTP: ${CONNECTIONS} idle connections held with bounded heap, one more refused (421), all closed by the idle timeout`, async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Generous: the first connections must still be open when the last is greeted and the extra
  // one is tried, and 1000 TLS handshakes take well over 10 s on a loaded 2-core machine.
  const m = await startMss(t, { idleTimeoutSeconds: 45, maxConnections: CONNECTIONS });
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const port = m.port('mss.smtp');
  const { next } = childLines(t, CHILD, {
    PORT: String(port),
    CA: m.sandbox.pki.ca.certPem,
    N: String(CONNECTIONS),
  });
  await next('ready');
  gc();
  const growth = process.memoryUsage().heapUsed - baseline;
  t.diagnostic(
    `sandbox heap growth with ${CONNECTIONS} idle SMTP connections: ${(growth / 1024 / 1024).toFixed(1)} MiB`,
  );
  assert.ok(growth < 150 * 1024 * 1024, `heap grew by ${growth} bytes`);

  const extra = await new Promise<string>((resolve) => {
    const s = connect({ host: '127.0.0.1', port, ca: m.sandbox.pki.ca.certPem, servername: 'localhost' });
    let buf = '';
    s.setEncoding('utf8');
    s.on('data', (c) => (buf += c));
    s.on('error', () => {});
    s.on('close', () => resolve(buf));
  });
  assert.match(extra, /^421 .*Too many connected clients/);

  const done = JSON.parse((await next('done')).slice(5)) as { ready: number; timeouts: number };
  assert.deepEqual(done, { ready: CONNECTIONS, timeouts: CONNECTIONS });
  assert.ok((m.stats()['smtp.connections'] ?? 0) >= CONNECTIONS);
});
