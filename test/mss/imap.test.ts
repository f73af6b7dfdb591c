import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { type TestContext, test } from 'node:test';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { openMssImap } from '../../src/mss/imap.ts';
import type { MssAuth } from '../../src/mss/types.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { testPki } from '../_support/credentials.ts';

const MAILBOX = 'application@sandbox.mssante.fr';

interface Fake {
  port: number;
  lines: string[];
  peerCertificates: string[];
}

/**
 * A scripted IMAP server: greets with `capabilities` (and answers CAPABILITY with them), answers
 * AUTHENTICATE with `auth(line)`, everything else with OK. `greet: false` never greets.
 */
async function scriptedServer(
  t: TestContext,
  opts: {
    capabilities: string;
    tls?: boolean;
    greet?: boolean;
    requestCert?: boolean;
    auth?: (line: string) => string;
  },
): Promise<Fake> {
  const pki = await testPki();
  const lines: string[] = [];
  const peerCertificates: string[] = [];
  const onSocket = (socket: Socket | TLSSocket) => {
    socket.on('error', () => {});
    if ('getPeerCertificate' in socket) {
      const cert = socket.getPeerCertificate();
      if (cert?.subject) peerCertificates.push(String(cert.subject.CN));
    }
    if (opts.greet === false) return;
    socket.write(`* OK [CAPABILITY ${opts.capabilities}] scripted server ready\r\n`);
    let buffer = '';
    socket.on('data', (d: Buffer) => {
      buffer += d.toString('latin1');
      for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        lines.push(line);
        const [tag, command = ''] = line.split(' ');
        const upper = command.toUpperCase();
        if (upper === 'CAPABILITY') socket.write(`* CAPABILITY ${opts.capabilities}\r\n${tag} OK done\r\n`);
        else if (upper === 'AUTHENTICATE')
          socket.write(`${tag} ${opts.auth ? opts.auth(line) : 'OK [CAPABILITY IMAP4rev1] in'}\r\n`);
        else if (upper === 'LOGOUT') socket.end(`* BYE\r\n${tag} OK bye\r\n`);
        else if (tag && command) socket.write(`${tag} OK done\r\n`);
      }
    });
  };
  const server: Server =
    opts.tls === false
      ? createNetServer(onSocket)
      : createTlsServer(
          {
            key: pki.server.keyPem,
            cert: pki.server.certPem,
            ...(opts.requestCert
              ? { requestCert: true, rejectUnauthorized: true, ca: pki.ca.certificate.toString() }
              : {}),
          },
          onSocket,
        );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.close();
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  });
  return { port: (server.address() as { port: number }).port, lines, peerCertificates };
}

async function options(port: number, auth?: MssAuth, implicit = true) {
  const pki = await testPki();
  return {
    url: `${implicit ? 'imaps' : 'imap'}://127.0.0.1:${port}`,
    mailbox: MAILBOX,
    ca: pki.ca.certificate.toString(),
    auth: auth ?? { kind: 'xoauth2' as const, accessToken: async () => 'eyJ.token.sig' },
    timeoutMs: 5_000,
  };
}

function neverAsked() {
  const state = { asked: false };
  const auth: MssAuth = {
    kind: 'xoauth2',
    accessToken: async () => {
      state.asked = true;
      return 'eyJ.token.sig';
    },
  };
  return { state, auth };
}

test('imap: fails closed before any secret without AUTH=XOAUTH2 + SASL-IR', async (t) => {
  for (const capabilities of [
    'IMAP4rev1 AUTH=XOAUTH2',
    'IMAP4rev1 SASL-IR AUTH=OAUTHBEARER',
    'IMAP4rev1 SASL-IR AUTH=PLAIN',
  ]) {
    const scripted = await scriptedServer(t, { capabilities });
    const { state, auth } = neverAsked();
    await rejectsCode(openMssImap(await options(scripted.port, auth)), 'ERR_MSS_UNSUPPORTED');
    assert.equal(state.asked, false, capabilities);
    assert.ok(!scripted.lines.some((l) => /AUTHENTICATE|LOGIN/i.test(l)), capabilities);
  }
});

test('imap: XOAUTH2 is sent inline even when OAUTHBEARER is offered too', async (t) => {
  const scripted = await scriptedServer(t, {
    capabilities: 'IMAP4rev1 SASL-IR AUTH=OAUTHBEARER AUTH=XOAUTH2',
  });
  const imap = await openMssImap(await options(scripted.port));
  await imap.close();
  const auth = scripted.lines.filter((l) => /AUTHENTICATE/i.test(l));
  assert.equal(auth.length, 1);
  const [, , mechanism, payload] = auth[0]!.split(' ');
  assert.equal(mechanism, 'XOAUTH2');
  assert.equal(
    Buffer.from(payload!, 'base64').toString(),
    `user=${MAILBOX}\x01auth=Bearer eyJ.token.sig\x01\x01`,
  );
});

test('imap: STARTTLS not offered on imap:// → ERR_MSS_UNSUPPORTED, nothing secret sent in clear', async (t) => {
  const scripted = await scriptedServer(t, { capabilities: 'IMAP4rev1 SASL-IR AUTH=XOAUTH2', tls: false });
  const { state, auth } = neverAsked();
  await rejectsCode(openMssImap(await options(scripted.port, auth, false)), 'ERR_MSS_UNSUPPORTED');
  assert.equal(state.asked, false);
  assert.ok(!scripted.lines.some((l) => /AUTHENTICATE|LOGIN/i.test(l)));
});

test('imap: EXTERNAL (AUTH_CLI) sends the client certificate and AUTHENTICATE EXTERNAL <base64(mailbox)>', async (t) => {
  const pki = await testPki();
  let answer = 'OK [CAPABILITY IMAP4rev1] in';
  const scripted = await scriptedServer(t, {
    capabilities: 'IMAP4rev1 SASL-IR AUTH=EXTERNAL',
    requestCert: true,
    auth: () => answer,
  });
  const external: MssAuth = { kind: 'external', cert: pki.rsa.certPem, key: pki.rsa.keyPem };
  const imap = await openMssImap(await options(scripted.port, external));
  await imap.close();
  assert.deepEqual(scripted.peerCertificates.slice(0, 1), ['urn:be:test:app:rsa']);
  const line = scripted.lines.find((l) => /AUTHENTICATE/i.test(l))!;
  assert.match(line, / AUTHENTICATE EXTERNAL /);
  assert.equal(Buffer.from(line.split(' ')[3]!, 'base64').toString(), MAILBOX);
  answer = 'NO [AUTHENTICATIONFAILED] not this mailbox';
  const e = await rejectsCode(openMssImap(await options(scripted.port, external)), 'ERR_MSS_AUTH_FAILED');
  assert.equal(e.details['protocol'], 'imap');
  const xoauth2Only = await scriptedServer(t, { capabilities: 'IMAP4rev1 SASL-IR AUTH=XOAUTH2' });
  await rejectsCode(openMssImap(await options(xoauth2Only.port, external)), 'ERR_MSS_UNSUPPORTED');
});

test('imap: no greeting → ERR_MSS_TIMEOUT; nothing listening → ERR_MSS_CONNECT; bad URL → ERR_MSS_UNSUPPORTED', async (t) => {
  const silent = await scriptedServer(t, { capabilities: '', greet: false });
  await rejectsCode(openMssImap({ ...(await options(silent.port)), timeoutMs: 300 }), 'ERR_MSS_TIMEOUT');
  const closed = createNetServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as { port: number }).port;
  closed.close();
  await once(closed, 'close');
  await rejectsCode(openMssImap(await options(port)), 'ERR_MSS_CONNECT');
  await rejectsCode(
    openMssImap({ ...(await options(port)), url: 'http://127.0.0.1/' }),
    'ERR_MSS_UNSUPPORTED',
  );
  await rejectsCode(
    openMssImap({ ...(await options(port)), url: 'smtps://127.0.0.1/' }),
    'ERR_MSS_UNSUPPORTED',
  );
});
