import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { soaModule } from '../../src/sandbox/soa/module.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { startStsSandbox } from '../sandbox/sts/_sts-sandbox.ts';

const s = await startStsSandbox({ after }, {}, [soaModule()]);
const dir = tempDir({ after }, 'passerelle-cli-sts-');

async function run(...args: string[]) {
  const cap = captureIo();
  const status = await main(
    ['node', 'passerelle', '--config', s.sandbox.configPath, '--env', 'sandbox', ...args],
    { io: cap.io, clock: s.clock, cwd: dir, env: {} },
  );
  return { status, stdout: cap.stdout, stderr: cap.stderr };
}

test('sts token --json: facts and cache status, never the assertion; a second run reuses the persisted token', async () => {
  const first = await run('--json', 'sts', 'token');
  assert.equal(first.status, 0, first.stderr);
  const out = JSON.parse(first.stdout);
  assert.equal(out.cache, 'sts');
  assert.equal(out.issuer, 'urn:be:fgov:ehealth:sts:1_0');
  assert.match(out.assertionId, /^_[0-9a-f]{32}$/);
  assert.match(out.subject, /CN=urn:be:fgov:ehealth:sandbox:partner/);
  assert.equal(out.persisted, true);
  assert.doesNotMatch(first.stdout, /<Assertion|SignatureValue|PRIVATE KEY/);
  const requests = s.stats()['requests'];
  const second = await run('sts', 'token');
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /reused from the state directory/);
  assert.match(second.stdout, new RegExp(`AssertionID {2}${out.assertionId}`));
  assert.match(second.stdout, /not printed \(use --out FILE\)/);
  assert.doesNotMatch(second.stdout, /<Assertion/);
  assert.equal(s.stats()['requests'], requests);
});

test('sts token --out FILE writes the assertion as received, mode 0600; --no-cache asks the STS', async () => {
  const r = await run('sts', 'token', '--out', 'assertion.xml', '--no-cache');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /new token from the STS/);
  const file = join(dir, 'assertion.xml');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(
    readFileSync(file, 'utf8'),
    /^<Assertion [^>]*AssertionID="_[0-9a-f]{32}"[\s\S]*<\/Assertion>$/,
  );
  assert.doesNotMatch(r.stdout, /<Assertion/);
});

test('call ehealth:check-brokered-access: HOK-signed call with the cached token, authenticated consumer, signed reply', async () => {
  const requests = s.stats()['requests'];
  const r = await run('--json', 'call', 'ehealth:check-brokered-access', '--message', 'Hello World');
  assert.equal(r.status, 0, r.stderr || r.stdout);
  const out = JSON.parse(r.stdout);
  assert.equal(out.message, 'Hello World');
  assert.match(out.authenticatedConsumer, /urn:be:fgov:ehealth:sandbox:partner/);
  assert.equal(out.replySigner.fingerprint256, s.sandbox.pki.platformSigning.certificate.fingerprint256);
  assert.equal(s.stats()['requests'], requests, 'the persisted token was reused');
  assert.doesNotMatch(r.stdout, /<Assertion/);
});
