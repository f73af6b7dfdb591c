import type { ReplayCache } from '../../wss/replay-cache.ts';
import { verifyHokEnvelope } from '../../wss/verify-hok.ts';
import type { BrokeredVerifier } from './_brokered.ts';

/**
 * The default checkBrokeredAccessControl verifier: SAML 1.1 holder-of-key (PROTOCOLS.md §4)
 * through `verifyHokEnvelope`, trusting only assertions signed by the sandbox STS key, with the
 * gateway's replay cache. The authenticated consumer is the assertion's subject.
 */
export function _hokVerifier(replayCache: ReplayCache): BrokeredVerifier {
  return (envelope, { pki, clock, report }) => {
    const verified = verifyHokEnvelope(envelope, {
      stsTrust: [pki.sts.certificate],
      clock,
      replayCache,
      ...(report === undefined ? {} : { report }),
    });
    return { consumer: verified.assertion.subject, body: verified.body };
  };
}
