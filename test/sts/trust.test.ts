import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { resolveEnvironment } from '../../src/config/environment.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config, EnvironmentConfig } from '../../src/config/schema.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { soaModule } from '../../src/sandbox/soa/module.ts';
import { createStsSession } from '../../src/sts/create-sts-session.ts';
import { requestToken } from '../../src/sts/request-token.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { startStsSandbox } from '../sandbox/sts/_sts-sandbox.ts';

// Issue 17 item 5: an STS assertion is verified against trust.sts, always; the only way around
// it is the explicit trust.stsUnverified, and every output then says so.
const s = await startStsSandbox({ after }, {}, [soaModule()]);
const dir = tempDir({ after }, 'passerelle-sts-trust-');
const base = JSON.parse(readFileSync(s.sandbox.configPath, 'utf8')) as Config;
const { pki } = s.sandbox;

/** The sandbox client configuration with another `trust` (no state directory: no token reuse). */
function configWith(name: string, trust: NonNullable<EnvironmentConfig['trust']>): string {
  const sandbox = base.environments!['sandbox']!;
  const { stateDir: _none, ...rest } = base;
  const config: Config = { ...rest, environments: { sandbox: { ...sandbox, trust } } };
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}
const ca = base.environments!['sandbox']!.trust!.ca!;
const platformSigning = base.environments!['sandbox']!.trust!.platformSigning!;
const withoutSts = configWith('no-sts', { ca, platformSigning });
const optOut = configWith('opt-out', { ca, platformSigning, stsUnverified: true });

async function environmentOf(path: string) {
  return resolveEnvironment(await loadConfig({ path, env: {} }), 'sandbox', {});
}

async function run(config: string, ...args: string[]) {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', '--config', config, '--env', 'sandbox', ...args], {
    io: cap.io,
    clock: s.clock,
    cwd: dir,
    env: {},
  });
  return { status, stdout: cap.stdout, stderr: cap.stderr };
}

test('no trust.sts: the STS call is refused before any request, ERR_CONFIG_TRUST_MISSING naming the setting', async () => {
  const requests = s.stats()['requests'];
  await assert.rejects(
    createStsSession(await environmentOf(withoutSts), { clock: s.clock, processEnv: {} }),
    (e) =>
      isPasserelleError(e, 'ERR_CONFIG_TRUST_MISSING') &&
      e.details['setting'] === 'environments.sandbox.trust.sts' &&
      /stsUnverified/.test(e.hint ?? ''),
  );
  const cli = await run(withoutSts, '--json', 'sts', 'token');
  assert.equal(cli.status, 1);
  assert.equal(JSON.parse(cli.stdout).error.code, 'ERR_CONFIG_TRUST_MISSING');
  assert.equal(s.stats()['requests'], requests, 'nothing reached the STS');
});

test('the library: requestToken without stsTrust or the opt-out is a TypeError before any request', async () => {
  const requests = s.stats()['requests'];
  const base = { transport: s.transport, url: s.url, credential: pki.partner.signing, clock: s.clock };
  await assert.rejects(requestToken(base), { name: 'TypeError', message: /`stsTrust` is required/ });
  await assert.rejects(requestToken({ ...base, stsTrust: [] }), {
    name: 'TypeError',
    message: /`stsTrust` must name at least one certificate/,
  });
  await assert.rejects(
    requestToken({ ...base, stsTrust: [pki.sts.certificate], insecureUnverifiedAssertion: true }),
    { name: 'TypeError', message: /not both/ },
  );
  assert.equal(s.stats()['requests'], requests);
  const token = await requestToken({ ...base, insecureUnverifiedAssertion: true });
  assert.equal(token.issuer, 'urn:be:fgov:ehealth:sts:1_0');
});

test('with trust.sts the assertion is verified: the pinned STS certificate accepts, another pinned leaf refuses', async () => {
  const session = await createStsSession(await environmentOf(s.sandbox.configPath), {
    clock: s.clock,
    processEnv: {},
  });
  try {
    assert.equal(session.assertionVerified, true);
    assert.equal(session.stsTrust.pinned.length, 1);
    const { token, source } = await session.token();
    assert.equal(source, 'sts');
    assert.equal(token.issuer, 'urn:be:fgov:ehealth:sts:1_0');
  } finally {
    await session.close();
  }
  // The platform signing leaf is issued by the same dev CA as the STS one: pinned, it trusts itself only.
  const wrongPin = configWith('wrong-pin', { ca, platformSigning, sts: [{ pin: pki.platformSigningFile }] });
  const wrong = await createStsSession(await environmentOf(wrongPin), { clock: s.clock, processEnv: {} });
  try {
    await assert.rejects(wrong.token(), (e) => isPasserelleError(e, 'ERR_SAML_UNTRUSTED_ISSUER'));
  } finally {
    await wrong.close();
  }
  // The dev CA as a CA entry accepts the STS certificate it issued.
  const byCa = configWith('by-ca', { ca, platformSigning, sts: [{ ca: pki.caFile }] });
  const cli = await run(byCa, '--json', 'sts', 'token');
  assert.equal(cli.status, 0, cli.stderr || cli.stdout);
  const out = JSON.parse(cli.stdout);
  assert.equal(out.assertionVerified, true);
  assert.equal(out.warning, undefined);
});

test('trust.stsUnverified: the token is accepted and every output says it was NOT verified', async () => {
  const session = await createStsSession(await environmentOf(optOut), { clock: s.clock, processEnv: {} });
  try {
    assert.equal(session.assertionVerified, false);
    assert.equal((await session.token()).source, 'sts');
  } finally {
    await session.close();
  }
  const json = await run(optOut, '--json', 'sts', 'token');
  assert.equal(json.status, 0, json.stderr || json.stdout);
  const out = JSON.parse(json.stdout);
  assert.equal(out.assertionVerified, false);
  assert.match(out.warning, /NOT verified.*stsUnverified/);
  const human = await run(optOut, 'sts', 'token');
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /^WARNING: the STS assertion was NOT verified/);
  assert.match(human.stdout, /verified {5}NO \(trust\.stsUnverified\)/);
  const call = await run(optOut, '--json', 'call', 'ehealth:check-brokered-access', '--message', 'hi');
  assert.equal(call.status, 0, call.stderr || call.stdout);
  const called = JSON.parse(call.stdout);
  assert.equal(called.assertionVerified, false);
  assert.match(called.warning, /NOT verified/);
  const verified = await run(
    s.sandbox.configPath,
    '--json',
    'call',
    'ehealth:check-brokered-access',
    '--message',
    'hi',
  );
  assert.equal(JSON.parse(verified.stdout).assertionVerified, true);
});

test('trust.sts together with trust.stsUnverified is ambiguous: ERR_CONFIG_INVALID', async () => {
  const both = configWith('both', { ca, platformSigning, sts: [{ pin: pki.stsFile }], stsUnverified: true });
  await assert.rejects(
    createStsSession(await environmentOf(both), { clock: s.clock, processEnv: {} }),
    (e) =>
      isPasserelleError(e, 'ERR_CONFIG_INVALID') &&
      e.details['setting'] === 'environments.sandbox.trust.stsUnverified',
  );
});

test('a token saved under one trust.sts is not served under another: changing the trust asks the STS again', async (t) => {
  const stateDir = tempDir(t, 'passerelle-sts-scope-');
  const byCa = configWith('scope-ca', { ca, platformSigning, sts: [{ ca: pki.caFile }] });
  const tokenOf = async (config: string) => {
    const session = await createStsSession(await environmentOf(config), {
      clock: s.clock,
      processEnv: {},
      stateDir,
    });
    try {
      return (await session.token()).source;
    } finally {
      await session.close();
    }
  };
  assert.equal(await tokenOf(s.sandbox.configPath), 'sts');
  assert.equal(await tokenOf(s.sandbox.configPath), 'file', 'same STS, same trust: the saved token');
  assert.equal(await tokenOf(byCa), 'sts', 'another trust.sts: a new token');
});
