import { subjectDn } from '../../pki/dn.ts';
import { readAssertion } from '../../saml/read-assertion.ts';
import { verifyAssertion } from '../../saml/verify-assertion.ts';
import { checkBrokeredAccessControl } from '../../services/ehealth/check-brokered-access-control.ts';
import { buildEnvelope } from '../../soap/build-envelope.ts';
import { createStsSession, type StsSession } from '../../sts/create-sts-session.ts';
import type { StsToken } from '../../sts/types.ts';
import { signHokEnvelope } from '../../wss/sign-hok.ts';
import { verifyHokEnvelope } from '../../wss/verify-hok.ts';
import { parseXml } from '../../xml/parse.ts';
import { demoExpect } from '../_expect.ts';
import { withDemoServices } from '../_services.ts';
import type { DemoContext, DemoStep } from '../step.ts';

const stsRequests = (ctx: DemoContext): number => ctx.sandbox.modules['sts']?.stats?.()['requests'] ?? 0;

/**
 * Flow "STS and SAML holder-of-key" (issue 4): a token from the sandbox STS over mutual TLS, its
 * reuse from the cache without a second STS request, then checkBrokeredAccessControl signed with
 * the holder-of-key key (verified locally with verifyHokEnvelope when no gateway serves it).
 */
export function stsSteps(): DemoStep[] {
  let session: StsSession | undefined;
  let token: StsToken | undefined;
  return [
    {
      id: 'sts.token',
      title: 'Get a SAML 1.1 holder-of-key token from the STS (WS-Trust, signed RST, mutual TLS)',
      async run(ctx) {
        demoExpect(ctx.sandbox.modules['sts'], 'the sandbox runs the sts module');
        session = await createStsSession(ctx.environment, {
          clock: ctx.clock,
          processEnv: {},
          stateDir: ctx.workDir,
        });
        const before = stsRequests(ctx);
        const got = await session.token().catch(async (error: unknown) => {
          await session?.close();
          throw error;
        });
        token = got.token;
        demoExpect(got.source === 'sts' && stsRequests(ctx) === before + 1, 'one STS request was made');
        const v = verifyAssertion(parseXml(token.assertionXml).documentElement!, {
          stsTrust: [ctx.sandbox.pki.sts.certificate],
          clock: ctx.clock,
        });
        demoExpect(
          v.confirmationCertificate.raw.equals(session.credential.certificate.raw),
          'the token confirms the holder-of-key certificate',
        );
        const cbe = v.attributes.find((a) => a.name === 'urn:be:fgov:kbo-bce:organization:cbe-number')
          ?.values[0];
        demoExpect(cbe === ctx.sandbox.pki.partner.cbe, 'the CBE attribute is the partner CBE');
        return {
          checks: [
            `AssertionID ${token.assertionId}, issuer ${token.issuer}`,
            'the assertion signature verifies against the sandbox STS certificate only',
            `valid ${token.notBefore.toISOString()} → ${token.notOnOrAfter.toISOString()}`,
            `CBE attribute ${cbe}; holder-of-key = the partner certificate`,
          ],
        };
      },
    },
    {
      id: 'sts.cached',
      title: 'The token is reused from the cache: no second STS request',
      dependsOn: ['sts.token'],
      async run(ctx) {
        demoExpect(session && token, 'a session from the previous step');
        const before = stsRequests(ctx);
        const again = await Promise.all([session.token(), session.token(), session.token()]);
        demoExpect(
          again.every((g) => g.source === 'memory' && g.token.assertionId === token?.assertionId),
          'the same token came from memory',
        );
        demoExpect(stsRequests(ctx) === before, 'the STS saw no request');
        const other = await createStsSession(ctx.environment, {
          clock: ctx.clock,
          processEnv: {},
          stateDir: ctx.workDir,
        });
        try {
          const fromFile = await other.token();
          demoExpect(
            fromFile.source === 'file' && stsRequests(ctx) === before,
            'a new session reuses the persisted token',
          );
        } finally {
          await other.close();
        }
        return {
          checks: [
            '3 more uses: same AssertionID, 0 STS requests',
            'a second session (another CLI run) reads it from the 0600 token file',
          ],
        };
      },
    },
    {
      id: 'sts.brokered',
      title:
        'checkBrokeredAccessControl signed with the holder-of-key key, the assertion embedded byte-exact',
      dependsOn: ['sts.token'],
      async run(ctx) {
        demoExpect(session && token, 'a session from the first step');
        const s = session;
        try {
          if (ctx.sandbox.modules['soa'] === undefined) {
            const envelope = buildEnvelope({
              header: () => [],
              namespaces: { d: 'urn:demo' },
              body: (doc) => doc.createElementNS('urn:demo', 'd:Ping'),
            });
            const signed = signHokEnvelope(envelope, { token, credential: s.credential, clock: ctx.clock });
            demoExpect(signed.includes(token.assertionXml), 'the assertion bytes are embedded unchanged');
            const v = verifyHokEnvelope(signed, {
              stsTrust: [ctx.sandbox.pki.sts.certificate],
              clock: ctx.clock,
            });
            return {
              checks: [
                'no soa gateway: verified locally with verifyHokEnvelope',
                `signer ${subjectDn(v.signer)}`,
              ],
            };
          }
          const assertionXml = token.assertionXml;
          return await withDemoServices(ctx, async (services) => {
            const before = stsRequests(ctx);
            const result = await checkBrokeredAccessControl(services, 'Hello World', {
              hok: { credential: s.credential, token: s.token },
            });
            demoExpect(result.message === 'Hello World', 'the message is echoed');
            demoExpect(
              result.authenticatedConsumer !== undefined,
              'the gateway names the authenticated consumer',
            );
            demoExpect(stsRequests(ctx) === before, 'the cached token was used');
            return {
              checks: [
                `authenticated as ${result.authenticatedConsumer}`,
                `assertion ${readAssertion(parseXml(assertionXml).documentElement!).assertionId} reused, no STS request`,
                'the reply signature verifies against the platform signing certificate',
              ],
            };
          });
        } finally {
          await s.close();
        }
      },
    },
  ];
}
