import { FrozenClock } from '../../src/clock.ts';
import type { Credential } from '../../src/pki/credential.ts';
import { CBE_CLAIMS } from '../../src/saml/constants.ts';
import { type IssueAssertionOptions, issueAssertion } from '../../src/sandbox/sts/_issue-assertion.ts';
import { signHokEnvelope } from '../../src/wss/sign-hok.ts';
import { childElements } from '../../src/xml/dom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { serializeXml } from '../../src/xml/serialize.ts';
import { fillSignature } from '../../src/xmldsig/sign-core.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';

export const CBE = '0123456749';

let sts: Promise<{ sts: Credential; rogueSts: Credential }> | undefined;

/** The test STS key (pinned as trust) and a second STS key nobody trusts. */
export function stsKeys(): Promise<{ sts: Credential; rogueSts: Credential }> {
  sts ??= (async () => {
    const pki = await testPki();
    const [a, b] = await Promise.all([
      pki.issue({ subject: 'C=BE, O=Passerelle Test, OU=IAM, CN=test STS', usage: 'signing' }),
      pki.issue({
        subject: 'C=BE, O=Passerelle Test, OU=IAM, CN=rogue STS',
        usage: 'signing',
        issuer: pki.rogueCa,
      }),
    ]);
    return { sts: a, rogueSts: b };
  })();
  return sts;
}

/** An assertion issued by the test STS for `holder` (default: the RSA test app), valid around TEST_NOW. */
export async function testAssertion(over: Partial<IssueAssertionOptions> & { holder?: Credential } = {}) {
  const pki = await testPki();
  const { sts: signer } = await stsKeys();
  const holder = over.holder ?? pki.rsa;
  return issueAssertion({
    signer,
    subject: holder.certificate,
    attributes: CBE_CLAIMS.map((c) => [c, CBE] as const),
    now: TEST_NOW,
    lifetimeSeconds: 3600,
    ...over,
  });
}

/** A business request envelope like the platform's example (fixture text). */
export function brokeredRequest(message = 'Hello World'): string {
  return (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:be:fgov:ehealth:platformintegrationconsumertest:v1" xmlns:urn1="urn:be:fgov:ehealth:platformintegrationconsumertest:types:v1">' +
    `<soapenv:Header/><soapenv:Body><urn:CheckBrokeredAccessControlRequest><urn1:Message>${message}</urn1:Message><urn1:Timestamp>2026-06-15T10:00:00.000Z</urn1:Timestamp></urn:CheckBrokeredAccessControlRequest></soapenv:Body></soapenv:Envelope>`
  );
}

/**
 * Re-serialises a signed element with unusual but legal formatting that exclusive c14n erases:
 * single-quoted attributes in reverse order, odd whitespace inside tags, an extra unused
 * namespace declaration on the root, explicit end tags for empty elements, `</name >` end tags
 * and a character reference for the first letter of each text. Whitespace between elements is
 * NOT added (it is content, and would break the digest).
 */
export function oddSerialize(el: import('../../src/xml/node.ts').Element, root = true): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;');
  const attrs: string[] = [];
  for (let i = el.attributes.length - 1; i >= 0; i--) {
    const a = el.attributes.item(i)!;
    attrs.push(`${a.name} =\t'${esc(a.value)}'`);
  }
  if (root) attrs.push(`xmlns:unused-extra = 'urn:example:unused'`);
  let out = `<${el.nodeName}\n  ${attrs.join('\n   ')}  >`;
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) out += oddSerialize(c as import('../../src/xml/node.ts').Element, false);
    else if (c.nodeType === 3) {
      const v = c.nodeValue ?? '';
      out += v.length > 0 ? `&#x${v.charCodeAt(0).toString(16)};${esc(v.slice(1))}` : '';
    }
  }
  return `${out}</${el.nodeName}  >`;
}

export interface HokParts {
  readonly doc: import('../../src/xml/node.ts').Document;
  readonly security: import('../../src/xml/node.ts').Element;
  readonly assertion: import('../../src/xml/node.ts').Element;
  readonly signature: import('../../src/xml/node.ts').Element;
  readonly body: import('../../src/xml/node.ts').Element;
  readonly timestamp: import('../../src/xml/node.ts').Element;
}

/** Parses a HOK envelope, lets `fn` edit the DOM, optionally re-signs the MESSAGE signature with `resign` (the attacker's own HOK key), serialises. */
export function tamperHok(xml: string, fn: (p: HokParts) => void, resign?: Credential): string {
  const doc = parseXml(xml);
  const [, body] = childElements(doc.documentElement!);
  const security = childElements(childElements(doc.documentElement!)[0]!, NS.wsse, 'Security')[0]!;
  const assertion = childElements(security, NS.saml1, 'Assertion')[0]!;
  const signature = childElements(security, NS.ds, 'Signature')[0]!;
  const timestamp = childElements(security, NS.wsu, 'Timestamp')[0]!;
  fn({ doc, security, assertion, signature, body: body!, timestamp });
  if (resign) fillSignature(signature, collectIdsLoose(doc), resign.privateKey);
  return serializeXml(doc);
}

/** Ids by value, first wins (an attacker's document may hold duplicates). */
function collectIdsLoose(
  doc: import('../../src/xml/node.ts').Document,
): Map<string, import('../../src/xml/node.ts').Element> {
  const ids = new Map<string, import('../../src/xml/node.ts').Element>();
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const el = all.item(i)!;
    for (const v of [
      el.getAttributeNS(NS.wsu, 'Id'),
      el.getAttribute('Id'),
      el.getAttribute('AssertionID'),
    ]) {
      if (v && !ids.has(v)) ids.set(v, el);
    }
  }
  return ids;
}

/** A valid HOK-signed request: the RSA test app holds an assertion of the test STS. */
export async function signedHok(over: Partial<IssueAssertionOptions> & { holder?: Credential } = {}) {
  const pki = await testPki();
  const keys = await stsKeys();
  const issued = await testAssertion(over);
  const holder = over.holder ?? pki.rsa;
  const xml = signHokEnvelope(brokeredRequest(), {
    token: { assertionXml: issued.xml, assertionId: issued.assertionId },
    credential: holder,
    clock: new FrozenClock(TEST_NOW),
  });
  return { xml, issued, pki, holder, ...keys, trust: [keys.sts.certificate] };
}
