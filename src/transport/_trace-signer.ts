import { X509Certificate } from 'node:crypto';
import type { TraceSigner } from './trace-types.ts';

/** How much of a request body is searched: the Security header precedes the Body. */
export const _SIGNER_SCAN_BYTES = 256 * 1024;

const BST = /<(?:[\w.-]+:)?BinarySecurityToken\b[^>]*>\s*([A-Za-z0-9+/=\s]+?)\s*<\//;
const HOK =
  /<(?:[\w.-]+:)?SubjectConfirmation\b[\s\S]*?<(?:[\w.-]+:)?X509Certificate\b[^>]*>\s*([A-Za-z0-9+/=\s]+?)\s*<\//;

function _subject(base64: string): string | undefined {
  try {
    const cert = new X509Certificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
    return cert.subject.split('\n').reverse().join(', ');
  } catch {
    return undefined;
  }
}

/**
 * The signer a request claims, from the first bytes of its body (an XML envelope, or the root
 * part of an MTOM package, which comes first): the subject of its WS-Security
 * BinarySecurityToken, else of the holder-of-key certificate of an embedded SAML assertion.
 * A display aid only: nothing here is verified (the receiver verifies).
 */
export function _requestSigner(prefix: Buffer): TraceSigner | undefined {
  if (prefix.length === 0) return undefined;
  const text = prefix.toString('latin1');
  const security = /<(?:[\w.-]+:)?Security\b/.exec(text);
  if (security === null) return undefined;
  const scope = text.slice(security.index);
  const bst = BST.exec(scope);
  const bstSubject = bst === null ? undefined : _subject(bst[1]!);
  if (bstSubject !== undefined) return { subject: bstSubject, source: 'BinarySecurityToken' };
  const hok = HOK.exec(scope);
  const hokSubject = hok === null ? undefined : _subject(hok[1]!);
  return hokSubject === undefined ? undefined : { subject: hokSubject, source: 'holder-of-key' };
}
