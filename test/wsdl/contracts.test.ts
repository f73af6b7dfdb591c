/**
 * The project's contracts (contracts/) describe exactly what its clients send and its sandbox
 * serves: the same operations and SOAPActions, requests of the same names and namespaces, and
 * sandbox replies valid against the contract schemas (xmllint).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import type { SandboxModuleContext } from '../../src/sandbox/module.ts';
import { _operations } from '../../src/sandbox/soa/_operations.ts';
import { testConnection } from '../../src/services/cbss/test-connection.ts';
import { checkAccessControl } from '../../src/services/ehealth/check-access-control.ts';
import { checkConnection } from '../../src/services/ehealth/check-connection.ts';
import { SOAP_ACTIONS } from '../../src/services/namespaces.ts';
import type { ServiceContext } from '../../src/services/service-context.ts';
import { parseEnvelope } from '../../src/soap/parse-envelope.ts';
import type { Transport } from '../../src/transport/types.ts';
import { listOperations } from '../../src/wsdl/list-operations.ts';
import { readWsdl } from '../../src/wsdl/read-wsdl.ts';
import { requestTemplate } from '../../src/wsdl/request-template.ts';
import { MemoryReplayCache } from '../../src/wss/replay-cache.ts';
import { childElements } from '../../src/xml/dom.ts';
import type { Element } from '../../src/xml/node.ts';
import { createDocument } from '../../src/xml/node.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { serializeXml } from '../../src/xml/serialize.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { CONTRACTS, shape } from './_helpers.ts';

const CBSS_WSDL = join(CONTRACTS, 'cbss/TestConnectionService_v1.wsdl');
const CBSS_XSD = join(CONTRACTS, 'cbss/TestConnectionService_v1.xsd');
const EHEALTH_WSDL = join(CONTRACTS, 'ehealth/PlatformIntegrationConsumerTest_v1.wsdl');
const EHEALTH_XSD = join(CONTRACTS, 'ehealth/PlatformIntegrationConsumerTest_protocol_v1.xsd');
const CBSS_NS = 'http://kszbcss.fgov.be/intf/TestConnectionServiceService/v1';
const PICT_NS = 'urn:be:fgov:ehealth:platformintegrationconsumertest:v1';
const NOW_ISO = new Date(TEST_NOW).toISOString();

const cbss = await readWsdl(CBSS_WSDL);
const ehealth = await readWsdl(EHEALTH_WSDL);
const pki = await testPki();

test('TestConnectionService contract: one operation, its SOAPAction, acceptance address, X.509 Basic256Sha256', () => {
  assert.deepEqual(listOperations(cbss), [
    {
      service: 'TestConnectionServiceService',
      port: 'TestConnectionServicePort',
      address: 'https://b2b-acpt.ksz-bcss.fgov.be:4520/TestConnectionServiceService/sendTestMessage',
      binding: 'TestConnectionServiceSOAP11Binding',
      operation: 'sendTestMessage',
      soapAction: SOAP_ACTIONS.sendTestMessage,
      soapVersion: '1.1',
      style: 'document',
      inputElement: { ns: CBSS_NS, name: 'sendTestMessageRequest' },
      policy: { security: 'x509', algorithmSuite: 'Basic256Sha256', references: ['#X509SignedRequest'] },
    },
  ]);
  assert.equal(
    requestTemplate(cbss, 'sendTestMessage'),
    `<v1:sendTestMessageRequest xmlns:v1="${CBSS_NS}">
  <!-- length 1..4096 -->
  <echo>?</echo>
</v1:sendTestMessageRequest>`,
  );
});

test('PlatformIntegrationConsumerTest contract: three operations, none / X.509 / SAML, the clients’ SOAPActions', () => {
  const address = 'https://services-acpt.ehealth.fgov.be/PlatformIntegrationConsumerTest/v1';
  const row = (operation: string, soapAction: string, policy: object) => ({
    service: 'PlatformIntegrationConsumerTestService',
    port: 'PlatformIntegrationConsumerTestPort',
    address,
    binding: 'PlatformIntegrationConsumerTestSOAP11Binding',
    operation,
    soapAction,
    soapVersion: '1.1',
    style: 'document',
    inputElement: { ns: PICT_NS, name: `${operation}Request` },
    policy,
  });
  assert.deepEqual(listOperations(ehealth), [
    row('CheckConnection', SOAP_ACTIONS.checkConnection, {
      security: 'none',
      algorithmSuite: undefined,
      references: [],
    }),
    row('CheckAccessControl', SOAP_ACTIONS.checkAccessControl, {
      security: 'x509',
      algorithmSuite: 'Basic256Sha256',
      references: ['#X509SignedRequest'],
    }),
    row('CheckBrokeredAccessControl', SOAP_ACTIONS.checkBrokeredAccessControl, {
      security: 'saml',
      algorithmSuite: 'Basic256Sha256',
      references: ['#SamlHolderOfKeyRequest'],
    }),
  ]);
  for (const op of ['CheckConnection', 'CheckAccessControl', 'CheckBrokeredAccessControl']) {
    assert.equal(
      requestTemplate(ehealth, op),
      `<pict:${op}Request xmlns:pict="${PICT_NS}" xmlns:types="${PICT_NS.replace(':v1', ':types:v1')}">
  <!-- length 1..4096 -->
  <types:Message>?</types:Message>
  <types:Timestamp>2025-01-31T12:00:00Z</types:Timestamp>
</pict:${op}Request>`,
    );
  }
});

/** A service context whose transport records the request and goes no further. */
function capturing(): { ctx: ServiceContext; sent: { headers: Record<string, string>; body: string }[] } {
  const sent: { headers: Record<string, string>; body: string }[] = [];
  const unused = () => Promise.reject(new Error('unused'));
  const transport: Transport = {
    post: async (_url, options) => {
      sent.push({ headers: { ...options.headers }, body: String(options.body) });
      throw new Error('captured');
    },
    postStream: unused,
    request: unused,
    requestStream: unused,
    close: async () => {},
  };
  const ctx: ServiceContext = {
    environment: 'test',
    transport,
    endpoint: () => 'https://platform.example.test',
    signingCredential: () => pki.rsa,
    replyTrust: { pinned: [], ca: [] },
    replySignature: 'optional',
    replayCache: new MemoryReplayCache(),
    clock: new FrozenClock(TEST_NOW),
    ttlSeconds: 300,
    inclusiveNamespaces: true,
    retry: undefined,
    logger: undefined,
    close: async () => {},
  };
  return { ctx, sent };
}

/** The Body payload of the request a client sends, with its SOAPAction. */
async function clientRequest(call: (ctx: ServiceContext) => Promise<unknown>) {
  const { ctx, sent } = capturing();
  await assert.rejects(call(ctx));
  const [request] = sent;
  assert.ok(request, 'the client sent a request');
  const [payload] = childElements(parseEnvelope(request.body).body);
  return { payload: payload!, soapAction: request.headers['soapaction'] };
}

const filled = (template: string, values: Readonly<Record<string, string>>): Element =>
  parseXml(
    template.replace(/<((?:\w+:)?(\w+))>[^<]*<\/\1>/g, (all, qname: string, local: string) =>
      values[local] === undefined ? all : `<${qname}>${values[local]}</${qname}>`,
    ),
  ).documentElement!;

test('sendTestMessage: the template, filled, is the request testConnection() builds (names, namespaces, SOAPAction)', async () => {
  const client = await clientRequest((ctx) => testConnection(ctx, 'hello cbss'));
  const template = filled(requestTemplate(cbss, 'sendTestMessage'), { echo: 'hello cbss' });
  assert.deepEqual(shape(template), shape(client.payload));
  assert.deepEqual(shape(template), [
    `{${CBSS_NS}}sendTestMessageRequest`,
    {},
    [['{}echo', {}, ['hello cbss']]],
  ]);
  assert.equal(client.soapAction, `"${listOperations(cbss)[0]?.soapAction}"`);
});

test('CheckConnection, CheckAccessControl: the templates, filled, are the requests the eHealth clients build', async () => {
  for (const [op, call] of [
    ['CheckConnection', (ctx: ServiceContext) => checkConnection(ctx, 'Hello World')],
    ['CheckAccessControl', (ctx: ServiceContext) => checkAccessControl(ctx, 'Hello World')],
  ] as const) {
    const client = await clientRequest(call);
    const template = filled(requestTemplate(ehealth, op), { Message: 'Hello World', Timestamp: NOW_ISO });
    assert.deepEqual(shape(template), shape(client.payload), op);
    assert.equal(
      client.soapAction,
      `"${listOperations(ehealth).find((r) => r.operation === op)?.soapAction}"`,
    );
  }
});

test('the sandbox accepts each filled template, and its replies are valid against the contract schemas (xmllint)', (t) => {
  const clock = new FrozenClock(TEST_NOW);
  const moduleCtx = { clock } as unknown as SandboxModuleContext;
  const replies: [string, string][] = [];
  const requests: [string, string][] = [];
  for (const op of _operations()) {
    const [model, wsdlOp, schema] =
      op.name === 'sendTestMessage'
        ? [cbss, 'sendTestMessage', CBSS_XSD]
        : [ehealth, op.name[0]!.toUpperCase() + op.name.slice(1), EHEALTH_XSD];
    const payload = filled(requestTemplate(model, wsdlOp), {
      echo: 'ping',
      Message: 'ping',
      Timestamp: NOW_ISO,
    });
    assert.equal(payload.localName, op.request);
    assert.equal(payload.namespaceURI, op.ns);
    const build = op.reply(
      {
        payload,
        tlsSubject: 'CN=partner',
        consumer: op.security === 'none' ? undefined : 'CN=partner',
        receivedAt: NOW_ISO,
      },
      moduleCtx,
    );
    assert.ok(build, `the sandbox refused the ${wsdlOp} template`);
    const doc = createDocument(null, 'Body');
    requests.push([schema, serializeXml(payload)]);
    replies.push([schema, serializeXml(build(doc))]);
  }
  assert.equal(replies.length, 4);
  if (!requirePeer(t, 'xmllint')) return;
  const dir = tempDir(t);
  for (const [i, [schema, xml]] of [...requests, ...replies].entries()) {
    const file = join(dir, `${i}.xml`);
    writeFileSync(file, xml);
    const r = runPeer('xmllint', ['--noout', '--nonet', '--schema', schema, file]);
    assert.equal(r.status, 0, `${r.stderr}\n${xml}`);
  }
});
