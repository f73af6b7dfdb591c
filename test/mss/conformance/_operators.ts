/**
 * A conformance run against Debian's Dovecot (test/_support/dovecot.ts) set up as an MSSanté
 * operator: XOAUTH2 introspecting the conformance PSC service, EXTERNAL for client
 * certificates, submission relayed by a test MTA to LMTP (the mailboxes) and to the
 * application's SMTP receiver (operator interface). Lax variants for the negative proofs.
 * Also the application's receiver and the ConformancePsc of a sandbox operator, for runs against
 * the project's own sandbox.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { decodeJwt } from 'jose';
import { Agent, fetch } from 'undici';
import { silentLogger } from '../../../src/log.ts';
import { type InboundReceiver, startInboundReceiver } from '../../../src/mss/conformance/inbound.ts';
import { runConformance } from '../../../src/mss/conformance/runner.ts';
import type { ConformancePsc, ConformanceTarget } from '../../../src/mss/conformance/runner-types.ts';
import { startConformancePsc } from '../../../src/sandbox/psc/conformance-psc.ts';
import { sandboxConformancePsc as sandboxConformancePscOf } from '../../../src/sandbox/psc/mint.ts';
import { testPki } from '../../_support/credentials.ts';
import { type DovecotOptions, startDovecot } from '../../_support/dovecot.ts';
import { type MtaRoute, startTestMta } from '../../_support/mta.ts';
import { tempDir } from '../../_support/tmp.ts';
import type { MssSandbox } from '../../sandbox/mss/_mss.ts';

const MAILBOX = 'camille.martin@mss.dovecot.test';
const IDNAT = '810002345678';
export const APP_MAILBOX = 'controle@application.conformance.test';

/** The application's SMTP receiver for APP_MAILBOX on loopback, with the test PKI's server certificate. */
export async function startAppReceiver(t: TestContext): Promise<InboundReceiver> {
  const pki = await testPki();
  const inbound = await startInboundReceiver({
    host: '127.0.0.1',
    port: 0,
    address: APP_MAILBOX,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
    log: silentLogger,
  });
  t.after(() => inbound.close());
  return inbound;
}

/** The ConformancePsc of a sandbox MSSanté module's own PSC stub. */
export function sandboxConformancePsc(mss: MssSandbox): ConformancePsc {
  return sandboxConformancePscOf({
    stateDir: join(mss.dir, 'state'),
    issuer: mss.issuer,
    introspections: () => mss.stats()['psc.introspectionsActive'] ?? 0,
  });
}

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

/** Dovecot must be there: callers check `requirePeer(t, 'dovecot')` first (skip locally, fail under CI). */
export async function runAgainstDovecot(
  t: TestContext,
  setup: { lax?: DovecotOptions['lax']; issuerBlind?: boolean; starttls?: boolean; clearRelay?: boolean },
) {
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
  const inbound = await startAppReceiver(t);
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
  return { result, failed, seconds, dovecot, mta, service };
}
