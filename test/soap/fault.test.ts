import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { buildFault } from '../../src/soap/build-fault.ts';
import { faultToError } from '../../src/soap/fault-to-error.ts';
import { SOAP_NAMESPACES } from '../../src/soap/namespaces.ts';
import { parseEnvelope } from '../../src/soap/parse-envelope.ts';
import { SOA_CODES } from '../../src/soap/soa-codes.ts';
import { SoapFaultError } from '../../src/soap/soap-fault-error.ts';
import { soapVector } from './_vectors.ts';

test('the seed SOA-01001 fault maps to a non-retryable ERR_SOAP_FAULT with its codes', () => {
  const error = faultToError(parseEnvelope(soapVector('soa-01001-fault.xml')).fault!, { httpStatus: 500 });
  assert.ok(isPasserelleError(error, 'ERR_SOAP_FAULT'));
  assert.ok(error instanceof SoapFaultError);
  assert.deepEqual(error.details, {
    faultCode: 'soapenv:Client',
    retryable: false,
    soaCode: 'SOA-01001',
    soaKind: 'SystemError',
    soaId: 'Id-361d9c637de72d01a33bb672',
    origin: 'Consumer',
    environment: 'Production',
    httpStatus: 500,
  });
  assert.equal(error.message, 'SOAP fault soapenv:Client: SOA-01001: Service call not authenticated.');
  assert.match(error.hint ?? '', /signature/);
  assert.equal(error.fault.soa?.code, 'SOA-01001');
  assert.equal(error.retryable, false);
});

test('SOA-02002 is retryable, SOA-02001 is not', () => {
  const temp = faultToError(parseEnvelope(soapVector('business-error-fault.xml')).fault!);
  assert.equal(temp.details['soaCode'], 'SOA-02002');
  assert.equal(temp.details['soaKind'], 'BusinessError');
  assert.equal(temp.details['retryable'], true);
  const down = faultToError(
    parseEnvelope(buildFault({ faultcode: 'Server', soa: { code: 'SOA-02001', environment: 'Test' } }))
      .fault!,
  );
  assert.equal(down.details['soaCode'], 'SOA-02001');
  assert.equal(down.details['retryable'], false);
});

test('a CBSS fault maps to the FATAL reason code, with all reason codes and the ticket', () => {
  const error = faultToError(parseEnvelope(soapVector('cbss-fault.xml')).fault!);
  assert.equal(error.details['reasonCode'], 'MSG00011');
  assert.deepEqual(error.details['reasonCodes'], ['MSG00006', 'MSG00011', 'MSG00013']);
  assert.equal(error.details['ticketCBSS'], '5d8c2f0e-3b1a-4c7e-9f6d-2a4b8c0e1f37');
  assert.equal(error.details['retryable'], false);
  assert.equal(error.details['soaCode'], undefined);
  assert.match(error.hint ?? '', /MSG00011/);
  // Diagnostics can echo personal data: they stay in `fault`, out of details.
  assert.ok(!JSON.stringify(error.toJSON()).includes('Invalid SSIN structure'));
});

test('without a detail the SOA code is read from the faultstring prefix', () => {
  const xml = `<s:Envelope xmlns:s="${SOAP_NAMESPACES.envelope}"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>SOA-02002: later</faultstring></s:Fault></s:Body></s:Envelope>`;
  const error = faultToError(parseEnvelope(xml).fault!);
  assert.equal(error.details['soaCode'], 'SOA-02002');
  assert.equal(error.details['retryable'], true);
});

test('buildFault reproduces the seed SOA-01001 fault (same model, same namespaces)', () => {
  const xml = buildFault({
    soa: {
      code: 'SOA-01001',
      id: 'Id-361d9c637de72d01a33bb672',
      origin: 'Consumer',
      environment: 'Production',
    },
  });
  const built = parseEnvelope(xml);
  const seed = parseEnvelope(soapVector('soa-01001-fault.xml'));
  assert.deepEqual(built.fault, seed.fault);
  assert.equal(built.envelope.prefix, 'soapenv');
  const systemError = built.document.getElementsByTagNameNS(SOAP_NAMESPACES.soaErrors, 'SystemError')[0]!;
  assert.equal(systemError.getAttribute('Id'), 'Id-361d9c637de72d01a33bb672');
  const ns = (name: string) => systemError.getElementsByTagName(name)[0]?.namespaceURI ?? null;
  assert.equal(ns('Origin'), null);
  assert.equal(ns('Code'), null);
  assert.equal(ns('Message'), null);
  assert.equal(ns('urn:Environment'), SOAP_NAMESPACES.soaErrors);
  assert.match(xml, /<faultstring>SOA-01001: Service call not authenticated\.<\/faultstring>/);
  assert.match(xml, /<Message xml:lang="en">Service call not authenticated\.<\/Message>/);
});

test('buildFault generates an Id in the platform format and builds CBSS faults', () => {
  const a = parseEnvelope(buildFault({ soa: { code: 'SOA-03002', environment: 'Test' } })).fault!;
  const b = parseEnvelope(buildFault({ soa: { code: 'SOA-03002', environment: 'Test' } })).fault!;
  assert.match(a.soa?.id ?? '', /^Id-[0-9a-f]{24}$/);
  assert.notEqual(a.soa?.id, b.soa?.id);
  assert.equal(a.faultstring, 'SOA-03002: Message must be SOAP.');
  const details = [
    { severity: 'FATAL', reasonCode: 'MSG00008', diagnostic: 'invalid data', authorCode: 'CBSS' },
    { severity: 'WARNING', reasonCode: 'MSG00006', diagnostic: 'replaced', authorCode: 'CBSS' },
  ];
  const cbss = parseEnvelope(
    buildFault({ faultstring: 'Invalid request', cbss: { informationCBSS: { ticketCBSS: 't-1' }, details } }),
  ).fault!;
  assert.deepEqual(cbss.cbss?.details, details);
  assert.equal(cbss.cbss?.informationCBSS?.ticketCBSS, 't-1');
  assert.throws(() => buildFault({}), TypeError);
});

test('SOA_CODES lists SOA-00001 … SOA-03007 with the seed text for SOA-01001', () => {
  assert.deepEqual(Object.keys(SOA_CODES), [
    'SOA-00001',
    'SOA-01001',
    'SOA-01002',
    'SOA-02001',
    'SOA-02002',
    'SOA-03001',
    'SOA-03002',
    'SOA-03003',
    'SOA-03004',
    'SOA-03005',
    'SOA-03006',
    'SOA-03007',
  ]);
  assert.equal(SOA_CODES['SOA-01001'].text, 'Service call not authenticated.');
  assert.deepEqual(
    Object.entries(SOA_CODES)
      .filter(([, v]) => v.retryable)
      .map(([k]) => k),
    ['SOA-02002'],
  );
});
