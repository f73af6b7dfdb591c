/**
 * The runner against the project's own sandbox MSSanté operator gives the verdict, and case by
 * case the status, that it gives against Dovecot configured as the seed asks: implicit TLS on
 * IMAP and SMTP, PSC tokens by introspection, client certificates for the applicative mailbox,
 * and the operator's relay delivering to the application's mailbox over TLS.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runConformance } from '../../../src/mss/conformance/runner.ts';
import { testPki } from '../../_support/credentials.ts';
import { requirePeer } from '../../_support/peers.ts';
import { APPLICATION, CAMILLE, startMss } from '../../sandbox/mss/_mss.ts';
import { runAgainstDovecot, startAppReceiver } from './_operators.ts';

test('the sandbox operator and Dovecot (seed configuration), both validating tokens at the conformance PSC: the same verdict, the same status for every case', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  // One conformance PSC for both: Dovecot introspects at it, and so does the sandbox operator.
  const dovecot = await runAgainstDovecot(t, {});
  const { stub, caPem, psc } = dovecot.service;
  const pki = await testPki();
  const inbound = await startAppReceiver(t);
  const mss = await startMss(t, {
    relay: {
      host: '127.0.0.1',
      port: inbound.port,
      ca: pki.ca.certificate.toString(),
      domains: ['application.conformance.test'],
    },
    introspection: {
      issuer: stub.issuer,
      url: stub.endpoints.introspection,
      ...stub.introspectionClient,
      ca: caPem,
    },
  });
  const partner = mss.sandbox.pki.partner.tls;
  const sandbox = await runConformance({
    target: {
      host: '127.0.0.1',
      imap: { port: mss.port('mss.imap'), tls: 'implicit' },
      smtp: { port: mss.port('mss.smtp'), tls: 'implicit' },
      mailbox: CAMILLE.mailboxes[0],
      idNat: CAMILLE.rpps,
      ca: mss.sandbox.pki.ca.certPem,
      clientCertificate: { certPem: partner.certPem, keyPem: partner.keyPem },
      clientCertificateMailbox: APPLICATION,
    },
    operatorName: 'Passerelle sandbox operator',
    psc,
    inbound,
    caseTimeoutMs: 20_000,
  });
  const statuses = (r: typeof sandbox) => Object.fromEntries(r.results.map((c) => [c.caseId, c.status]));
  for (const c of sandbox.results)
    if (c.status !== dovecot.result.results.find((d) => d.caseId === c.caseId)?.status)
      t.diagnostic(`${c.caseId}: sandbox ${c.status} (${c.message})`);
  assert.deepEqual(statuses(sandbox), statuses(dovecot.result));
  assert.equal(sandbox.verdict.level, 'conformant');
  assert.equal(sandbox.verdict.level, dovecot.result.verdict.level);
  assert.equal(sandbox.verdict.incomplete, false);
});
