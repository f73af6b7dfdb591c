import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { issueAssertion } from '../../../src/sandbox/sts/_issue-assertion.ts';
import { parseEnvelope } from '../../../src/soap/parse-envelope.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { signHokEnvelope } from '../../../src/wss/sign-hok.ts';
import { verifyEnvelope } from '../../../src/wss/verify.ts';
import { startSoaSandbox } from '../../services/_sandbox.ts';
import { rawPost } from '../_raw.ts';
import { accessControlEnvelope, assertFault } from './_hostile.ts';

const { sandbox, log, clock } = await startSoaSandbox({ after }, { maxRequestBytes: 64 * 1024 });
const base = sandbox.endpoints['ehealth.soa']!;
const consumerTest = `${base}/PlatformIntegrationConsumerTest/v1`;
const ca = sandbox.pki.ca.certPem;
const client = sandbox.pki.partner.tls;
const post = (url: string, xml: string, contentType?: string) =>
  rawPost(url, xml, { ca, client, ...(contentType ? { contentType } : {}) });
const brokered = accessControlEnvelope('brokered').replaceAll(
  'CheckAccessControlRequest',
  'CheckBrokeredAccessControlRequest',
);

test('the SOA-01001 fault is byte-for-byte the platform format of PROTOCOLS.md §3', async () => {
  const reply = await post(consumerTest, accessControlEnvelope());
  assert.equal(reply.status, 500);
  assert.match(
    reply.text,
    /<soapenv:Fault><faultcode>soapenv:Client<\/faultcode><faultstring>SOA-01001: Service call not authenticated\.<\/faultstring><detail><urn:SystemError Id="Id-[0-9a-f]{24}" xmlns:urn="urn:be:fgov:ehealth:errors:soa:v1"><Origin>Consumer<\/Origin><Code>SOA-01001<\/Code><Message xml:lang="en">Service call not authenticated\.<\/Message><urn:Environment>Sandbox<\/urn:Environment><\/urn:SystemError><\/detail><\/soapenv:Fault>/,
  );
});

test('TestConnectionService requires the X.509 signature: unsigned → SOA-01001 (ERR_WSS_NO_SECURITY)', async () => {
  const unsigned =
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body><v1:sendTestMessageRequest xmlns:v1="http://kszbcss.fgov.be/intf/TestConnectionServiceService/v1"><echo>x</echo></v1:sendTestMessageRequest></soapenv:Body></soapenv:Envelope>';
  assertFault(
    await post(`${base}/TestConnectionServiceService/sendTestMessage`, unsigned),
    log,
    'SOA-01001',
    'ERR_WSS_NO_SECURITY',
  );
});

test('unknown operation → SOA-03005; schema violation → SOA-03006; wrong content type → SOA-03002', async () => {
  const other = accessControlEnvelope().replaceAll('CheckAccessControlRequest', 'DeleteEverythingRequest');
  assertFault(await post(consumerTest, other), log, 'SOA-03005', 'unknown-operation');
  const signedBad = signEnvelope(
    accessControlEnvelope().replace(/<urn1:Timestamp>[^<]*<\/urn1:Timestamp>/, ''),
    {
      credential: sandbox.pki.partner.signing,
      clock,
    },
  );
  assertFault(await post(consumerTest, signedBad), log, 'SOA-03006', 'schema');
  assertFault(
    await post(consumerTest, accessControlEnvelope(), 'application/json'),
    log,
    'SOA-03002',
    'content-type',
  );
  assertFault(
    await post(consumerTest, accessControlEnvelope(), 'application/soap+xml'),
    log,
    'SOA-03002',
    'content-type',
  );
});

test('request size is bounded: HTTP 413 with SOA-03001', async () => {
  const big = accessControlEnvelope('x'.repeat(70 * 1024));
  assertFault(await post(consumerTest, big), log, 'SOA-03001', 'too-large', 413);
});

test('unknown service path → HTTP 404 with SOA-02001; GET ?wsdl → 404; GET → 405', async () => {
  assertFault(
    await post(`${base}/Nope/v1`, accessControlEnvelope()),
    log,
    'SOA-02001',
    'unknown-service',
    404,
  );
  const wsdl = await rawPost(`${consumerTest}?wsdl`, '', { ca, client, method: 'GET' });
  assert.equal(wsdl.status, 404);
  const get = await rawPost(consumerTest, '', { ca, client, method: 'GET' });
  assert.equal(get.status, 405);
});

test('the SSDN role (port 4530) answers SOA-02001: not simulated, do not retry', async () => {
  const reply = await post(`${sandbox.endpoints['cbss.ssdn']}/SSDN/sendXML`, accessControlEnvelope());
  assert.equal(reply.status, 500);
  assert.match(reply.text, /<Code>SOA-02001<\/Code>/);
  assert.match(reply.text, /<faultcode>soapenv:Server<\/faultcode>/);
});

test('checkBrokeredAccessControl signed with the X.509 profile instead of a SAML HOK token → SOA-01001 (ERR_SAML_INVALID)', async () => {
  const reply = await post(
    consumerTest,
    signEnvelope(brokered, { credential: sandbox.pki.partner.signing, clock }),
  );
  assertFault(reply, log, 'SOA-01001', 'ERR_SAML_INVALID');
});

test('checkBrokeredAccessControl with a sandbox STS assertion, signed with the holder key: served, signed reply', async () => {
  const assertion = issueAssertion({
    signer: sandbox.pki.sts,
    subject: sandbox.pki.partner.signing.certificate,
    attributes: [['urn:be:fgov:kbo-bce:organization:cbe-number', sandbox.pki.partner.cbe]],
    now: clock.now(),
    lifetimeSeconds: 3600,
  });
  const xml = signHokEnvelope(brokered, {
    token: { assertionXml: assertion.xml, assertionId: assertion.assertionId },
    credential: sandbox.pki.partner.signing,
    clock,
  });
  const reply = await post(consumerTest, xml);
  assert.equal(reply.status, 200, reply.text);
  assert.match(reply.text, /<urn1:AuthenticatedConsumer>[^<]+<\/urn1:AuthenticatedConsumer>/);
  verifyEnvelope(reply.text, {
    trust: [sandbox.pki.platformSigning.certificate],
    clock,
    require: ['body', 'timestamp'],
  });
  assertFault(await post(consumerTest, xml), log, 'SOA-01001', 'ERR_WSS_REPLAY');
});

test('checkBrokeredAccessControl through the seam: the verifier decides, the reply is signed', async (t) => {
  const seam = await startSoaSandbox(t, {
    brokered: (xml) => ({ consumer: 'urn:stub:hok', body: parseEnvelope(xml).body }),
  });
  const url = `${seam.sandbox.endpoints['ehealth.soa']}/PlatformIntegrationConsumerTest/v1`;
  const reply = await rawPost(url, brokered, {
    ca: seam.sandbox.pki.ca.certPem,
    client: seam.sandbox.pki.partner.tls,
  });
  assert.equal(reply.status, 200, reply.text);
  const verified = verifyEnvelope(reply.text, {
    trust: [seam.sandbox.pki.platformSigning.certificate],
    clock: seam.clock,
    require: ['body', 'timestamp'],
  });
  assert.match(reply.text, /<urn1:AuthenticatedConsumer>urn:stub:hok<\/urn1:AuthenticatedConsumer>/);
  assert.equal(verified.signer.fingerprint256, seam.sandbox.pki.platformSigning.certificate.fingerprint256);
});

test('stats count calls per operation and rejections per reason', () => {
  const stats = sandbox.modules['soa']?.stats?.() ?? {};
  assert.ok((stats['rejected.ERR_WSS_NO_SECURITY'] ?? 0) >= 2);
  assert.ok((stats['faults.SOA-01001'] ?? 0) >= 3);
  assert.ok((stats['rejected.unknown-operation'] ?? 0) >= 1);
  assert.equal(typeof sandbox.info['soa']?.['ssdn'], 'string');
});
