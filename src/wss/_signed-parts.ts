import { PasserelleError } from '../errors.ts';
import { isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';

/** The elements that a signed part may legitimately be: each exactly one node, found by position. */
export interface ExpectedParts {
  /** THE Body: the Body child of the root Envelope. */
  readonly body: Element;
  /** THE Timestamp: the Timestamp child of THE Security header, if there is one. */
  readonly timestamp: Element | undefined;
  /** THE token: the BinarySecurityToken the KeyInfo names, if any. */
  readonly bst: Element | undefined;
}

const GUARDED: readonly (readonly [string, string, string])[] = [
  [NS.soapenv, 'Body', 'Body'],
  [NS.wsu, 'Timestamp', 'Timestamp'],
  [NS.wsse, 'BinarySecurityToken', 'BinarySecurityToken'],
  [NS.wsse, 'Security', 'Security header'],
  [NS.soapenv, 'Header', 'Header'],
  [NS.saml1, 'Assertion', 'Assertion'],
  [NS.soapenv, 'Envelope', 'Envelope'],
];

/**
 * Names what each reference signed: 'body', 'timestamp', 'bst', or `{ns}local` for another
 * element. A signed Body, Timestamp, BinarySecurityToken (or Security, Header, Assertion) that is
 * not the expected one at its expected place is a signature-wrapping attempt: ERR_WSS_WRAPPING.
 */
export function classifySignedParts(targets: readonly Element[], expected: ExpectedParts): string[] {
  return targets.map((t) => {
    if (t === expected.body) return 'body';
    if (expected.timestamp !== undefined && t === expected.timestamp) return 'timestamp';
    if (expected.bst !== undefined && t === expected.bst) return 'bst';
    const guarded = GUARDED.find(([ns, local]) => isNamed(t, ns, local));
    if (guarded) {
      throw new PasserelleError(
        'ERR_WSS_WRAPPING',
        `A signed ${guarded[2]} is not the one the message uses (signature wrapping)`,
        {
          details: { element: guarded[2] },
        },
      );
    }
    return `{${t.namespaceURI ?? ''}}${t.localName ?? t.nodeName}`;
  });
}
