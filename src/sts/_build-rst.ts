import { randomUUID } from 'node:crypto';
import type { Credential } from '../pki/credential.ts';
import { buildEnvelope } from '../soap/build-envelope.ts';
import { WSS_TOKEN } from '../wss/algorithms.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';
import { WST } from './constants.ts';

function wst(
  doc: Document,
  name: string,
  content?: string | Element[],
  attrs: Record<string, string> = {},
): Element {
  const el = doc.createElementNS(WST.ns, `wst:${name}`);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (typeof content === 'string') el.appendChild(doc.createTextNode(content));
  else for (const c of content ?? []) el.appendChild(c);
  return el;
}

/** A fresh RST Context, shaped like the platform's example ("RC-" + UUID). */
export const newContext = (): string => `RC-${randomUUID()}`;

/**
 * The unsigned WS-Trust Issue request of PROTOCOLS.md §4, built on a DOM: TokenType SAMLV1.1,
 * RequestType Issue, Claims (authclaims dialect, one auth:ClaimType Uri per claim), KeyType
 * PublicKey and UseKey = the holder-of-key certificate as a BinarySecurityToken (X509v3).
 */
export function buildRstEnvelope(holder: Credential, claims: readonly string[], context: string): string {
  return buildEnvelope({
    header: () => [],
    body: (doc) => {
      const claimsEl = wst(doc, 'Claims', [], { Dialect: WST.claimsDialect });
      for (const uri of claims) {
        const c = doc.createElementNS(WST.authNs, 'auth:ClaimType');
        c.setAttribute('Uri', uri);
        claimsEl.appendChild(c);
      }
      const bst = doc.createElementNS(NS.wsse, 'wsse:BinarySecurityToken');
      bst.setAttributeNS(NS.xmlns, 'xmlns:wsse', NS.wsse);
      bst.setAttribute('EncodingType', WSS_TOKEN.base64Binary);
      bst.setAttribute('ValueType', WSS_TOKEN.x509v3);
      bst.appendChild(doc.createTextNode(holder.certificate.raw.toString('base64')));
      const rst = wst(
        doc,
        'RequestSecurityToken',
        [
          wst(doc, 'TokenType', WST.tokenTypeSaml11),
          wst(doc, 'RequestType', WST.requestIssue),
          claimsEl,
          wst(doc, 'KeyType', WST.keyTypePublicKey),
          wst(doc, 'UseKey', [bst]),
        ],
        { Context: context },
      );
      rst.setAttributeNS(NS.xmlns, 'xmlns:wst', WST.ns);
      rst.setAttributeNS(NS.xmlns, 'xmlns:auth', WST.authNs);
      return rst;
    },
  });
}

/**
 * The requestor's answer to a SignChallenge (WS-Trust 1.3 §8.1-8.2): an RSTR with the same
 * Context holding wst:SignChallengeResponse/wst:Challenge = the challenge text, echoed. The
 * caller signs the envelope (Body covered), which is what proves possession of the key.
 */
export function buildChallengeAnswer(context: string | undefined, challenge: string): string {
  return buildEnvelope({
    header: () => [],
    body: (doc) => {
      const rstr = wst(
        doc,
        'RequestSecurityTokenResponse',
        [wst(doc, 'SignChallengeResponse', [wst(doc, 'Challenge', challenge)])],
        context === undefined ? {} : { Context: context },
      );
      rstr.setAttributeNS(NS.xmlns, 'xmlns:wst', WST.ns);
      return rstr;
    },
  });
}
