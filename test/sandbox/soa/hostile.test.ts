import { after, test } from 'node:test';
import { FrozenClock } from '../../../src/clock.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { childElements } from '../../../src/xml/dom.ts';
import { NS } from '../../../src/xml/namespaces.ts';
import type { Element } from '../../../src/xml/node.ts';
import { TEST_NOW, testPki } from '../../_support/credentials.ts';
import { startSoaSandbox } from '../../services/_sandbox.ts';
import {
  evilBodyWithSignedId,
  moveBody,
  mutate,
  type Parts,
  resign,
  wrapTimestamp,
} from '../../wss/_helpers.ts';
import { rawPost } from '../_raw.ts';
import { accessControlEnvelope, assertFault, evilBody } from './_hostile.ts';

const { sandbox, log } = await startSoaSandbox({ after });
const pki = await testPki();
const url = `${sandbox.endpoints['ehealth.soa']}/PlatformIntegrationConsumerTest/v1`;
const ca = sandbox.pki.ca.certPem;
const client = sandbox.pki.partner.tls;
const signer = sandbox.pki.partner.signing;
const post = (xml: string) => rawPost(url, xml, { ca, client });
/** A freshly signed envelope (distinct message, so the replay cache never interferes). */
let n = 0;
const fresh = (at = TEST_NOW, credential = signer) =>
  signEnvelope(accessControlEnvelope(`hello ${n++}`), { credential, clock: new FrozenClock(at) });
const rejected = async (xml: string, reason: string) =>
  assertFault(await post(xml), log, 'SOA-01001', reason);

test('control: a correctly signed envelope is served (200, signed reply)', async () => {
  const reply = await post(fresh());
  if (reply.status !== 200 || !reply.text.includes('AuthenticatedConsumer')) throw new Error(reply.text);
});

test('signed Body moved into the Header, the Security header or ds:Object, evil Body in place: SOA-01001 (ERR_WSS_WRAPPING)', async () => {
  const into = (where: (p: Parts) => Element) => mutate(fresh(), (p) => moveBody(p, where(p), evilBody(p)));
  await rejected(
    into((p) => p.header),
    'ERR_WSS_WRAPPING',
  );
  await rejected(
    into((p) => p.security),
    'ERR_WSS_WRAPPING',
  );
  await rejected(
    into((p) => p.signature.appendChild(p.doc.createElementNS(NS.ds, 'ds:Object')) as Element),
    'ERR_WSS_WRAPPING',
  );
});

test('duplicate wsu:Id (evil Body copies the signed id): SOA-01001 (ERR_WSS_DUPLICATE_ID)', async () => {
  const xml = mutate(fresh(), (p) => moveBody(p, p.header, evilBodyWithSignedId(p, evilBody(p))));
  await rejected(xml, 'ERR_WSS_DUPLICATE_ID');
});

test('wrapped Timestamp: SOA-01001 (ERR_WSS_WRAPPING)', async () => {
  await rejected(mutate(fresh(), wrapTimestamp), 'ERR_WSS_WRAPPING');
});

test('expired, future and over-long timestamps: SOA-01001 (ERR_WSS_TIMESTAMP_*)', async () => {
  await rejected(fresh(TEST_NOW - 10 * 60_000), 'ERR_WSS_TIMESTAMP_EXPIRED');
  await rejected(fresh(TEST_NOW + 5 * 60_000), 'ERR_WSS_TIMESTAMP_FUTURE');
  const long = mutate(fresh(), (p) => {
    const [, expires] = childElements(p.timestamp);
    expires!.firstChild!.nodeValue = new Date(TEST_NOW + 3_600_000).toISOString();
    resign(p, signer);
  });
  await rejected(long, 'ERR_WSS_TIMESTAMP_TOO_LONG');
});

test('replay of an accepted envelope: SOA-01001 (ERR_WSS_REPLAY)', async () => {
  const once = fresh();
  const first = await post(once);
  if (first.status !== 200) throw new Error(first.text);
  await rejected(once, 'ERR_WSS_REPLAY');
});

test('tampered body: SOA-01001 (ERR_WSS_DIGEST_MISMATCH)', async () => {
  const xml = fresh();
  await rejected(xml.replace(/hello \d+/, 'hello evil'), 'ERR_WSS_DIGEST_MISMATCH');
});

test('two SignedInfo: SOA-01001 (ERR_WSS_MALFORMED)', async () => {
  await rejected(
    mutate(fresh(), (p) => p.signature.insertBefore(p.signedInfo.cloneNode(true), p.signedInfo)),
    'ERR_WSS_MALFORMED',
  );
});

test('SHA-1 digest and RSA-SHA1 signature: SOA-01001 (ERR_WSS_ALG_NOT_ALLOWED)', async () => {
  const set = (name: string, value: string) =>
    mutate(fresh(), (p) =>
      p.signedInfo.getElementsByTagNameNS(NS.ds, name).item(0)!.setAttribute('Algorithm', value),
    );
  await rejected(set('DigestMethod', 'http://www.w3.org/2000/09/xmldsig#sha1'), 'ERR_WSS_ALG_NOT_ALLOWED');
  await rejected(
    set('SignatureMethod', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'),
    'ERR_WSS_ALG_NOT_ALLOWED',
  );
});

test('untrusted signer (a certificate of another CA, correctly signed): SOA-01001 (ERR_WSS_UNTRUSTED_SIGNER)', async () => {
  await rejected(fresh(TEST_NOW, pki.rogue), 'ERR_WSS_UNTRUSTED_SIGNER');
});

test('swapped BST (another certificate of the same CA): SOA-01001 (ERR_WSS_SIGNATURE_INVALID)', async () => {
  const xml = mutate(fresh(), (p) => {
    p.bst.firstChild!.nodeValue = sandbox.pki.partner.tls.certificate.raw.toString('base64');
  });
  await rejected(xml, 'ERR_WSS_SIGNATURE_INVALID');
});

test('no signature, no Security header: SOA-01001 (ERR_WSS_NO_SIGNATURE, ERR_WSS_NO_SECURITY)', async () => {
  await rejected(
    mutate(fresh(), (p) => p.security.removeChild(p.signature)),
    'ERR_WSS_NO_SIGNATURE',
  );
  await rejected(accessControlEnvelope(), 'ERR_WSS_NO_SECURITY');
});

test('unsigned Body (re-signed without its reference): SOA-01001 (ERR_WSS_PART_NOT_SIGNED)', async () => {
  const xml = mutate(fresh(), (p) => {
    p.signedInfo.removeChild(p.signedInfo.getElementsByTagNameNS(NS.ds, 'Reference').item(1)!);
    resign(p, signer);
  });
  await rejected(xml, 'ERR_WSS_PART_NOT_SIGNED');
});

test('a second Security header: SOA-01001 (ERR_WSS_MULTIPLE_SECURITY)', async () => {
  const xml = mutate(fresh(), (p) => {
    const second = p.doc.createElementNS(NS.wsse, 'wsse:Security');
    second.setAttributeNS(NS.xmlns, 'xmlns:wsse', NS.wsse);
    p.header.insertBefore(second, p.security);
  });
  await rejected(xml, 'ERR_WSS_MULTIPLE_SECURITY');
});

test('an external reference URI: SOA-01001 (ERR_WSS_REFERENCE_INVALID)', async () => {
  const xml = mutate(fresh(), (p) =>
    p.signedInfo
      .getElementsByTagNameNS(NS.ds, 'Reference')
      .item(1)!
      .setAttribute('URI', 'http://evil.example/body.xml'),
  );
  await rejected(xml, 'ERR_WSS_REFERENCE_INVALID');
});

test('DOCTYPE / XXE and two roots: SOA-03001 (ERR_XML_DOCTYPE, ERR_XML_MULTIPLE_ROOTS)', async () => {
  const signed = fresh();
  const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${signed.replace(/hello \d+/, '&xxe;')}`;
  assertFault(await post(xxe), log, 'SOA-03001', 'ERR_XML_DOCTYPE');
  assertFault(await post(`${signed}<x/>`), log, 'SOA-03001', 'ERR_XML_MULTIPLE_ROOTS');
});

test('not SOAP: SOA-03002; SOAP without Body: SOA-03003', async () => {
  assertFault(await post('<order xmlns="urn:x"><item/></order>'), log, 'SOA-03002', 'ERR_SOAP_NOT_SOAP');
  const noBody =
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/></soapenv:Envelope>';
  assertFault(await post(noBody), log, 'SOA-03003', 'ERR_SOAP_NO_BODY');
});

test('regression: invalid UTF-8 standing in for a signed U+FFFD is SOA-03001 (ERR_XML_ENCODING), not decoded into the signed text', async () => {
  const xml = signEnvelope(accessControlEnvelope(`hello \ufffd ${n++}`), {
    credential: signer,
    clock: new FrozenClock(TEST_NOW),
  });
  const signed = Buffer.from(xml, 'utf8');
  // The signature covers U+FFFD (EF BF BD); on the wire a lone 0xFF stands in for it: a lossy
  // decoder reads both as U+FFFD, so the signature would verify over bytes that were never signed.
  const at = signed.indexOf(Buffer.from([0xef, 0xbf, 0xbd]));
  if (at < 0) throw new Error('fixture: no U+FFFD');
  const wire = Buffer.concat([signed.subarray(0, at), Buffer.from([0xff]), signed.subarray(at + 3)]);
  assertFault(await rawPost(url, wire, { ca, client }), log, 'SOA-03001', 'ERR_XML_ENCODING');
  const latin1 = `<?xml version="1.0" encoding="ISO-8859-1"?>${fresh()}`;
  assertFault(await post(latin1), log, 'SOA-03001', 'ERR_XML_UNSUPPORTED_ENCODING');
});
