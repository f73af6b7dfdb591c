import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import type { ErrorCode } from '../../src/errors.ts';
import { ALG } from '../../src/wss/algorithms.ts';
import {
  MemoryReplayCache,
  signEnvelope,
  type VerifyEnvelopeOptions,
  verifyEnvelope,
} from '../../src/wss/index.ts';
import { childElements } from '../../src/xml/dom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import {
  evilBody,
  evilBodyWithSignedId,
  moveBody,
  mutate,
  requestEnvelope,
  resign,
  wrapTimestamp,
} from './_helpers.ts';

const pki = await testPki();
const clock = new FrozenClock(TEST_NOW);
const signed = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
const opts = (extra: Partial<VerifyEnvelopeOptions> = {}): VerifyEnvelopeOptions => ({
  trust: [pki.ca.certificate],
  clock: new FrozenClock(TEST_NOW),
  ...extra,
});

function rejects(xml: string, code: ErrorCode, extra: Partial<VerifyEnvelopeOptions> = {}): void {
  throwsCode(() => verifyEnvelope(xml, opts(extra)), code);
}

test('the untouched envelope verifies (control for every case below)', () => {
  assert.deepEqual(verifyEnvelope(signed, opts()).signedParts, ['timestamp', 'body', 'bst']);
});

test('signed Body moved into the Header, evil Body in its place: ERR_WSS_WRAPPING', () => {
  rejects(
    mutate(signed, (p) => moveBody(p, p.header)),
    'ERR_WSS_WRAPPING',
  );
});

test('signed Body moved into the Security header: ERR_WSS_WRAPPING', () => {
  rejects(
    mutate(signed, (p) => moveBody(p, p.security)),
    'ERR_WSS_WRAPPING',
  );
});

test('signed Body moved into ds:Object of the Signature: ERR_WSS_WRAPPING', () => {
  rejects(
    mutate(signed, (p) => {
      const object = p.doc.createElementNS(NS.ds, 'ds:Object');
      moveBody(p, object);
      p.signature.appendChild(object);
    }),
    'ERR_WSS_WRAPPING',
  );
});

test('an evil Body that copies the signed id: ERR_WSS_DUPLICATE_ID', () => {
  rejects(
    mutate(signed, (p) => moveBody(p, p.header, evilBodyWithSignedId(p))),
    'ERR_WSS_DUPLICATE_ID',
  );
});

test('duplicate ids across attribute kinds (wsu:Id and Id): ERR_WSS_DUPLICATE_ID', () => {
  rejects(
    mutate(signed, (p) => {
      const x = p.doc.createElementNS('urn:x', 'x:Extra');
      x.setAttributeNS(NS.xmlns, 'xmlns:x', 'urn:x');
      x.setAttribute('Id', p.timestamp.getAttributeNS(NS.wsu, 'Id')!);
      p.header.appendChild(x);
    }),
    'ERR_WSS_DUPLICATE_ID',
  );
});

test('wrapped Timestamp (signed one moved into a wrapper, a fresh one in its place): ERR_WSS_WRAPPING', () => {
  rejects(mutate(signed, wrapTimestamp), 'ERR_WSS_WRAPPING');
});

test('timestamp freshness: expired, future and over-long are refused; skew boundaries are exact', () => {
  const expires = TEST_NOW + 300_000;
  verifyEnvelope(signed, opts({ clock: new FrozenClock(expires + 60_000 - 1) }));
  rejects(signed, 'ERR_WSS_TIMESTAMP_EXPIRED', { clock: new FrozenClock(expires + 60_000) });
  rejects(signed, 'ERR_WSS_TIMESTAMP_EXPIRED', { clock: new FrozenClock(expires), maxSkewSeconds: 0 });
  const future = signEnvelope(requestEnvelope(), {
    credential: pki.rsa,
    clock: new FrozenClock(TEST_NOW + 60_001),
  });
  rejects(future, 'ERR_WSS_TIMESTAMP_FUTURE');
  verifyEnvelope(
    signEnvelope(requestEnvelope(), { credential: pki.rsa, clock: new FrozenClock(TEST_NOW + 60_000) }),
    opts(),
  );
  const long = mutate(signed, (p) => {
    const [, exp] = childElements(p.timestamp);
    exp!.firstChild!.nodeValue = new Date(TEST_NOW + 301_000).toISOString();
    resign(p, pki.rsa);
  });
  rejects(long, 'ERR_WSS_TIMESTAMP_TOO_LONG');
  rejects(signed, 'ERR_WSS_TIMESTAMP_TOO_LONG', { maxTtlSeconds: 60 });
});

test('replay of an accepted envelope: ERR_WSS_REPLAY (and accepted again once expired from the cache)', () => {
  const replayCache = new MemoryReplayCache();
  verifyEnvelope(signed, opts({ replayCache }));
  rejects(signed, 'ERR_WSS_REPLAY', { replayCache });
  const other = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
  verifyEnvelope(other, opts({ replayCache }));
  assert.equal(replayCache.size, 2);
});

test('tampered body: ERR_WSS_DIGEST_MISMATCH', () => {
  rejects(signed.replace('>t-1<', '>t-2<'), 'ERR_WSS_DIGEST_MISMATCH');
});

test('a comment inside DigestValue or SignatureValue is never read around: ERR_WSS_MALFORMED', () => {
  for (const name of ['DigestValue', 'SignatureValue']) {
    const xml = mutate(signed, (p) => {
      const el = p.signature.getElementsByTagNameNS(NS.ds, name).item(0)!;
      const text = el.firstChild!.nodeValue!;
      el.firstChild!.nodeValue = text.slice(0, 8);
      el.appendChild(p.doc.createComment('x'));
      el.appendChild(p.doc.createTextNode(text.slice(8)));
    });
    rejects(xml, 'ERR_WSS_MALFORMED');
  }
});

test('two SignedInfo: ERR_WSS_MALFORMED; two Signatures: ERR_WSS_MULTIPLE_SIGNATURES', () => {
  rejects(
    mutate(signed, (p) => p.signature.insertBefore(p.signedInfo.cloneNode(true), p.signedInfo)),
    'ERR_WSS_MALFORMED',
  );
  const twice = mutate(signed, (p) => {
    const copy = p.signature.cloneNode(true) as typeof p.signature;
    copy.removeAttribute('Id');
    childElements(copy, NS.ds, 'KeyInfo')[0]!.removeAttribute('Id');
    p.security.appendChild(copy);
  });
  rejects(twice.replace(/ wsu:Id="STR-[^"]+"/, ''), 'ERR_WSS_MULTIPLE_SIGNATURES');
});

test('SHA-1 digest, RSA-SHA1, HMAC, inclusive c14n, XPath transform: ERR_WSS_ALG_NOT_ALLOWED', () => {
  const set = (localName: string, value: string, index = 0) =>
    mutate(signed, (p) =>
      p.signedInfo.getElementsByTagNameNS(NS.ds, localName).item(index)!.setAttribute('Algorithm', value),
    );
  rejects(set('DigestMethod', 'http://www.w3.org/2000/09/xmldsig#sha1'), 'ERR_WSS_ALG_NOT_ALLOWED');
  rejects(set('SignatureMethod', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'), 'ERR_WSS_ALG_NOT_ALLOWED');
  rejects(set('SignatureMethod', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1'), 'ERR_WSS_ALG_NOT_ALLOWED');
  rejects(set('SignatureMethod', 'http://www.w3.org/2000/09/xmldsig#dsa-sha1'), 'ERR_WSS_ALG_NOT_ALLOWED');
  rejects(
    set('CanonicalizationMethod', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'),
    'ERR_WSS_ALG_NOT_ALLOWED',
  );
  rejects(set('Transform', 'http://www.w3.org/TR/1999/REC-xpath-19991116', 1), 'ERR_WSS_ALG_NOT_ALLOWED');
  rejects(set('Transform', ALG.envelopedSignature, 1), 'ERR_WSS_ALG_NOT_ALLOWED');
  rejects(signed, 'ERR_WSS_ALG_NOT_ALLOWED', { allowedAlgorithms: { signature: [ALG.rsaSha512] } });
});

test('an RSA algorithm claimed for an EC signer: ERR_WSS_ALG_NOT_ALLOWED', () => {
  const ec = signEnvelope(requestEnvelope(), { credential: pki.ec, clock });
  rejects(
    mutate(ec, (p) =>
      p.signedInfo
        .getElementsByTagNameNS(NS.ds, 'SignatureMethod')
        .item(0)!
        .setAttribute('Algorithm', ALG.rsaSha256),
    ),
    'ERR_WSS_ALG_NOT_ALLOWED',
  );
});

test('untrusted signer (rogue CA), even if it signs correctly: ERR_WSS_UNTRUSTED_SIGNER', () => {
  rejects(signEnvelope(requestEnvelope(), { credential: pki.rogue, clock }), 'ERR_WSS_UNTRUSTED_SIGNER');
  rejects(signed, 'ERR_WSS_UNTRUSTED_SIGNER', { trust: [pki.rogueCa.certificate] });
});

test('swapped BST (another trusted certificate): ERR_WSS_SIGNATURE_INVALID', async () => {
  const other = await pki.issue({
    subject: 'C=BE, O=Passerelle Test, CN=urn:be:test:app:other',
    usage: 'tls-client-signing',
  });
  rejects(
    mutate(signed, (p) => {
      p.bst.firstChild!.nodeValue = other.certificate.raw.toString('base64');
    }),
    'ERR_WSS_SIGNATURE_INVALID',
  );
  rejects(
    mutate(signed, (p) => {
      p.bst.firstChild!.nodeValue = pki.ec.certificate.raw.toString('base64');
    }),
    'ERR_WSS_ALG_NOT_ALLOWED',
  );
});

test('BST referenced from outside the Security header: ERR_WSS_WRAPPING', () => {
  const moved = mutate(signed, (p) => {
    p.bst.setAttributeNS(NS.xmlns, 'xmlns:wsse', NS.wsse);
    p.bst.setAttributeNS(NS.xmlns, 'xmlns:wsu', NS.wsu);
    p.header.appendChild(p.bst);
  });
  rejects(moved, 'ERR_WSS_WRAPPING');
});

test('no signature, no Security header: ERR_WSS_NO_SIGNATURE, ERR_WSS_NO_SECURITY', () => {
  rejects(
    mutate(signed, (p) => p.security.removeChild(p.signature)),
    'ERR_WSS_NO_SIGNATURE',
  );
  rejects(
    mutate(signed, (p) => p.header.removeChild(p.security)),
    'ERR_WSS_NO_SECURITY',
  );
  rejects(requestEnvelope(), 'ERR_WSS_NO_SECURITY');
});

test('unsigned Body, unsigned BST, unsigned Timestamp (re-signed without them): ERR_WSS_PART_NOT_SIGNED', () => {
  for (const [index, part] of [
    [1, 'body'],
    [2, 'bst'],
    [0, 'timestamp'],
  ] as const) {
    const xml = mutate(signed, (p) => {
      p.signedInfo.removeChild(p.signedInfo.getElementsByTagNameNS(NS.ds, 'Reference').item(index)!);
      resign(p, pki.rsa);
    });
    rejects(xml, 'ERR_WSS_PART_NOT_SIGNED');
    verifyEnvelope(xml, opts({ require: (['body', 'timestamp', 'bst'] as const).filter((x) => x !== part) }));
  }
});

test('DOCTYPE, internal entities, XXE, billion laughs: ERR_XML_DOCTYPE before any entity is read', () => {
  const body = signed.slice(signed.indexOf('<soapenv:Envelope'));
  rejects(`<!DOCTYPE soapenv:Envelope>${body}`, 'ERR_XML_DOCTYPE');
  rejects(
    `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${body.replace('t-1', '&xxe;')}`,
    'ERR_XML_DOCTYPE',
  );
  const lol = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`;
  rejects(`${lol}${body.replace('t-1', '&lol3;')}`, 'ERR_XML_DOCTYPE');
  rejects(body.replace('t-1', '&xxe;'), 'ERR_XML_MALFORMED');
});

test('two roots and processing instructions: ERR_XML_MULTIPLE_ROOTS, ERR_XML_PROCESSING_INSTRUCTION', () => {
  rejects(`${signed}${signed}`, 'ERR_XML_MULTIPLE_ROOTS');
  rejects(`${signed}<x/>`, 'ERR_XML_MULTIPLE_ROOTS');
  rejects(`<?xml-stylesheet href="x"?>${signed}`, 'ERR_XML_PROCESSING_INSTRUCTION');
});

test('a second Security header for us: ERR_WSS_MULTIPLE_SECURITY; one for another actor is left alone', () => {
  const second = (actor?: string) =>
    mutate(signed, (p) => {
      const s = p.doc.createElementNS(NS.wsse, 'wsse:Security');
      s.setAttributeNS(NS.xmlns, 'xmlns:wsse', NS.wsse);
      if (actor) s.setAttributeNS(NS.soapenv, 'soapenv:actor', actor);
      p.header.insertBefore(s, p.security);
    });
  rejects(second(), 'ERR_WSS_MULTIPLE_SECURITY');
  rejects(second('http://schemas.xmlsoap.org/soap/actor/next'), 'ERR_WSS_MULTIPLE_SECURITY');
  verifyEnvelope(second('urn:some:intermediary'), opts());
});

test('external, empty, XPointer and dangling reference URIs: ERR_WSS_REFERENCE_INVALID', () => {
  const uri = (value: string) =>
    mutate(signed, (p) =>
      p.signedInfo.getElementsByTagNameNS(NS.ds, 'Reference').item(1)!.setAttribute('URI', value),
    );
  for (const value of [
    'http://evil.example/body.xml',
    '',
    '#xpointer(/)',
    "#xpointer(id('x'))",
    '#does-not-exist',
    'file:///etc/passwd',
  ]) {
    rejects(uri(value), 'ERR_WSS_REFERENCE_INVALID');
  }
  rejects(
    mutate(signed, (p) =>
      p.signedInfo.getElementsByTagNameNS(NS.ds, 'Reference').item(1)!.removeAttribute('URI'),
    ),
    'ERR_WSS_REFERENCE_INVALID',
  );
});

test('two references to one element: ERR_WSS_REFERENCE_INVALID', () => {
  rejects(
    mutate(signed, (p) => {
      const refs = p.signedInfo.getElementsByTagNameNS(NS.ds, 'Reference');
      refs.item(2)!.setAttribute('URI', refs.item(1)!.getAttribute('URI')!);
      resign(p, pki.rsa);
    }),
    'ERR_WSS_REFERENCE_INVALID',
  );
});

test('a Body that is not SOAP 1.1 shaped: ERR_WSS_MALFORMED', () => {
  rejects(
    mutate(signed, (p) => p.envelope.appendChild(evilBody(p))),
    'ERR_WSS_MALFORMED',
  );
  rejects(
    signed.replaceAll('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'),
    'ERR_WSS_MALFORMED',
  );
});

test('a Timestamp date that is not a strict UTC xs:dateTime (impossible day or time, offset, lower-case z): ERR_WSS_MALFORMED', () => {
  for (const created of [
    '2026-06-31T10:00:00Z',
    '2026-06-15T24:00:01Z',
    '2026-06-15T12:00:00+02:00',
    '2026-06-15T10:00:00z',
    '2026-06-15T10:00:00',
  ]) {
    const xml = mutate(signed, (p) => {
      const [c] = childElements(p.timestamp);
      c!.firstChild!.nodeValue = created;
      resign(p, pki.rsa);
    });
    rejects(xml, 'ERR_WSS_MALFORMED');
  }
});
