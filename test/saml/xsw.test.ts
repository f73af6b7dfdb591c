/**
 * The eight XML Signature Wrapping variants of Somorovsky et al., "On Breaking SAML: Be Whoever
 * You Want to Be" (USENIX Security 2012), §5, applied to the assertion of a holder-of-key
 * message. In the paper the wrapper is the samlp:Response; here it is the wsse:Security header.
 * The attacker legitimately holds the holder-of-key key of an assertion issued to them and wants
 * another CBE number: after each rearrangement the message signature is re-made with their key
 * (and the KeyIdentifier pointed at the evil assertion), so only the assertion checks stand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';
import { verifyAssertion } from '../../src/saml/verify-assertion.ts';
import { verifyHokEnvelope } from '../../src/wss/verify-hok.ts';
import { childElements } from '../../src/xml/dom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import type { Element } from '../../src/xml/node.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { type HokParts, signedHok, tamperHok } from './_fixtures.ts';

const clock = new FrozenClock(TEST_NOW);
const EVIL_CBE = '0999999995';

/** A copy of the signed assertion claiming EVIL_CBE, without its signature, with `id` as AssertionID. */
function evilCopy(p: HokParts, id: string): Element {
  const evil = p.assertion.cloneNode(true) as Element;
  evil.removeChild(childElements(evil).at(-1)!);
  evil.setAttribute('AssertionID', id);
  const values = evil.getElementsByTagNameNS(NS.saml1, 'AttributeValue');
  for (let i = 0; i < values.length; i++) values.item(i)!.firstChild!.nodeValue = EVIL_CBE;
  return evil;
}

/** An unsigned copy of the original assertion (same id, same values). */
function originalCopy(p: HokParts): Element {
  const copy = p.assertion.cloneNode(true) as Element;
  copy.removeChild(childElements(copy).at(-1)!);
  return copy;
}

function pointKeyIdentifier(p: HokParts, id: string): void {
  p.signature.getElementsByTagNameNS(NS.wsse, 'KeyIdentifier').item(0)!.firstChild!.nodeValue = id;
}

function dsObject(p: HokParts, content: Element): Element {
  const object = p.doc.createElementNS(NS.ds, 'ds:Object');
  object.appendChild(content);
  return object;
}

const VARIANTS: readonly { name: string; code: ErrorCode; apply: (p: HokParts) => void }[] = [
  {
    name: 'XSW1: evil assertion with the copied Signature, the signed original moved inside that Signature',
    code: 'ERR_WSS_WRAPPING',
    apply: (p) => {
      const evil = evilCopy(p, '_evil1');
      const sig = childElements(p.assertion).at(-1)!.cloneNode(true) as Element;
      evil.appendChild(sig);
      p.security.replaceChild(evil, p.assertion);
      sig.appendChild(p.assertion);
      pointKeyIdentifier(p, '_evil1');
    },
  },
  {
    name: 'XSW2: evil assertion with the copied Signature, the signed original detached before it',
    code: 'ERR_WSS_WRAPPING',
    apply: (p) => {
      const evil = evilCopy(p, '_evil2');
      const sig = childElements(p.assertion).at(-1)!.cloneNode(true) as Element;
      p.security.replaceChild(evil, p.assertion);
      evil.appendChild(p.assertion);
      evil.appendChild(sig);
      pointKeyIdentifier(p, '_evil2');
    },
  },
  {
    name: 'XSW3: evil assertion with the SAME AssertionID inserted before the signed original',
    code: 'ERR_WSS_DUPLICATE_ID',
    apply: (p) => {
      p.security.insertBefore(evilCopy(p, p.assertion.getAttribute('AssertionID')!), p.assertion);
    },
  },
  {
    name: 'XSW4: evil assertion with the SAME AssertionID wrapping the signed original',
    code: 'ERR_WSS_DUPLICATE_ID',
    apply: (p) => {
      const evil = evilCopy(p, p.assertion.getAttribute('AssertionID')!);
      p.security.replaceChild(evil, p.assertion);
      evil.appendChild(p.assertion);
    },
  },
  {
    name: 'XSW5: the signed assertion edited in place (new id, evil values, keeps its Signature); an unsigned copy of the original appended to Security',
    code: 'ERR_WSS_WRAPPING',
    apply: (p) => {
      const copy = originalCopy(p);
      const evil = evilCopy(p, '_evil5');
      evil.appendChild(childElements(p.assertion).at(-1)!);
      p.security.replaceChild(evil, p.assertion);
      p.security.appendChild(copy);
      pointKeyIdentifier(p, '_evil5');
    },
  },
  {
    name: 'XSW6: as XSW5, the copy of the original placed inside the evil assertion’s Signature',
    code: 'ERR_WSS_WRAPPING',
    apply: (p) => {
      const copy = originalCopy(p);
      const evil = evilCopy(p, '_evil6');
      const sig = childElements(p.assertion).at(-1)!;
      evil.appendChild(sig);
      sig.appendChild(copy);
      p.security.replaceChild(evil, p.assertion);
      pointKeyIdentifier(p, '_evil6');
    },
  },
  {
    name: 'XSW7: as XSW5, the copy of the original inside an extension element of the Security header',
    code: 'ERR_WSS_WRAPPING',
    apply: (p) => {
      const copy = originalCopy(p);
      const evil = evilCopy(p, '_evil7');
      evil.appendChild(childElements(p.assertion).at(-1)!);
      p.security.replaceChild(evil, p.assertion);
      const ext = p.doc.createElementNS('urn:example:extensions', 'ext:Extensions');
      ext.setAttributeNS(NS.xmlns, 'xmlns:ext', 'urn:example:extensions');
      ext.appendChild(copy);
      p.security.insertBefore(ext, evil);
      pointKeyIdentifier(p, '_evil7');
    },
  },
  {
    name: 'XSW8: as XSW5, the copy of the original (signature removed) inside a ds:Object of the evil assertion’s Signature',
    code: 'ERR_WSS_WRAPPING',
    apply: (p) => {
      const copy = originalCopy(p);
      const evil = evilCopy(p, '_evil8');
      const sig = childElements(p.assertion).at(-1)!;
      evil.appendChild(sig);
      sig.appendChild(dsObject(p, copy));
      p.security.replaceChild(evil, p.assertion);
      pointKeyIdentifier(p, '_evil8');
    },
  },
];

for (const variant of VARIANTS) {
  test(`${variant.name}: ${variant.code}`, async () => {
    const { xml, trust, holder } = await signedHok();
    const attack = tamperHok(xml, variant.apply, holder);
    assert.ok(attack.includes(EVIL_CBE));
    assert.throws(
      () => verifyHokEnvelope(attack, { stsTrust: trust, clock }),
      (e) => {
        assert.ok(
          isPasserelleError(e, variant.code),
          `expected ${variant.code}, got ${(e as { code?: string }).code}: ${(e as Error).message}`,
        );
        return true;
      },
    );
    // Second line of defence: the evil assertion alone (what a processor would read) never verifies.
    const doc = parseXml(attack);
    const security = childElements(childElements(doc.documentElement!)[0]!, NS.wsse, 'Security')[0]!;
    const evil = childElements(security, NS.saml1, 'Assertion').find((a) =>
      a.textContent?.includes(EVIL_CBE),
    )!;
    assert.throws(
      () => verifyAssertion(evil, { stsTrust: trust, clock }),
      (e) => isPasserelleError(e),
    );
  });
}

test('control: the untouched message re-signed by the holder still verifies (the attacks fail for the wrapping, not the re-signing)', async () => {
  const { xml, trust, holder } = await signedHok();
  const same = tamperHok(xml, () => {}, holder);
  assert.equal(
    verifyHokEnvelope(same, { stsTrust: trust, clock }).assertion.attributes[0]?.values[0],
    '0123456749',
  );
});
