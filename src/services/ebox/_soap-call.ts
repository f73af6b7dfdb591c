import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../../errors.ts';
import { buildEnvelope } from '../../soap/build-envelope.ts';
import type { MtomAttachment } from '../../soap/mtom/types.ts';
import { parseEnvelope } from '../../soap/parse-envelope.ts';
import { formatSoapAction } from '../../soap/soap-action.ts';
import { swaCall } from '../../soap/swa/swa-call.ts';
import type { ParsedEnvelope } from '../../soap/types.ts';
import { withRetry } from '../../transport/with-retry.ts';
import { decodeXml } from '../../utf8.ts';
import { signEnvelope } from '../../wss/sign.ts';
import { verifyEnvelope } from '../../wss/verify.ts';
import { childElements } from '../../xml/dom.ts';
import { NS } from '../../xml/namespaces.ts';
import type { Document, Element } from '../../xml/node.ts';
import { _replyTrust } from '../_reply-trust.ts';
import type { ServiceContext } from '../service-context.ts';
import { _eboxFault } from './_soap-fault.ts';

export interface _EboxCallInput {
  readonly url: string;
  readonly action: string;
  /** Builds the operation's request element (once per attempt). */
  readonly body: (doc: Document) => Element;
  /** Sends the request as SOAP with Attachments with this part (swaRef'd from the Body). */
  readonly attachment?: MtomAttachment;
  readonly signal?: AbortSignal;
}

export interface _EboxCallResult {
  /** The reply Body, from the very DOM whose signature was verified. */
  readonly body: Element;
  readonly replySigner: X509Certificate | undefined;
}

const XML_TYPE = /^\s*(text|application)\/([\w.-]+\+)?xml\s*(;|$)/i;

/**
 * One EBoxMessage v1 call: the request built on the DOM, signed with the X.509 token profile (BST,
 * Timestamp and Body signed, per attempt), posted as text/xml or — with an attachment — as SOAP
 * with Attachments; a fault mapped by `_eboxFault`; a signed reply verified against the platform
 * signing trust (an unsigned one is ERR_WSS_NO_SECURITY unless the context's policy is optional).
 */
export async function _eboxCall(ctx: ServiceContext, input: _EboxCallInput): Promise<_EboxCallResult> {
  const { url, action, attachment, signal } = input;
  const credential = ctx.signingCredential();
  const host = new URL(url).host;
  const attempt = async (): Promise<{ xml: string; parsed: ParsedEnvelope }> => {
    const envelope = signEnvelope(buildEnvelope({ header: () => [], body: (doc) => input.body(doc) }), {
      credential,
      clock: ctx.clock,
      ttlSeconds: ctx.ttlSeconds,
      inclusiveNamespaces: ctx.inclusiveNamespaces,
    });
    if (attachment !== undefined) {
      const reply = await swaCall(ctx.transport, url, {
        action,
        envelope,
        attachments: [attachment],
        mapFault: _eboxFault,
        ...(signal === undefined ? {} : { signal }),
      });
      return { xml: reply.xml, parsed: reply.envelope };
    }
    const response = await ctx.transport.post(url, {
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: formatSoapAction(action) },
      body: envelope,
      ...(signal === undefined ? {} : { signal }),
    });
    const isXml = XML_TYPE.test(String(response.headers['content-type'] ?? ''));
    if (!isXml && (response.status < 200 || response.status > 299)) throw _status(response.status, host);
    if (!isXml)
      throw new PasserelleError('ERR_SOAP_UNEXPECTED_RESPONSE', `The reply from ${host} is not XML`, {
        details: { status: response.status },
      });
    const xml = decodeXml(response.body);
    const parsed = parseEnvelope(xml);
    if (parsed.fault !== undefined) throw _eboxFault(parsed, response.status);
    if (response.status < 200 || response.status > 299) throw _status(response.status, host);
    return { xml, parsed };
  };
  const { xml, parsed } = await withRetry(attempt, {
    attempts: 1,
    ...ctx.retry,
    ...(signal === undefined ? {} : { signal }),
  });
  const signed = parsed.header !== undefined && childElements(parsed.header, NS.wsse, 'Security').length > 0;
  if (!signed && ctx.replySignature === 'optional') return { body: parsed.body, replySigner: undefined };
  const trust = _replyTrust(ctx);
  if (!signed) {
    throw new PasserelleError('ERR_WSS_NO_SECURITY', 'The eBox reply to a signed call is not signed', {
      hint: 'Replies are required to be signed by the platform; if this platform does not sign them, create the context with replySignature "optional".',
    });
  }
  const verified = verifyEnvelope(xml, {
    trust,
    clock: ctx.clock,
    require: ['body', 'timestamp'],
    replayCache: ctx.replayCache,
  });
  return { body: verified.body, replySigner: verified.signer };
}

function _status(status: number, host: string): PasserelleError {
  return new PasserelleError('ERR_TRANSPORT_HTTP_STATUS', `${host} answered HTTP ${status}`, {
    details: { status, host },
  });
}
