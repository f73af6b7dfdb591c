import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { startSoaSandbox } from '../services/_sandbox.ts';

const { sandbox, clock } = await startSoaSandbox({ after });
const dir = tempDir({ after }, 'passerelle-cli-call-');

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

test('call cbss:test-connection --json: echo, TLS DN, ticket, reply signer = the platform signing certificate', async () => {
  const r = await run('--json', 'call', 'cbss:test-connection', '--echo', 'hello');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.env, 'sandbox');
  assert.equal(out.echo, 'hello');
  assert.match(out.sslCertificate, /CN=urn:be:fgov:ehealth:sandbox:partner/);
  assert.match(out.informationCBSS.ticketCBSS, /^[0-9a-f-]{36}$/);
  assert.equal(out.replySigner.fingerprint256, sandbox.pki.platformSigning.certificate.fingerprint256);
  assert.doesNotMatch(r.stdout, /PRIVATE KEY|password/i);
});

test('call ehealth:check-connection and check-access-control, human output', async () => {
  const plain = await run('call', 'ehealth:check-connection', '--message', 'Hello World');
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /ehealth:check-connection on sandbox: ok/);
  assert.match(plain.stdout, /not authenticated at message level/);
  const signed = await run('call', 'ehealth:check-access-control', '--message', 'Hello World');
  assert.equal(signed.status, 0, signed.stderr);
  assert.match(signed.stdout, /authenticated as CN=urn:be:fgov:ehealth:sandbox:partner/);
  assert.match(signed.stdout, /reply signed by {2}CN=sandbox platform signing/);
});

test('a rejected call prints the fault code, the SOA code, the error id and a hint; --json carries the details', async () => {
  // Point ehealth.soa at the SSDN role, which answers every call with the SOA-02001 fault.
  const config = JSON.parse(JSON.stringify(sandbox.clientConfig));
  config.environments.sandbox.endpoints['ehealth.soa'] = `${sandbox.endpoints['cbss.ssdn']}`;
  const path = join(dir, 'ssdn.config.json');
  writeFileSync(path, JSON.stringify(config));
  const cap = captureIo();
  const status = await main(
    [
      'node',
      'passerelle',
      '--config',
      path,
      '--env',
      'sandbox',
      'call',
      'ehealth:check-connection',
      '--message',
      'x',
    ],
    { io: cap.io, clock, cwd: dir, env: {} },
  );
  assert.equal(status, 1);
  assert.match(
    cap.stderr,
    /^passerelle: ERR_SOAP_FAULT: SOAP fault soapenv:Server: SOA-02001: .*\(SOA code SOA-02001, error id Id-[0-9a-f]{24}\)/m,
  );
  assert.match(cap.stderr, /→ .*do not retry/);

  const json = captureIo();
  assert.equal(
    await main(
      [
        'node',
        'passerelle',
        '--config',
        path,
        '--json',
        'call',
        'ehealth:check-connection',
        '--message',
        'x',
      ],
      {
        io: json.io,
        clock,
        cwd: dir,
        env: {},
      },
    ),
    1,
  );
  const out = JSON.parse(json.stdout);
  assert.equal(out.error.code, 'ERR_SOAP_FAULT');
  assert.equal(out.error.details.soaCode, 'SOA-02001');
  assert.equal(out.error.details.retryable, false);
});

test('missing --echo is a usage error (exit 2); an unknown env is ERR_CONFIG_UNKNOWN_ENV', async () => {
  const r = await run('call', 'cbss:test-connection');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ERR_USAGE/);
  const cap = captureIo();
  const status = await main(
    [
      'node',
      'passerelle',
      '--config',
      sandbox.configPath,
      '--env',
      'nope',
      'call',
      'ehealth:check-connection',
      '--message',
      'x',
    ],
    {
      io: cap.io,
      clock,
      cwd: dir,
      env: {},
    },
  );
  assert.equal(status, 2);
  assert.match(cap.stderr, /ERR_CONFIG_UNKNOWN_ENV/);
});
