import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { CONTRACTS, EBOX_V1, miniWsdl, writeFiles } from '../wsdl/_helpers.ts';

const run = async (cwd: string, ...args: string[]) => {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', ...args], { io: cap.io, env: {}, cwd });
  return { status, stdout: cap.stdout, stderr: cap.stderr };
};

test('wsdl operations: a table per port (address, security with its suite, SOAPAction, request element)', async () => {
  const r = await run(EBOX_V1, 'wsdl', 'operations', 'EboxMessageVarA_v1.wsdl');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'EboxMessageVarA_v1.wsdl: 8 operations');
  assert.equal(
    lines[2],
    'service EboxMessageService, port EboxMessageSOAP11 (SOAP 1.1, binding EboxMessageSOAPBinding)',
  );
  assert.equal(lines[3], '  address https://REPLACE_WITH_ACTUAL_URL');
  assert.match(lines[4] ?? '', /^ {2}OPERATION +SECURITY +SOAPACTION +REQUEST ELEMENT$/);
  assert.match(
    r.stdout,
    /\n {2}publishEboxMessage +x509 \(Basic256Sha256\) +"" +\{http:\/\/socialsecurity\.be\/eboxmessage\/v1\}PublishEboxMessageRequest\n/,
  );
  assert.match(
    r.stdout,
    /\n {2}healthCheck +x509 \(Basic256Sha256\) +"http:\/\/socialsecurity\.be\/eboxmessage\/v1\/healthCheck" +\{http:\/\/services\.fgov\.be\/monitoring\/v1\}HealthCheckRequest$/,
  );
});

test('wsdl operations --json: { ok, file, files, operations } with the rows', async () => {
  const r = await run(
    CONTRACTS,
    '--json',
    'wsdl',
    'operations',
    'ehealth/PlatformIntegrationConsumerTest_v1.wsdl',
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.file, join(CONTRACTS, 'ehealth/PlatformIntegrationConsumerTest_v1.wsdl'));
  assert.equal(out.files.length, 3);
  assert.deepEqual(
    out.operations.map((o: { operation: string; policy: { security: string } }) => [
      o.operation,
      o.policy.security,
    ]),
    [
      ['CheckConnection', 'none'],
      ['CheckAccessControl', 'x509'],
      ['CheckBrokeredAccessControl', 'saml'],
    ],
  );
});

test('wsdl template prints the Body skeleton; --json adds operation, SOAPAction, address, security', async () => {
  const human = await run(
    CONTRACTS,
    'wsdl',
    'template',
    'cbss/TestConnectionService_v1.wsdl',
    'sendTestMessage',
  );
  assert.equal(human.status, 0, human.stderr);
  const body = `<v1:sendTestMessageRequest xmlns:v1="http://kszbcss.fgov.be/intf/TestConnectionServiceService/v1">
  <!-- length 1..4096 -->
  <echo>?</echo>
</v1:sendTestMessageRequest>`;
  assert.equal(human.stdout, body);
  const json = await run(
    CONTRACTS,
    '--json',
    'wsdl',
    'template',
    'cbss/TestConnectionService_v1.wsdl',
    'sendTestMessage',
  );
  assert.deepEqual(JSON.parse(json.stdout), {
    ok: true,
    operation: 'sendTestMessage',
    service: 'TestConnectionServiceService',
    port: 'TestConnectionServicePort',
    soapAction: 'http://kszbcss.fgov.be/intf/TestConnectionServiceService/v1/sendTestMessage',
    soapVersion: '1.1',
    security: 'x509',
    address: 'https://b2b-acpt.ksz-bcss.fgov.be:4520/TestConnectionServiceService/sendTestMessage',
    inputElement: {
      ns: 'http://kszbcss.fgov.be/intf/TestConnectionServiceService/v1',
      name: 'sendTestMessageRequest',
    },
    body,
  });
});

test('wsdl template --port picks one of the ports that differ; without it the error names them (exit 1)', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'a.wsdl': miniWsdl({
      ports: [
        { name: 'Acpt', address: 'https://acpt.example.test/svc' },
        { name: 'Prod', address: 'https://prod.example.test/svc' },
      ],
    }),
  });
  const ambiguous = await run(dir, 'wsdl', 'template', 'a.wsdl', 'op');
  assert.equal(ambiguous.status, 1);
  assert.match(ambiguous.stderr, /^passerelle: ERR_WSDL_OPERATION_AMBIGUOUS: /);
  assert.match(ambiguous.stderr, /--port/);
  const picked = await run(dir, '--json', 'wsdl', 'template', 'a.wsdl', 'op', '--port', 'Prod');
  assert.equal(JSON.parse(picked.stdout).address, 'https://prod.example.test/svc');
});

test('wsdl errors are coded: unknown operation (hint lists them), missing file, remote import (--json)', async (t) => {
  const unknown = await run(CONTRACTS, 'wsdl', 'template', 'cbss/TestConnectionService_v1.wsdl', 'echo');
  assert.equal(unknown.status, 1);
  assert.equal(
    unknown.stderr,
    'passerelle: ERR_WSDL_OPERATION_NOT_FOUND: The contract has no SOAP operation "echo"\n  → Operations: sendTestMessage.',
  );
  const missing = await run(CONTRACTS, '--json', 'wsdl', 'operations', 'nope.wsdl');
  assert.equal(missing.status, 1);
  assert.equal(JSON.parse(missing.stdout).error.code, 'ERR_FILE_NOT_FOUND');
  const dir = tempDir(t);
  writeFiles(dir, {
    'r.wsdl': miniWsdl({
      types:
        '<xs:schema targetNamespace="urn:t"><xs:import namespace="urn:x" schemaLocation="https://example.invalid/x.xsd"/></xs:schema>',
    }),
  });
  const remote = await run(dir, '--json', 'wsdl', 'operations', 'r.wsdl');
  assert.equal(JSON.parse(remote.stdout).error.code, 'ERR_WSDL_IMPORT_REFUSED');
  const usage = await run(dir, 'wsdl', 'template', 'r.wsdl');
  assert.equal(usage.status, 2);
});
