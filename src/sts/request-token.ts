import { type Clock, systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';
import type { Trust } from '../pki/trust.ts';
import { CBE_CLAIMS } from '../saml/constants.ts';
import { formatSoapAction } from '../soap/soap-action.ts';
import type { Transport } from '../transport/types.ts';
import { signEnvelope } from '../wss/sign.ts';
import { buildChallengeAnswer, buildRstEnvelope, newContext } from './_build-rst.ts';
import { WST } from './constants.ts';
import { decodeStsReply } from './decode-sts-reply.ts';
import { _checkStsTrustOptions, parseRstr } from './parse-rstr.ts';
import type { StsToken } from './types.ts';

export interface RequestTokenOptions {
  /** A mutual-TLS transport (createTransport with the TLS credential and the server CA). */
  readonly transport: Transport;
  /** The STS endpoint (`ehealth.sts`). */
  readonly url: string;
  /** The holder-of-key credential: its certificate is the UseKey, its key signs the request. */
  readonly credential: Credential;
  /** Claim URIs; default the enterprise CBE claims of PROTOCOLS.md §4. */
  readonly claims?: readonly string[];
  /**
   * Who may issue assertions (pinned STS certificates and/or CAs): the issued assertion is
   * verified on receipt. Required, unless `insecureUnverifiedAssertion` is set.
   */
  readonly stsTrust?: Trust;
  /** INSECURE opt-out: accept the assertion unverified. Say so to the user. */
  readonly insecureUnverifiedAssertion?: boolean;
  readonly clock?: Clock;
  /** Challenge rounds answered before giving up; default 1. */
  readonly maxChallenges?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

const XML_TYPE = /^\s*(text|application)\/([\w.-]+\+)?xml\s*(;|$)/i;

/**
 * Gets a SAML 1.1 holder-of-key token from the STS (PROTOCOLS.md §4): posts the RST signed with
 * the X.509 token profile (signEnvelope with the holder-of-key credential) and parses the reply
 * (parseRstr). When the STS answers a WS-Trust SignChallenge, the challenge is echoed in a signed
 * RSTR/SignChallengeResponse with the same Context (up to `maxChallenges` rounds). The assertion
 * is verified against `stsTrust`; without it (and without the explicit opt-out) this is a
 * TypeError before anything is sent. Errors: ERR_PKI_CREDENTIAL_* (the holder-of-key certificate
 * is outside its validity period: nothing is sent), ERR_STS_FAULT (the STS refused),
 * ERR_STS_RESPONSE_INVALID, ERR_SAML_*, ERR_WSS_*, ERR_TRANSPORT_*.
 */
export async function requestToken(options: RequestTokenOptions): Promise<StsToken> {
  const {
    transport,
    url,
    credential,
    claims = CBE_CLAIMS,
    stsTrust,
    clock = systemClock,
    maxChallenges = 1,
    signal,
    logger,
  } = options;
  if (!credential?.certificate) throw new TypeError('requestToken: `credential` is required');
  _checkStsTrustOptions(options, 'requestToken');
  if (claims.length === 0 || !claims.every((c) => typeof c === 'string' && /^[\x21-\x7e]+$/.test(c))) {
    throw new TypeError('requestToken: `claims` must be non-empty URIs');
  }
  const host = new URL(url).host;
  const post = async (envelope: string, action: string) => {
    const signed = signEnvelope(envelope, { credential, clock });
    const res = await transport.post(url, {
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: formatSoapAction(action) },
      body: signed,
      ...(signal === undefined ? {} : { signal }),
    });
    const isXml = XML_TYPE.test(String(res.headers['content-type'] ?? ''));
    if ((res.status < 200 || res.status > 299) && !(res.status === 500 && isXml)) {
      throw new PasserelleError('ERR_TRANSPORT_HTTP_STATUS', `${host} answered HTTP ${res.status}`, {
        details: { status: res.status, host },
      });
    }
    if (!isXml)
      throw new PasserelleError('ERR_STS_RESPONSE_INVALID', `The reply from ${host} is not XML`, {
        details: { status: res.status },
      });
    const result = parseRstr(decodeStsReply(res.body), {
      holder: credential.certificate,
      claims,
      ...(stsTrust === undefined ? {} : { stsTrust }),
      ...(options.insecureUnverifiedAssertion === undefined
        ? {}
        : { insecureUnverifiedAssertion: options.insecureUnverifiedAssertion }),
      clock,
    });
    if (res.status !== 200 && result.kind === 'token')
      throw new PasserelleError('ERR_STS_RESPONSE_INVALID', `A token came with HTTP ${res.status}`);
    return result;
  };
  let result = await post(buildRstEnvelope(credential, claims, newContext()), WST.actionIssue);
  for (let round = 0; result.kind === 'challenge'; round++) {
    if (round >= maxChallenges)
      throw new PasserelleError('ERR_STS_RESPONSE_INVALID', 'The STS keeps challenging the request', {
        details: { rounds: round },
      });
    logger?.debug({ round: round + 1 }, 'STS SignChallenge answered');
    result = await post(buildChallengeAnswer(result.context, result.challenge), WST.actionChallengeAnswer);
  }
  logger?.info(
    { assertionId: result.token.assertionId, notOnOrAfter: result.token.notOnOrAfter.toISOString() },
    'STS token issued',
  );
  return result.token;
}
