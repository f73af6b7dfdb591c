import { join } from 'node:path';
import {
  CATALOGUE,
  loadRunResult,
  parseTarget,
  runConformance,
  writeReports,
} from '../../mss/conformance/index.ts';
import { sandboxConformancePsc } from '../../sandbox/psc/mint.ts';
import { demoExpect } from '../_expect.ts';
import type { DemoStep } from '../step.ts';

/** Cases the demo leaves out: the sandbox has no relay to an application here, and idle takes 15 minutes. */
const LEFT_OUT = new Set(['operator-interface.inbound-delivery', 'both.session-idle-timeout']);

/**
 * Flow "MSSanté operators' conformance" (issue 14): the conformance runner against the sandbox's
 * operator (its IMAP and SMTP servers, tokens of its PSC stub, the partner's certificate on the
 * applicative mailbox), every case of the catalogue but two, then the three reports written and
 * the JSON read back against its schema.
 */
export function mssConformanceSteps(): DemoStep[] {
  return [
    {
      id: 'mss-conformance.run',
      title:
        "Run the operators' conformance catalogue against the sandbox operator; JSON, HTML and PDF reports",
      dependsOn: ['mss.login'],
      timeoutMs: 120_000,
      async run(ctx) {
        const mss = ctx.environment.mss;
        demoExpect(mss !== undefined, 'the sandbox configuration names the MSSanté servers');
        const info = ctx.sandbox.info['mss'] as
          | { professionals: { rpps: string; mailboxes: string[] }[]; applicationMailboxes: string[] }
          | undefined;
        const professional = info?.professionals[0];
        const application = info?.applicationMailboxes[0];
        demoExpect(
          professional !== undefined && application !== undefined,
          'the sandbox lists its mailboxes',
        );
        const partner = ctx.sandbox.pki.partner.tls;
        const target = {
          ...parseTarget({
            imap: mss.imap,
            smtp: mss.smtp,
            mailbox: professional.mailboxes[0] as string,
            idNat: professional.rpps,
            ca: ctx.sandbox.pki.ca.certPem,
            clientCertificate: { certPem: partner.certPem, keyPem: partner.keyPem },
          }),
          clientCertificateMailbox: application,
        };
        const result = await runConformance({
          target,
          operatorName: 'Passerelle sandbox operator',
          psc: sandboxConformancePsc({
            stateDir: ctx.sandbox.stateDir,
            issuer: ctx.sandbox.endpoints['mss.psc'] as string,
            introspections: () => ctx.sandbox.modules['mss']?.stats?.()['psc.introspectionsActive'] ?? 0,
          }),
          selection: CATALOGUE.map((c) => c.id).filter((id) => !LEFT_OUT.has(id)),
          caseTimeoutMs: 20_000,
          clock: () => new Date(ctx.clock.now()),
        });
        const failed = result.results.filter((r) => r.status === 'failed' || r.status === 'error');
        demoExpect(
          failed.length === 0,
          `no case fails (${failed.map((r) => `${r.caseId}: ${r.message}`).join('; ')})`,
        );
        demoExpect(result.verdict.level === 'conformant', 'the verdict is conformant');
        demoExpect(!result.verdict.incomplete, 'the run is complete for its selection');
        const paths = await writeReports(join(ctx.workDir, 'conformance'), result);
        const reread = await loadRunResult(paths.json);
        demoExpect(reread.runId === result.runId, 'run.json reads back against its schema');
        const passed = result.results.filter((r) => r.status === 'passed').length;
        return {
          checks: [
            `${result.results.length} cases against the sandbox operator: ${passed} passed, none failed; verdict conformant`,
            'run.json (schema-checked), report.html and report.pdf written',
          ],
        };
      },
    },
  ];
}
