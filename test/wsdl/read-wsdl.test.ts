import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { listOperations } from '../../src/wsdl/list-operations.ts';
import { readWsdl } from '../../src/wsdl/read-wsdl.ts';
import type { WsdlOperationRow } from '../../src/wsdl/types.ts';
import { tempDir } from '../_support/tmp.ts';
import { EBOX_V1, miniWsdl, writeFiles } from './_helpers.ts';

const EBOX_NS = 'http://socialsecurity.be/eboxmessage/v1';
const EBOX_OPERATIONS: readonly [string, string][] = [
  ['publishEboxMessage', 'PublishEboxMessageRequest'],
  ['getEboxInfo', 'GetEboxInfoRequest'],
  ['storeEboxMessage', 'StoreEboxMessageRequest'],
  ['linkEboxMessage', 'LinkEboxMessageRequest'],
  ['commitLinkEboxMessage', 'CommitLinkEboxMessageRequest'],
  ['hasAnEbox', 'HasAnEboxRequest'],
  ['getMessageStatus', 'GetMessageStatusRequest'],
  ['healthCheck', 'HealthCheckRequest'],
];

function eboxRows(suite: string, policyId: string): WsdlOperationRow[] {
  return EBOX_OPERATIONS.map(([operation, element]) => ({
    service: 'EboxMessageService',
    port: 'EboxMessageSOAP11',
    address: 'https://REPLACE_WITH_ACTUAL_URL',
    binding: 'EboxMessageSOAPBinding',
    operation,
    soapAction: operation === 'healthCheck' ? `${EBOX_NS}/healthCheck` : '',
    soapVersion: '1.1',
    style: 'document',
    inputElement:
      operation === 'healthCheck'
        ? { ns: 'http://services.fgov.be/monitoring/v1', name: element }
        : { ns: EBOX_NS, name: element },
    policy: { security: 'x509', algorithmSuite: suite, references: [`#${policyId}`] },
  }));
}

for (const [file, suite, id] of [
  ['EboxMessage_v1.wsdl', 'Basic256', 'X509'],
  ['EboxMessage-X509_v1.wsdl', 'Basic256', 'X509'],
  ['EboxMessage-X509Sha256_v1.wsdl', 'Basic256Sha256', 'X509_SHA256'],
  ['EboxMessageVarA_v1.wsdl', 'Basic256Sha256', 'X509_SHA256'],
] as const) {
  test(`eBox ${file}: eight operations on one SOAP 1.1 port, X.509 policy ${suite}, every XSD read once`, async () => {
    const model = await readWsdl(join(EBOX_V1, file));
    assert.deepEqual(listOperations(model), eboxRows(suite, id));
    assert.deepEqual(
      model.files.map((f) => f.slice(f.indexOf('/soap/') + 6)),
      [
        `be/socialsecurity/eboxmessage/v1/${file}`,
        'be/socialsecurity/eboxmessage/v1/EboxMessage_v1.xsd',
        'be/socialsecurity/eboxmessage/types/v1/EboxMessage_types_v1.xsd',
        'org/ws-i/profiles/basic/1.1/xsd/swaref.xsd',
        'be/socialsecurity/errors/v1/socsec-errors-schema-v1.xsd',
        'org/w3/www/XML/1998/namespace/xml.xsd',
        'be/fgov/services/monitoring/v1/monitoring-v1.xsd',
      ],
    );
    assert.equal(model.targetNamespace, EBOX_NS);
    const [binding] = model.bindings;
    const publish = binding?.operations.find((o) => o.name === 'publishEboxMessage');
    assert.deepEqual(
      publish?.faults.map((f) => [f.name, f.elements.map((e) => e.name)]),
      [
        ['BusinessError', ['BusinessError']],
        ['SystemError', ['SystemError']],
      ],
    );
    assert.equal(publish?.documentation, 'Send a message to an e-Box');
    assert.deepEqual(model.portTypes[0]?.name, { ns: EBOX_NS, name: 'EboxMessagePortType' });
  });
}

async function policyOf(t: { after: (fn: () => void) => void }, wsdl: string) {
  const dir = tempDir(t);
  writeFiles(dir, { 'a.wsdl': wsdl });
  const [row] = listOperations(await readWsdl(join(dir, 'a.wsdl')));
  return row!.policy;
}

const X509_TOKEN = '<sp:X509Token><wsp:Policy><sp:WssX509V3Token10/></wsp:Policy></sp:X509Token>';

test('policy: inline at the binding, X509Token in an AsymmetricBinding → x509 with its suite', async (t) => {
  const policy = await policyOf(
    t,
    miniWsdl({
      bindingExtra: `<wsp:Policy><sp:AsymmetricBinding><wsp:Policy><sp:InitiatorToken><wsp:Policy>${X509_TOKEN}</wsp:Policy></sp:InitiatorToken><sp:AlgorithmSuite><wsp:Policy><sp:Basic128Sha256/></wsp:Policy></sp:AlgorithmSuite></wsp:Policy></sp:AsymmetricBinding></wsp:Policy>`,
    }),
  );
  assert.deepEqual(policy, { security: 'x509', algorithmSuite: 'Basic128Sha256', references: ['inline'] });
});

test('policy: an IssuedToken of a SAML token type (WS-Policy 1.5 reference) → saml, over the X.509 recipient token', async (t) => {
  const policy = await policyOf(
    t,
    miniWsdl({
      head: `<p:Policy xmlns:p="http://www.w3.org/ns/ws-policy" wsu:Id="Saml"><sp:AsymmetricBinding><p:Policy><sp:InitiatorToken><p:Policy><sp:IssuedToken><sp:RequestSecurityTokenTemplate><wst:TokenType xmlns:wst="http://docs.oasis-open.org/ws-sx/ws-trust/200512">http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1</wst:TokenType></sp:RequestSecurityTokenTemplate></sp:IssuedToken></p:Policy></sp:InitiatorToken><sp:RecipientToken><p:Policy>${X509_TOKEN}</p:Policy></sp:RecipientToken></p:Policy></sp:AsymmetricBinding></p:Policy>`,
      inputExtra: '<p:PolicyReference xmlns:p="http://www.w3.org/ns/ws-policy" URI="#Saml"/>',
    }),
  );
  assert.deepEqual(policy, { security: 'saml', algorithmSuite: undefined, references: ['#Saml'] });
});

test('policy: none attached → none; transport binding with an HttpsToken only → none', async (t) => {
  assert.equal((await policyOf(t, miniWsdl())).security, 'none');
  const transport = await policyOf(
    t,
    miniWsdl({
      bindingExtra:
        '<wsp:Policy><sp:TransportBinding><wsp:Policy><sp:TransportToken><wsp:Policy><sp:HttpsToken/></wsp:Policy></sp:TransportToken></wsp:Policy></sp:TransportBinding></wsp:Policy>',
    }),
  );
  assert.equal(transport.security, 'none');
});

test('policy: UsernameToken, disagreeing alternatives and a dangling reference → unknown', async (t) => {
  const username = await policyOf(
    t,
    miniWsdl({
      bindingExtra:
        '<wsp:Policy><sp:SupportingTokens><wsp:Policy><sp:UsernameToken/></wsp:Policy></sp:SupportingTokens></wsp:Policy>',
    }),
  );
  assert.equal(username.security, 'unknown');
  const alternatives = await policyOf(
    t,
    miniWsdl({
      bindingExtra: `<wsp:Policy><wsp:ExactlyOne><wsp:All>${X509_TOKEN}</wsp:All><wsp:All/></wsp:ExactlyOne></wsp:Policy>`,
    }),
  );
  assert.equal(alternatives.security, 'unknown');
  const agreeing = await policyOf(
    t,
    miniWsdl({
      bindingExtra: `<wsp:Policy><wsp:ExactlyOne><wsp:All>${X509_TOKEN}</wsp:All><wsp:All>${X509_TOKEN}</wsp:All></wsp:ExactlyOne></wsp:Policy>`,
    }),
  );
  assert.equal(agreeing.security, 'x509');
  const dangling = await policyOf(t, miniWsdl({ inputExtra: '<wsp:PolicyReference URI="#Nowhere"/>' }));
  assert.deepEqual(dangling, { security: 'unknown', algorithmSuite: undefined, references: ['#Nowhere'] });
});

test('a SOAP 1.2 binding and port are reported as 1.2; non-SOAP bindings are left out', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'a.wsdl': miniWsdl({ soap12: true }) });
  const model = await readWsdl(join(dir, 'a.wsdl'));
  assert.equal(model.bindings[0]?.soapVersion, '1.2');
  assert.equal(model.services[0]?.ports[0]?.soapVersion, '1.2');
  assert.equal(listOperations(model)[0]?.soapVersion, '1.2');

  const http = miniWsdl()
    .replace(
      '<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>',
      '<http:binding xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" verb="POST"/>',
    )
    .replace(
      /<soap:address[^>]*>/,
      '<http:address xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" location="https://x.test"/>',
    );
  writeFiles(dir, { 'http.wsdl': http });
  const httpModel = await readWsdl(join(dir, 'http.wsdl'));
  assert.deepEqual(listOperations(httpModel), []);
  assert.deepEqual(httpModel.services[0]?.ports, []);
});

test('a binding no port uses gives rows without port or address', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'a.wsdl': miniWsdl().replace(/<wsdl:service[\s\S]*<\/wsdl:service>/, '') });
  const [row] = listOperations(await readWsdl(join(dir, 'a.wsdl')));
  assert.equal(row?.service, undefined);
  assert.equal(row?.port, undefined);
  assert.equal(row?.address, undefined);
  assert.equal(row?.binding, 'B');
  assert.deepEqual(row?.inputElement, { ns: 'urn:t', name: 'Req' });
});

test('wsdl:import: the abstract definitions in one file, binding and service in another', async (t) => {
  const dir = tempDir(t);
  const full = miniWsdl();
  const abstract = full.replace(/<wsdl:binding[\s\S]*<\/wsdl:service>/, '');
  const concrete = full.replace(
    /<wsdl:types>[\s\S]*<\/wsdl:portType>/,
    '<wsdl:import namespace="urn:t" location="abstract/a.wsdl"/>',
  );
  writeFiles(dir, { 'abstract/a.wsdl': abstract, 'c.wsdl': concrete });
  const model = await readWsdl(join(dir, 'c.wsdl'));
  assert.equal(model.files.length, 2);
  assert.deepEqual(
    listOperations(model).map((r) => [r.operation, r.port, r.inputElement?.name]),
    [['op', 'P', 'Req']],
  );
});
