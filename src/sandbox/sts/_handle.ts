import { randomBytes, timingSafeEqual, type X509Certificate } from 'node:crypto';
import { isPasserelleError } from '../../errors.ts';
import { CBE_CLAIMS } from '../../saml/constants.ts';
import { decodeXml } from '../../utf8.ts';
import type { ReplayCache } from '../../wss/replay-cache.ts';
import type { VerificationReport } from '../../wss/report.ts';
import { verifyEnvelope } from '../../wss/verify.ts';
import type { Element } from '../../xml/node.ts';
import type { SandboxModuleContext } from '../module.ts';
import { cbeFromCertificate } from './_cbe.ts';
import { issueAssertion } from './_issue-assertion.ts';
import { readStsRequest, StsRefusal } from './_read-request.ts';
import { challengeReply, tokenReply, trustFault } from './_reply.ts';

export interface StsHandlerDeps {
  readonly ctx: SandboxModuleContext;
  readonly lifetimeSeconds: number;
  readonly signChallenge: boolean;
  readonly replayCache: ReplayCache;
  readonly stats: { requests: number; tokensIssued: number; challenges: number; faults: number };
  /** Open challenges by Context. */
  readonly pending: Map<
    string,
    { challenge: string; holder: string; claims: readonly string[]; until: number }
  >;
}

const CHALLENGE_TTL_MS = 5 * 60_000;

function issue(
  deps: StsHandlerDeps,
  context: string | undefined,
  holder: X509Certificate,
  claims: readonly string[],
): string {
  const { ctx } = deps;
  const cbe = cbeFromCertificate(holder);
  if (cbe === undefined)
    throw new StsRefusal('FailedAuthentication', 'the requester certificate carries no CBE number');
  const issued = issueAssertion({
    signer: ctx.pki.sts,
    subject: holder,
    attributes: claims.map((c) => [c, cbe] as const),
    now: ctx.clock.now(),
    lifetimeSeconds: deps.lifetimeSeconds,
  });
  deps.stats.tokensIssued++;
  ctx.log.info(
    { assertionId: issued.assertionId, cbe, notOnOrAfter: new Date(issued.notOnOrAfter).toISOString() },
    'SAML token issued',
  );
  return tokenReply(context, issued.element);
}

/**
 * One STS request: the X.509 signature is verified strictly against the dev CA (Body, Timestamp
 * and BST signed; replay cache); the UseKey must be the signer's certificate; claims must be
 * known. Then a token — or, with `signChallenge`, first a SignChallenge whose signed answer (same
 * Context, same signer) yields the token. Refusals are WS-Trust faults (HTTP 500); the precise
 * reason goes to the sandbox log only.
 */
export function handleStsRequest(
  deps: StsHandlerDeps,
  xml: string | Uint8Array,
  report?: VerificationReport,
): { status: number; body: string; reason?: string } {
  const { ctx, stats } = deps;
  stats.requests++;
  try {
    let signer: X509Certificate;
    let body: Element;
    try {
      const v = verifyEnvelope(typeof xml === 'string' ? xml : decodeXml(xml), {
        trust: [ctx.pki.ca.certificate],
        clock: ctx.clock,
        replayCache: deps.replayCache,
        ...(report === undefined ? {} : { report }),
      });
      signer = v.signer;
      body = v.body;
    } catch (cause) {
      const code = isPasserelleError(cause) ? cause.code : 'error';
      throw new StsRefusal(
        code.startsWith('ERR_XML') || code === 'ERR_WSS_MALFORMED'
          ? 'InvalidRequest'
          : 'FailedAuthentication',
        `request signature: ${code}`,
      );
    }
    const request = readStsRequest(body, CBE_CLAIMS);
    if (request.kind === 'answer') {
      const open = request.context === undefined ? undefined : deps.pending.get(request.context);
      if (!open || request.context === undefined)
        throw new StsRefusal('InvalidRequest', 'no open challenge for this Context');
      deps.pending.delete(request.context);
      const a = Buffer.from(open.challenge);
      const b = Buffer.from(request.challenge);
      if (
        open.until <= ctx.clock.now() ||
        open.holder !== signer.fingerprint256 ||
        a.length !== b.length ||
        !timingSafeEqual(a, b)
      ) {
        throw new StsRefusal('FailedAuthentication', 'the challenge answer does not match');
      }
      return { status: 200, body: issue(deps, request.context, signer, open.claims) };
    }
    if (!request.useKey.raw.equals(signer.raw))
      throw new StsRefusal('FailedAuthentication', 'the UseKey certificate is not the signer certificate');
    if (deps.signChallenge) {
      if (request.context === undefined)
        throw new StsRefusal('InvalidRequest', 'a Context is required to answer a challenge');
      const challenge = randomBytes(24).toString('base64url');
      deps.pending.set(request.context, {
        challenge,
        holder: signer.fingerprint256,
        claims: request.claims,
        until: ctx.clock.now() + CHALLENGE_TTL_MS,
      });
      stats.challenges++;
      return { status: 200, body: challengeReply(request.context, challenge) };
    }
    return { status: 200, body: issue(deps, request.context, signer, request.claims) };
  } catch (error) {
    stats.faults++;
    if (error instanceof StsRefusal) {
      ctx.log.warn({ fault: error.faultCode, reason: error.reason }, 'STS request refused');
      const text =
        error.faultCode === 'FailedAuthentication'
          ? 'The request could not be authenticated'
          : 'The request is invalid';
      return { status: 500, body: trustFault(error.faultCode, text), reason: error.reason };
    }
    ctx.log.error({ reason: String((error as Error)?.message ?? error).slice(0, 200) }, 'STS request failed');
    return { status: 500, body: trustFault('RequestFailed', 'The request failed'), reason: 'internal' };
  }
}
