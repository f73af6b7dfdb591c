import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { rebaseAddress } from '../../src/cli/rebase-address.ts';
import { FrozenClock } from '../../src/clock.ts';
import { MemoryLogger } from '../../src/log.ts';
import { startSandbox } from '../../src/sandbox/host.ts';
import { soaModule } from '../../src/sandbox/soa/module.ts';
import { soaMtomModule } from '../../src/sandbox/soa-mtom/module.ts';
import { stsModule } from '../../src/sandbox/sts/module.ts';
import { MTOM_TEST } from '../../src/services/mtom/names.ts';
import { SERVICE_NS, SERVICE_PATHS, SOAP_ACTIONS } from '../../src/services/namespaces.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';

// Issue 18 item 1: `passerelle soap call` against the sandbox with x509, hok, none and MTOM.
const clock = new FrozenClock(TEST_NOW);
const dir = tempDir({ after }, 'passerelle-cli-soap-');
const sandbox = await startSandbox({
  stateDir: join(dir, 'state'),
  clock,
  log: new MemoryLogger(),
  modules: [soaModule(), soaMtomModule(), stsModule()],
});
after(() => sandbox.close());

async function run(...args: string[]) {
  const cap = captureIo();
  const status = await main(
    ['node', 'passerelle', '--config', sandbox.configPath, '--env', 'sandbox', ...args],
    {
      io: cap.io,
      clock,
      cwd: dir,
      env: {},
    },
  );
  return { status, stdout: cap.stdout, stderr: cap.stderr };
}

const request = (name: string, message: string) =>
  `<urn:${name} xmlns:urn="${SERVICE_NS.consumerTest}" xmlns:t="${SERVICE_NS.consumerTestTypes}">` +
  `<t:Message>${message}</t:Message><t:Timestamp>${new Date(clock.now()).toISOString()}</t:Timestamp></urn:${name}>`;
writeFileSync(join(dir, 'access.xml'), request('CheckAccessControlRequest', 'from a file'));
writeFileSync(join(dir, 'brokered.xml'), request('CheckBrokeredAccessControlRequest', 'brokered'));
writeFileSync(join(dir, 'connection.xml'), request('CheckConnectionRequest', 'plain'));
const path = SERVICE_PATHS.consumerTest;
const platform = sandbox.pki.platformSigning.certificate.fingerprint256;

test('soap call --security x509 (the default): the reply Body on stdout, the verified signer on stderr', async () => {
  const r = await run(
    'soap',
    'call',
    '--endpoint',
    'ehealth.soa',
    '--path',
    path,
    '--action',
    SOAP_ACTIONS.checkAccessControl,
    '--body',
    'access.xml',
  );
  assert.equal(r.status, 0, r.stderr);
  const reply = parseXml(r.stdout).documentElement!;
  assert.equal(reply.localName, 'CheckAccessControlResponse');
  assert.match(r.stdout, /from a file/);
  assert.match(r.stderr, /\(x509\): reply signed by CN=sandbox platform signing.*, verified/);
});

test('soap call --json: ok, url, action, security, reply signer, body; --envelope-out adds the envelope as received', async () => {
  const r = await run(
    '--json',
    'soap',
    'call',
    '--url',
    `${sandbox.endpoints['ehealth.soa']}${path}`,
    '--action',
    SOAP_ACTIONS.checkAccessControl,
    '--body',
    'access.xml',
    '--envelope-out',
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.security, 'x509');
  assert.equal(out.replySigner.fingerprint256, platform);
  assert.equal(out.body.length, 1);
  assert.match(out.envelope, /Envelope/);
  assert.ok(out.envelope.includes('from a file'));
});

test('soap call --security hok: a token from the sandbox STS; --security none: a TLS-only call', async () => {
  const hok = await run(
    'soap',
    'call',
    '--endpoint',
    'ehealth.soa',
    '--path',
    path,
    '--action',
    SOAP_ACTIONS.checkBrokeredAccessControl,
    '--security',
    'hok',
    '--body',
    'brokered.xml',
  );
  assert.equal(hok.status, 0, hok.stderr);
  assert.match(hok.stdout, /CheckBrokeredAccessControlResponse/);
  assert.match(hok.stderr, /\(hok\): reply signed by/);
  const none = await run(
    'soap',
    'call',
    '--endpoint',
    'ehealth.soa',
    '--path',
    path,
    '--action',
    SOAP_ACTIONS.checkConnection,
    '--security',
    'none',
    '--body',
    'connection.xml',
  );
  assert.equal(none.status, 0, none.stderr);
  assert.match(none.stderr, /\(none\): unsigned reply/);
});

test('soap call --attach: MTOM upload, the receiver hashes what was sent; --mtom --attachments-dir keeps the reply documents', async () => {
  const content = Buffer.alloc(70_000, 'statement ');
  writeFileSync(join(dir, 'statement.pdf'), content);
  writeFileSync(
    join(dir, 'upload.xml'),
    `<m:UploadRequest xmlns:m="${MTOM_TEST.ns}"><m:Document name="statement.pdf" contentType="application/pdf"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc1"/></m:Document></m:UploadRequest>`,
  );
  const up = await run(
    '--json',
    'soap',
    'call',
    '--endpoint',
    'cbss.mtom',
    '--path',
    MTOM_TEST.path,
    '--action',
    MTOM_TEST.uploadAction,
    '--body',
    'upload.xml',
    '--attach',
    'doc1=statement.pdf',
  );
  assert.equal(up.status, 0, up.stderr);
  const out = JSON.parse(up.stdout);
  assert.match(out.body[0], new RegExp(createHash('sha256').update(content).digest('hex')));
  writeFileSync(
    join(dir, 'download.xml'),
    `<m:DownloadRequest xmlns:m="${MTOM_TEST.ns}"><m:Size>5000</m:Size><m:Seed>s</m:Seed></m:DownloadRequest>`,
  );
  const down = await run(
    '--json',
    'soap',
    'call',
    '--endpoint',
    'cbss.mtom',
    '--path',
    MTOM_TEST.path,
    '--action',
    MTOM_TEST.downloadAction,
    '--body',
    'download.xml',
    '--mtom',
    '--attachments-dir',
    'received',
  );
  assert.equal(down.status, 0, down.stderr);
  const [a] = JSON.parse(down.stdout).attachments;
  assert.equal(a.size, 5000);
  assert.equal(createHash('sha256').update(readFileSync(a.file)).digest('hex'), a.sha256);
});

test('soap call refusals: missing body file, both or neither of --body/--envelope, no target, unknown endpoint, bad --attach, a fault', async () => {
  const base = [
    'soap',
    'call',
    '--endpoint',
    'ehealth.soa',
    '--path',
    path,
    '--action',
    SOAP_ACTIONS.checkAccessControl,
  ];
  const missing = await run('--json', ...base, '--body', 'nope.xml');
  assert.equal(missing.status, 1);
  const err = JSON.parse(missing.stdout).error;
  assert.equal(err.code, 'ERR_FILE_NOT_FOUND');
  assert.equal(err.details.path, join(dir, 'nope.xml'));
  assert.match(err.hint, /--body/);
  const codeOf = async (...args: string[]) => {
    const r = await run('--json', ...args);
    return [r.status, JSON.parse(r.stdout).error.code];
  };
  assert.deepEqual(await codeOf(...base), [2, 'ERR_USAGE']);
  assert.deepEqual(await codeOf(...base, '--body', 'access.xml', '--envelope', 'access.xml'), [
    2,
    'ERR_USAGE',
  ]);
  assert.deepEqual(await codeOf('soap', 'call', '--action', 'x', '--body', 'access.xml'), [2, 'ERR_USAGE']);
  assert.deepEqual(
    await codeOf('soap', 'call', '--endpoint', 'cbss.nope', '--action', 'x', '--body', 'access.xml'),
    [2, 'ERR_USAGE'],
  );
  assert.deepEqual(await codeOf('soap', 'call', '--endpoint', 'ehealth.soa', '--body', 'access.xml'), [
    2,
    'ERR_USAGE',
  ]);
  assert.deepEqual(await codeOf(...base, '--body', 'access.xml', '--attach', 'noequals'), [2, 'ERR_USAGE']);
  assert.deepEqual(await codeOf(...base, '--body', 'access.xml', '--security', 'saml'), [2, 'ERR_USAGE']);
  assert.deepEqual(await codeOf(...base, '--body', 'access.xml', '--attach', 'doc1=missing.pdf'), [
    1,
    'ERR_FILE_NOT_FOUND',
  ]);
  writeFileSync(join(dir, 'present.pdf'), 'x');
  assert.deepEqual(await codeOf(...base, '--body', 'access.xml', '--attach', 'doc1=present.pdf'), [
    1,
    'ERR_MTOM_BAD_REFERENCE',
  ]);
  writeFileSync(join(dir, 'unknown.xml'), '<x:Nope xmlns:x="urn:nope"/>');
  const fault = await run(
    'soap',
    'call',
    '--endpoint',
    'ehealth.soa',
    '--path',
    path,
    '--action',
    'urn:x',
    '--body',
    'unknown.xml',
  );
  assert.equal(fault.status, 1);
  assert.match(fault.stderr, /ERR_SOAP_FAULT: .*SOA code SOA-03005/);
});

test('a WSDL address is rebased on the selected environment: the longest registry URL that prefixes it names the endpoint', () => {
  const services = { endpoint: (name: string) => `https://127.0.0.1:9999/${name}` } as Parameters<
    typeof rebaseAddress
  >[1];
  assert.deepEqual(
    rebaseAddress('https://services-acpt.ehealth.fgov.be/IAM/SecurityTokenService/v1', services),
    {
      url: 'https://127.0.0.1:9999/ehealth.sts',
      endpoint: 'ehealth.sts',
    },
  );
  assert.deepEqual(rebaseAddress('https://services.ehealth.fgov.be/Foo/v2', services), {
    url: 'https://127.0.0.1:9999/ehealth.soa/Foo/v2',
    endpoint: 'ehealth.soa',
  });
  assert.deepEqual(
    rebaseAddress(
      'https://b2b-acpt.ksz-bcss.fgov.be:4520/TestConnectionServiceService/sendTestMessage',
      services,
    )?.endpoint,
    'cbss.soap',
  );
  assert.equal(rebaseAddress('https://example.org/x', services), undefined);
  assert.equal(rebaseAddress('https://services.ehealth.fgov.be.evil.example/x', services), undefined);
});

test('soap call --wsdl: the SOAPAction, security and address come from the contract, the address moved onto --env', async () => {
  const wsdl = join(process.cwd(), 'contracts/ehealth/PlatformIntegrationConsumerTest_v1.wsdl');
  const r = await run(
    '--json',
    'soap',
    'call',
    '--wsdl',
    wsdl,
    '--operation',
    'CheckBrokeredAccessControl',
    '--body',
    'brokered.xml',
  );
  assert.equal(r.status, 0, r.stdout);
  const out = JSON.parse(r.stdout);
  assert.equal(out.security, 'hok');
  assert.equal(out.action, SOAP_ACTIONS.checkBrokeredAccessControl);
  assert.equal(out.url, `${sandbox.endpoints['ehealth.soa']}${path}`);
  const codeOf = async (...args: string[]) => {
    const x = await run('--json', 'soap', 'call', ...args);
    return [x.status, JSON.parse(x.stdout).error.code];
  };
  assert.deepEqual(await codeOf('--wsdl', wsdl, '--operation', 'Nope', '--body', 'access.xml'), [
    1,
    'ERR_WSDL_OPERATION_NOT_FOUND',
  ]);
  assert.deepEqual(await codeOf('--wsdl', wsdl, '--body', 'access.xml'), [2, 'ERR_USAGE']);
  assert.deepEqual(await codeOf('--wsdl', 'missing.wsdl', '--operation', 'X', '--body', 'access.xml'), [
    1,
    'ERR_FILE_NOT_FOUND',
  ]);
  // The eBox contract's address is a placeholder: the call needs --endpoint, and says so.
  const ebox = join(
    process.cwd(),
    'contracts/ebox/soap/be/socialsecurity/eboxmessage/v1/EboxMessage-X509Sha256_v1.wsdl',
  );
  const placeholder = await run(
    '--json',
    'soap',
    'call',
    '--wsdl',
    ebox,
    '--operation',
    'hasAnEbox',
    '--body',
    'access.xml',
  );
  assert.equal(placeholder.status, 2);
  assert.match(JSON.parse(placeholder.stdout).error.hint, /--endpoint ebox\.soap/);
});
