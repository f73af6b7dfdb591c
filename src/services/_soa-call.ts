import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { buildEnvelope } from '../soap/build-envelope.ts';
import { soapCall } from '../soap/soap-call.ts';
import type { Transport } from '../transport/types.ts';
import { decodeXml } from '../utf8.ts';
import { signEnvelope } from '../wss/sign.ts';
import { verifyEnvelope } from '../wss/verify.ts';
import { childElements } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';
import { _replyTrust } from './_reply-trust.ts';
import type { ServiceContext } from './service-context.ts';

/** How the request is secured: no WS-Security, the X.509 token profile, or a caller-supplied signer (SAML HOK). */
export type _RequestSecurity =
  | 'none'
  | 'x509'
  | { readonly sign: (envelope: string) => string | Promise<string> };

export interface _SoaCallInput {
  readonly url: string;
  readonly action: string;
  /**
   * Builds the operation's request element (called once per attempt), or — `envelope` — the
   * whole SOAP 1.1 envelope to secure and send (its Body as given).
   */
  readonly body: ((doc: Document) => Element) | { readonly envelope: string };
  readonly security: _RequestSecurity;
  readonly signal?: AbortSignal;
}

export interface _SoaCallResult {
  /** The Body of the reply, taken from the very DOM whose signature was verified. */
  readonly body: Element;
  /** The verified reply signer, when the reply was signed. */
  readonly replySigner: X509Certificate | undefined;
  /** The reply envelope exactly as received (decoded as UTF-8). */
  readonly xml: string;
}

/** A transport that remembers the raw bytes of the last reply, so they can be verified as received. */
function _capture(transport: Transport): { transport: Transport; last: () => Buffer | undefined } {
  let last: Buffer | undefined;
  return {
    transport: {
      post: async (url, options) => {
        const response = await transport.post(url, options);
        last = response.body;
        return response;
      },
      postStream: (url, options) => transport.postStream(url, options),
      request: (url, options) => transport.request(url, options),
      requestStream: (url, options) => transport.requestStream(url, options),
      close: () => transport.close(),
    },
    last: () => last,
  };
}

/**
 * One call of a platform SOAP service: builds the envelope on the DOM, secures it (a fresh
 * signature per attempt), posts it, maps faults to ERR_SOAP_FAULT, then verifies a signed reply
 * against the configured platform signing trust. A signed call whose reply is unsigned fails
 * with ERR_WSS_NO_SECURITY unless the context's reply policy is `optional`.
 */
export async function _soaCall(ctx: ServiceContext, input: _SoaCallInput): Promise<_SoaCallResult> {
  const { security } = input;
  const build = async (): Promise<string> => {
    const { body } = input;
    const xml =
      typeof body === 'function'
        ? buildEnvelope({ header: () => [], body: (doc) => body(doc) })
        : body.envelope;
    if (security === 'none') return xml;
    if (security === 'x509') {
      return signEnvelope(xml, {
        credential: ctx.signingCredential(),
        clock: ctx.clock,
        ttlSeconds: ctx.ttlSeconds,
        inclusiveNamespaces: ctx.inclusiveNamespaces,
      });
    }
    return security.sign(xml);
  };
  if (security === 'x509') ctx.signingCredential();
  const captured = _capture(ctx.transport);
  const parsed = await soapCall(captured.transport, input.url, {
    action: input.action,
    envelope: () => build(),
    ...(ctx.retry === undefined ? {} : { retry: ctx.retry }),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  const signedReply =
    parsed.header !== undefined && childElements(parsed.header, NS.wsse, 'Security').length > 0;
  const mustBeSigned = security !== 'none' && ctx.replySignature === 'required';
  const raw = captured.last();
  if (raw === undefined)
    throw new PasserelleError('ERR_SOAP_UNEXPECTED_RESPONSE', 'The reply body is missing');
  const xml = decodeXml(raw);
  if (!signedReply && !mustBeSigned) return { body: parsed.body, replySigner: undefined, xml };
  const trust = _replyTrust(ctx);
  if (!signedReply) {
    throw new PasserelleError('ERR_WSS_NO_SECURITY', 'The reply to a signed call is not signed', {
      hint: 'Replies are required to be signed by the platform; if this platform does not sign them, create the context with replySignature "optional".',
    });
  }
  const verified = verifyEnvelope(xml, {
    trust,
    clock: ctx.clock,
    require: ['body', 'timestamp'],
    replayCache: ctx.replayCache,
  });
  return { body: verified.body, replySigner: verified.signer, xml };
}
