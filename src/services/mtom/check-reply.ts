import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../../errors.ts';
import type { MtomCallReply } from '../../soap/mtom/mtom-call.ts';
import type { XopBase64Form } from '../../wss/mtom.ts';
import { type MtomVerification, verifyMtomEnvelope } from '../../wss/mtom-verify.ts';
import { childElements } from '../../xml/dom.ts';
import { NS } from '../../xml/namespaces.ts';
import type { Element } from '../../xml/node.ts';
import { _replyTrust } from '../_reply-trust.ts';
import type { ServiceContext } from '../service-context.ts';

export interface CheckedMtomReply {
  readonly body: Element;
  readonly signer: X509Certificate | undefined;
  /** Present when the reply was signed: feeds the attachments into the Body digest. */
  readonly verification: MtomVerification | undefined;
}

/**
 * Verifies a reply as `_soaCall` does (signed replies required unless the context says
 * `optional`), with the MTOM rule: attachments count in the Body digest, checked by the caller
 * through `verification.digestStream` and `complete()`.
 */
export function checkMtomReply(
  ctx: ServiceContext,
  reply: MtomCallReply,
  xopBase64: XopBase64Form,
): CheckedMtomReply {
  const header = reply.envelope.header;
  const signed = header !== undefined && childElements(header, NS.wsse, 'Security').length > 0;
  if (!signed) {
    if (ctx.replySignature === 'required') {
      throw new PasserelleError('ERR_WSS_NO_SECURITY', 'The reply to a signed call is not signed', {
        hint: 'Replies are required to be signed by the platform; create the context with replySignature "optional" if this one does not sign them.',
      });
    }
    return { body: reply.envelope.body, signer: undefined, verification: undefined };
  }
  const trust = _replyTrust(ctx);
  const verification = verifyMtomEnvelope(reply.xml, {
    trust,
    clock: ctx.clock,
    require: ['body', 'timestamp'],
    replayCache: ctx.replayCache,
    xopBase64,
  });
  return { body: verification.envelope.body, signer: verification.envelope.signer, verification };
}
