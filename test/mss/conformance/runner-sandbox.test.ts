/**
 * The runner against the project's own sandbox MSSanté operator gives the verdict, and case by
 * case the status, that it gives against Dovecot configured as the seed asks: implicit TLS on
 * IMAP and SMTP, PSC tokens by introspection, client certificates for the applicative mailbox,
 * and the operator's relay delivering to the application's mailbox over TLS.
 *
 * The sandbox's PSC stub is its own (tokens signed with the key of its state directory); it
 * counts introspections in total, not per token, which is what introspectionsOf reports.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../../src/log.ts';
import { startInboundReceiver } from '../../../src/mss/conformance/inbound.ts';
import { runConformance } from '../../../src/mss/conformance/runner.ts';
import type { ConformancePsc } from '../../../src/mss/conformance/runner-types.ts';
import { mintSandboxPscToken } from '../../../src/sandbox/psc/mint.ts';
import { testPki } from '../../_support/credentials.ts';
import { APPLICATION, CAMILLE, startMss } from '../../sandbox/mss/_mss.ts';
import { APP_MAILBOX, runAgainstDovecot } from './_dovecot-run.ts';

test('the sandbox operator and Dovecot (seed configuration): the same verdict, the same status for every case', async (t) => {
  const dovecot = await runAgainstDovecot(t, {});
  const pki = await testPki();
  const caPem = pki.ca.certificate.toString();
  const inbound = await startInboundReceiver({
    host: '127.0.0.1',
    port: 0,
    address: APP_MAILBOX,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
    log: silentLogger,
  });
  t.after(() => inbound.close());
  const mss = await startMss(t, {
    relay: { host: '127.0.0.1', port: inbound.port, ca: caPem, domains: ['application.conformance.test'] },
  });
  const stateDir = join(mss.dir, 'state');
  const psc: ConformancePsc = {
    issuer: mss.issuer,
    mintToken: (o) =>
      mintSandboxPscToken({
        stateDir,
        issuer: mss.issuer,
        rpps: o.idNat,
        ...(o.issuedAt === undefined ? {} : { issuedAt: o.issuedAt }),
        ...(o.expiresInSeconds === undefined ? {} : { expiresInSeconds: o.expiresInSeconds }),
      }),
    introspectionsOf: async () => mss.stats()['psc.introspectionsActive'] ?? 0,
  };
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
