/**
 * The runner against Debian's Dovecot, the independent operator: configured as the seed asks
 * (TLS ≥ 1.2, SASL-IR, XOAUTH2 introspecting the conformance PSC, EXTERNAL for client
 * certificates, submission relayed through an MTA to LMTP and to the application's receiver)
 * the whole catalogue passes; each deliberately lax configuration fails exactly the cases that
 * check it, with their severity, and the verdict follows.
 *
 * The clocks are real here: Dovecot, OpenSSL and the PSC service read the system time.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type TestContext, test } from 'node:test';
import { decodeJwt } from 'jose';
import { Agent, fetch } from 'undici';
import { silentLogger } from '../../../src/log.ts';
import { startInboundReceiver } from '../../../src/mss/conformance/inbound.ts';
import { writeReports } from '../../../src/mss/conformance/report-files.ts';
import { runConformance } from '../../../src/mss/conformance/runner.ts';
import type { ConformanceTarget } from '../../../src/mss/conformance/runner-types.ts';
import { startConformancePsc } from '../../../src/sandbox/psc/conformance-psc.ts';
import { testPki } from '../../_support/credentials.ts';
import { type DovecotOptions, startDovecot } from '../../_support/dovecot.ts';
import { type MtaRoute, startTestMta } from '../../_support/mta.ts';
import { requirePeer, runPeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';

const MAILBOX = 'camille.martin@mss.dovecot.test';
const IDNAT = '810002345678';
const APP_MAILBOX = 'controle@application.conformance.test';

/**
 * An introspection endpoint that does not check the issuer: it asks the PSC first and, when the
 * PSC does not know the token, decodes it without verifying its signature and takes it while it
 * has not expired — the mistake of an operator validating tokens by their content.
 */
async function issuerBlindIntrospection(
  t: TestContext,
  tls: { key: string; cert: string },
  psc: { url: string; ca: string },
): Promise<string> {
  const dispatcher = new Agent({ connect: { ca: psc.ca } });
  t.after(() => dispatcher.close());
  const server = createServer({ ...tls, minVersion: 'TLSv1.2' }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const upstream = await fetch(psc.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: req.headers.authorization ?? '',
        },
        body,
        dispatcher,
      });
      let answer = (await upstream.json()) as Record<string, unknown>;
      if (answer['active'] !== true) {
        const claims = decodeJwt(new URLSearchParams(body).get('token') ?? '');
        if ((claims.exp ?? 0) * 1000 > Date.now()) answer = { ...claims, active: true };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`;
}

async function runAgainstDovecot(
  t: TestContext,
  setup: { lax?: DovecotOptions['lax']; issuerBlind?: boolean; starttls?: boolean; clearRelay?: boolean },
) {
  requirePeer(t, 'dovecot');
  const pki = await testPki();
  const caPem = pki.ca.certificate.toString();
  const service = await startConformancePsc({
    host: '127.0.0.1',
    port: 0,
    stateDir: tempDir(t, 'passerelle-cpsc-'),
    log: silentLogger,
  });
  t.after(() => service.close());
  const { stub } = service;
  const introspection = setup.issuerBlind
    ? {
        url: await issuerBlindIntrospection(
          t,
          { key: pki.server.keyPem, cert: pki.server.certPem },
          { url: stub.endpoints.introspection, ca: service.caPem },
        ),
        ...stub.introspectionClient,
      }
    : { url: stub.endpoints.introspection, ...stub.introspectionClient };
  const routes: Record<string, MtaRoute> = {};
  const mta = await startTestMta(t, routes);
  const holder = await pki.issue({ subject: `C=FR, O=Cabinet de test, CN=${MAILBOX}`, usage: 'tls-client' });
  const dovecot = await startDovecot(t, {
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    introspection,
    introspectionCa: setup.issuerBlind ? caPem : service.caPem,
    clientCa: caPem,
    submission: { relayPort: mta.port },
    ...(setup.lax ? { lax: setup.lax } : {}),
  });
  routes['mss.dovecot.test'] = { kind: 'lmtp', port: dovecot.lmtpPort! };
  const inbound = await startInboundReceiver({
    host: '127.0.0.1',
    port: 0,
    address: APP_MAILBOX,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
    log: silentLogger,
  });
  t.after(() => inbound.close());
  routes['application.conformance.test'] = {
    kind: 'smtp',
    host: '127.0.0.1',
    port: inbound.port,
    ca: caPem,
    ...(setup.clearRelay ? { clear: true } : {}),
  };
  const target: ConformanceTarget = {
    host: '127.0.0.1',
    imap: setup.starttls
      ? { port: dovecot.imapPort, tls: 'starttls' }
      : { port: dovecot.imapsPort, tls: 'implicit' },
    smtp: setup.starttls
      ? { port: dovecot.submissionPort!, tls: 'starttls' }
      : { port: dovecot.submissionsPort!, tls: 'implicit' },
    mailbox: MAILBOX,
    idNat: IDNAT,
    ca: caPem,
    clientCertificate: { certPem: holder.certPem, keyPem: holder.keyPem },
  };
  const started = Date.now();
  const result = await runConformance({
    target,
    operatorName: 'Dovecot 2.3 (Debian)',
    psc: service.psc,
    inbound,
    caseTimeoutMs: 20_000,
  });
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(`${result.results.length} cases in ${seconds.toFixed(1)} s, verdict ${result.verdict.level}`);
  const failed = result.results
    .filter((r) => r.status === 'failed' || r.status === 'error')
    .map((r) => r.caseId)
    .sort();
  if (failed.length > 0 || process.env['PASSERELLE_CONFORMANCE_VERBOSE'])
    for (const r of result.results) t.diagnostic(`${r.caseId}=${r.status}: ${r.message}`);
  return { result, failed, seconds, dovecot, mta };
}

test('Dovecot configured as the seed asks: every case passes, verdict conformant', async (t) => {
  const { result, failed, seconds, dovecot } = await runAgainstDovecot(t, {});
  assert.deepEqual(failed, [], dovecot.log().slice(-4000));
  assert.equal(result.verdict.level, 'conformant');
  assert.equal(result.verdict.incomplete, false);
  const inbound = result.results.find((r) => r.caseId === 'operator-interface.inbound-delivery');
  assert.equal(inbound?.status, 'passed');
  assert.match(inbound?.message ?? '', /over TLSv1\.[23]/);
  assert.ok(seconds < 60, `a full run takes ${seconds} s`);
});

test("Dovecot's STARTTLS ports (143, 587) list XOAUTH2 before TLS: the no-auth-before-TLS case fails (major)", async (t) => {
  const { result, failed } = await runAgainstDovecot(t, { starttls: true });
  assert.deepEqual(failed, ['both.no-auth-before-tls']);
  const r = result.results.find((c) => c.caseId === 'both.no-auth-before-tls');
  assert.match(r?.message ?? '', /IMAP: .*XOAUTH2.*SMTP: offered before TLS: XOAUTH2/s);
  assert.equal(result.verdict.level, 'non-conformant-major');
});

test('Dovecot accepting TLS 1.0 and 1.1: those four cases fail (major), verdict non-conformant (major)', async (t) => {
  const { result, failed } = await runAgainstDovecot(t, { lax: { tls10: true } });
  assert.deepEqual(failed, [
    'imap.tls10-refused',
    'imap.tls11-refused',
    'smtp.tls10-refused',
    'smtp.tls11-refused',
  ]);
  assert.deepEqual(new Set(result.verdict.failures.map((f) => f.severity)), new Set(['major']));
  assert.equal(result.verdict.level, 'non-conformant-major');
});

test('Dovecot without SASL-IR: the IMAP advertisement case fails (blocking), verdict non-conformant (blocking)', async (t) => {
  const { result, failed } = await runAgainstDovecot(t, { lax: { noSaslIr: true } });
  assert.deepEqual(failed, ['imap.xoauth2-advertised-after-tls']);
  assert.equal(result.verdict.failures[0]?.severity, 'blocking');
  assert.equal(result.verdict.level, 'non-conformant-blocking');
});

test('Dovecot taking plaintext LOGIN/PLAIN before STARTTLS: the plaintext case fails (major) on both protocols', async (t) => {
  const { result, failed } = await runAgainstDovecot(t, {
    lax: { plaintextBeforeTls: true },
    starttls: true,
  });
  // The STARTTLS ports list XOAUTH2 before TLS as well (previous test).
  assert.deepEqual(failed, ['both.no-auth-before-tls', 'both.no-plaintext-login-before-tls']);
  const r = result.results.find((c) => c.caseId === 'both.no-plaintext-login-before-tls');
  assert.match(r?.message ?? '', /IMAP: .*SMTP: /s);
  assert.equal(result.verdict.level, 'non-conformant-major');
});

test('Dovecot trusting tokens without checking their issuer: the foreign-issuer case fails (blocking)', async (t) => {
  const { result, failed } = await runAgainstDovecot(t, { issuerBlind: true });
  assert.deepEqual(failed, ['both.foreign-issuer-token-refused']);
  assert.equal(result.verdict.level, 'non-conformant-blocking');
  // The reports of a real run: page 1 of the PDF, as poppler reads and renders it.
  if (!requirePeer(t, 'poppler')) return;
  const dir = process.env['PASSERELLE_SCREENSHOT_DIR'] ?? tempDir(t, 'passerelle-dovecot-report-');
  const paths = await writeReports(dir, result);
  const page1 = runPeer('pdftotext', ['-layout', '-f', '1', '-l', '1', '-enc', 'UTF-8', paths.pdf, '-']);
  assert.equal(page1.status, 0, page1.stderr);
  assert.match(page1.stdout, /Non conforme \(non-conformités bloquantes\)/);
  assert.match(page1.stdout, /Dovecot 2\.3 \(Debian\)/);
  assert.match(page1.stdout, /both\.foreign-issuer-token-refused/);
  assert.doesNotMatch(page1.stdout, /INCOMPLET/);
  const png = runPeer('pdftoppm', [
    '-png',
    '-r',
    '70',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    paths.pdf,
    `${dir}/dovecot-issuer-blind-page1`,
  ]);
  assert.equal(png.status, 0, png.stderr);
  t.diagnostic(
    `reports: ${paths.json}, ${paths.html}, ${paths.pdf}; page 1: ${dir}/dovecot-issuer-blind-page1.png`,
  );
});

test("an operator MTA delivering to the application's mailbox in clear: the operator-interface case fails (major)", async (t) => {
  const { result, failed } = await runAgainstDovecot(t, { clearRelay: true });
  assert.deepEqual(failed, ['operator-interface.inbound-delivery']);
  const r = result.results.find((c) => c.caseId === 'operator-interface.inbound-delivery');
  assert.match(r?.message ?? '', /plain SMTP/);
  assert.equal(result.verdict.level, 'non-conformant-major');
});
