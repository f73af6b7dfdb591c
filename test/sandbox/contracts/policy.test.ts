/**
 * The security a WSDL contract's operations get on the gateway comes from their WS-Policy:
 * none → TLS only (unsigned request, unsigned reply); X.509 → the strict signature check; SAML
 * → holder-of-key (an X.509 signature is not enough); a policy the reader cannot classify
 * (`unknown`) → checked as X.509, fail closed. The service path is the `soap:address` path of a
 * real URL, or the entry's `path`; two contracts on one path are refused.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { loadSandboxContracts } from '../../../src/sandbox/contracts/index.ts';
import { issueAssertion } from '../../../src/sandbox/sts/_issue-assertion.ts';
import { buildEnvelope } from '../../../src/soap/build-envelope.ts';
import { readWsdl, requestTemplate } from '../../../src/wsdl/index.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { signHokEnvelope } from '../../../src/wss/sign-hok.ts';
import { verifyEnvelope } from '../../../src/wss/verify.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { tempDir } from '../../_support/tmp.ts';
import { rawPost } from '../_raw.ts';
import { assertFault } from '../soa/_hostile.ts';
import { startContractSandbox } from './_start.ts';

const EHEALTH = resolve(import.meta.dirname, '../../../contracts/ehealth');
const WSDL = 'PlatformIntegrationConsumerTest_v1.wsdl';

// A copy whose CheckAccessControl refers to a policy no file defines: `unknown`.
const dir = tempDir({ after }, 'passerelle-policy-');
for (const f of [
  'PlatformIntegrationConsumerTest_protocol_v1.xsd',
  'PlatformIntegrationConsumerTest_types_v1.xsd',
])
  copyFileSync(join(EHEALTH, f), join(dir, f));
const unknownWsdl = join(dir, WSDL);
writeFileSync(
  unknownWsdl,
  readFileSync(join(EHEALTH, WSDL), 'utf8').replace('URI="#X509SignedRequest"', 'URI="#NotInTheseFiles"'),
);

const cs = await startContractSandbox({ after }, [{ file: unknownWsdl, path: '/contracts/consumer-test' }]);
const { sandbox, log, clock } = cs;
const model = await readWsdl(unknownWsdl);
const url = `${sandbox.endpoints['cbss.soap']}/contracts/consumer-test`;
const post = (xml: string) =>
  rawPost(url, xml, { ca: sandbox.pki.ca.certPem, client: sandbox.pki.partner.tls });
const envelope = (operation: string) =>
  buildEnvelope({ header: () => [], body: parseXml(requestTemplate(model, operation)).documentElement! });
const signed = (operation: string) =>
  signEnvelope(envelope(operation), { credential: sandbox.pki.partner.signing, clock });

test('the policies as read, and what the gateway checks', () => {
  const ops = cs.contracts.soap[0]!.operations.map((o) => [o.name, o.policy, o.security]);
  assert.deepEqual(ops, [
    ['CheckConnection', 'none', 'none'],
    ['CheckAccessControl', 'unknown', 'x509'],
    ['CheckBrokeredAccessControl', 'saml', 'saml'],
  ]);
  assert.equal(cs.contracts.soap[0]!.path, '/contracts/consumer-test');
});

test('none: an unsigned request is served, the reply is not signed', async () => {
  const reply = await post(envelope('CheckConnection'));
  assert.equal(reply.status, 200, reply.text.slice(0, 300));
  assert.match(reply.text, /CheckConnectionResponse/);
  assert.doesNotMatch(reply.text, /Security/);
});

test('unknown is checked as X.509: unsigned → SOA-01001, signed → a signed reply', async () => {
  assertFault(await post(envelope('CheckAccessControl')), log, 'SOA-01001', 'ERR_WSS_NO_SECURITY');
  const reply = await post(signed('CheckAccessControl'));
  assert.equal(reply.status, 200, reply.text.slice(0, 300));
  verifyEnvelope(reply.text, {
    trust: [sandbox.pki.platformSigning.certificate],
    clock,
    require: ['body', 'timestamp'],
  });
});

test('saml: holder-of-key with a sandbox STS assertion is served; an X.509 signature alone → SOA-01001', async () => {
  assertFault(await post(signed('CheckBrokeredAccessControl')), log, 'SOA-01001', 'ERR_SAML_INVALID');
  const assertion = issueAssertion({
    signer: sandbox.pki.sts,
    subject: sandbox.pki.partner.signing.certificate,
    attributes: [['urn:be:fgov:kbo-bce:organization:cbe-number', sandbox.pki.partner.cbe]],
    now: clock.now(),
    lifetimeSeconds: 3600,
  });
  const xml = signHokEnvelope(envelope('CheckBrokeredAccessControl'), {
    token: { assertionXml: assertion.xml, assertionId: assertion.assertionId },
    credential: sandbox.pki.partner.signing,
    clock,
  });
  const reply = await post(xml);
  assert.equal(reply.status, 200, reply.text.slice(0, 300));
  verifyEnvelope(reply.text, {
    trust: [sandbox.pki.platformSigning.certificate],
    clock,
    require: ['body', 'timestamp'],
  });
});

test('the path of a real soap:address is used; two contracts on one path are refused', async () => {
  const file = join(EHEALTH, WSDL);
  const contracts = await loadSandboxContracts([{ file }]);
  assert.equal(contracts.soap[0]?.path, '/PlatformIntegrationConsumerTest/v1');
  const error = await rejectsCode(
    loadSandboxContracts([{ file }, { file: unknownWsdl }]),
    'ERR_CONTRACT_INVALID',
  );
  assert.equal(error.details['path'], '/PlatformIntegrationConsumerTest/v1');
});
