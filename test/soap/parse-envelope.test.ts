import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';
import { parseEnvelope } from '../../src/soap/parse-envelope.ts';
import { soapVector } from './_vectors.ts';

const ENV = 'xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"';
const rejects = (xml: string, code: ErrorCode) =>
  assert.throws(
    () => parseEnvelope(xml),
    (e: unknown) => isPasserelleError(e, code),
    `${code} expected for ${xml.slice(0, 80)}`,
  );

test('the seed SOA-01001 fault parses into the typed model', () => {
  const parsed = parseEnvelope(soapVector('soa-01001-fault.xml'));
  assert.equal(parsed.header, undefined);
  assert.equal(parsed.body.localName, 'Body');
  assert.deepEqual(parsed.fault, {
    faultcode: 'soapenv:Client',
    faultcodeLocal: 'Client',
    faultstring: 'SOA-01001: Service call not authenticated.',
    actor: undefined,
    soa: {
      kind: 'SystemError',
      id: 'Id-361d9c637de72d01a33bb672',
      origin: 'Consumer',
      code: 'SOA-01001',
      message: 'Service call not authenticated.',
      lang: 'en',
      environment: 'Production',
    },
    cbss: undefined,
  });
});

test('a BusinessError prefers the English message and keeps the actor', () => {
  const { fault, header } = parseEnvelope(Buffer.from(soapVector('business-error-fault.xml')));
  assert.ok(header);
  assert.equal(fault?.soa?.kind, 'BusinessError');
  assert.equal(fault?.soa?.message, 'Service temporarily not available.');
  assert.equal(fault?.soa?.lang, 'en');
  assert.equal(fault?.soa?.environment, 'Acceptation');
  assert.equal(fault?.actor, 'urn:be:fgov:ehealth:platform');
  assert.equal(fault?.faultcodeLocal, 'Server');
});

test('a CBSS fault with several details parses every detail and informationCBSS', () => {
  const { fault } = parseEnvelope(soapVector('cbss-fault.xml'));
  assert.equal(fault?.soa, undefined);
  assert.equal(fault?.cbss?.informationCBSS?.ticketCBSS, '5d8c2f0e-3b1a-4c7e-9f6d-2a4b8c0e1f37');
  assert.deepEqual(
    fault?.cbss?.details.map((d) => [d.severity, d.reasonCode, d.authorCode]),
    [
      ['WARNING', 'MSG00006', 'CBSS'],
      ['FATAL', 'MSG00011', 'CBSS'],
      ['INFORMATION', 'MSG00013', 'CBSS'],
    ],
  );
  assert.equal(fault?.cbss?.details[1]?.diagnostic, 'Invalid SSIN structure');
});

test('a normal reply has no fault; any envelope prefix is accepted', () => {
  const parsed = parseEnvelope(
    `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header/><e:Body><r xmlns="urn:x">1</r></e:Body></e:Envelope>`,
  );
  assert.equal(parsed.fault, undefined);
  assert.equal(parsed.header?.localName, 'Header');
  assert.equal(parsed.body.firstChild?.nodeName, 'r');
  assert.equal(parsed.envelope, parsed.document.documentElement);
});

test('hostile: a DOCTYPE (XXE) is refused with an XML code before parsing', () => {
  rejects(soapVector('hostile-doctype.xml'), 'ERR_XML_DOCTYPE');
  rejects(`<!DOCTYPE s:Envelope><s:Envelope ${ENV}><s:Body/></s:Envelope>`, 'ERR_XML_DOCTYPE');
});

test('hostile: broken XML and processing instructions are refused with XML codes', () => {
  rejects(`<s:Envelope ${ENV}><s:Body></s:Envelope>`, 'ERR_XML_MALFORMED');
  rejects(`<s:Envelope ${ENV}><s:Body><?evil x?></s:Body></s:Envelope>`, 'ERR_XML_PROCESSING_INSTRUCTION');
});

test('not SOAP: another root, a root outside the SOAP 1.1 namespace, SOAP 1.2', () => {
  rejects('<html><body/></html>', 'ERR_SOAP_NOT_SOAP');
  rejects('<Envelope><Body/></Envelope>', 'ERR_SOAP_NOT_SOAP');
  rejects('<s:Envelope xmlns:s="urn:evil"><s:Body/></s:Envelope>', 'ERR_SOAP_NOT_SOAP');
  rejects(
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>',
    'ERR_SOAP_NOT_SOAP',
  );
});

test('no Body: refused with ERR_SOAP_NO_BODY', () => {
  rejects(`<s:Envelope ${ENV}/>`, 'ERR_SOAP_NO_BODY');
  rejects(`<s:Envelope ${ENV}><s:Header/></s:Envelope>`, 'ERR_SOAP_NO_BODY');
  rejects(`<s:Envelope ${ENV}><Body/></s:Envelope>`, 'ERR_SOAP_NO_BODY');
});

test('malformed structure: second Body, Header after Body, trailing elements, text, Fault with siblings', () => {
  rejects(`<s:Envelope ${ENV}><s:Body/><s:Body/></s:Envelope>`, 'ERR_SOAP_MALFORMED');
  rejects(`<s:Envelope ${ENV}><s:Body/><s:Header/></s:Envelope>`, 'ERR_SOAP_MALFORMED');
  rejects(`<s:Envelope ${ENV}><s:Header/><s:Header/><s:Body/></s:Envelope>`, 'ERR_SOAP_MALFORMED');
  rejects(`<s:Envelope ${ENV}><s:Body/><x:y xmlns:x="urn:x"/></s:Envelope>`, 'ERR_SOAP_MALFORMED');
  rejects(`<s:Envelope ${ENV}>text<s:Body/></s:Envelope>`, 'ERR_SOAP_MALFORMED');
  rejects(
    `<s:Envelope ${ENV}><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>x</faultstring></s:Fault><r/></s:Body></s:Envelope>`,
    'ERR_SOAP_MALFORMED',
  );
  rejects(
    `<s:Envelope ${ENV}><s:Body><s:Fault><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>`,
    'ERR_SOAP_MALFORMED',
  );
});

test('received bytes are decoded strictly: invalid UTF-8 is ERR_XML_ENCODING, another declared encoding ERR_XML_UNSUPPORTED_ENCODING', () => {
  const envelope = `<s:Envelope ${ENV}><s:Body><x:R xmlns:x="urn:x">caf\u00e9</x:R></s:Body></s:Envelope>`;
  assert.equal(parseEnvelope(Buffer.from(envelope, 'utf8')).body.textContent, 'café');
  assert.equal(
    parseEnvelope(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(envelope)])).body.textContent,
    'café',
    'one leading BOM is allowed',
  );
  // The regression: the same envelope in Latin-1 used to parse, with U+FFFD in place of the é.
  assert.throws(
    () => parseEnvelope(Buffer.from(envelope, 'latin1')),
    (e: unknown) => isPasserelleError(e, 'ERR_XML_ENCODING'),
  );
  const declared = `<?xml version="1.0" encoding="ISO-8859-1"?>${envelope}`;
  for (const input of [declared, Buffer.from(declared, 'latin1'), Buffer.from(declared, 'utf8')]) {
    assert.throws(
      () => parseEnvelope(input),
      (e: unknown) => isPasserelleError(e, 'ERR_XML_UNSUPPORTED_ENCODING'),
    );
  }
});
