import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SANDBOX_OAUTH_CLIENT_ID } from '../../src/sandbox/oauth/constants.ts';
import { oauthModule } from '../../src/sandbox/oauth/module.ts';
import { tempDir } from '../_support/tmp.ts';
import { runCli, startTestSandbox, type TestSandbox } from '../sandbox/oauth/_start.ts';

// System clock: the sandbox authorization server (oidc-provider) judges assertions on real time.
let sandbox: TestSandbox;
before(async () => {
  sandbox = await startTestSandbox([oauthModule()]);
});
after(() => sandbox?.dispose());

const run = (...args: string[]) => runCli(sandbox, ...args);

test('oauth token --json: expiry, scope and fingerprint, never the token', async () => {
  const r = await run('--json', 'oauth', 'token');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.clientId, SANDBOX_OAUTH_CLIENT_ID);
  assert.equal(out.tokenType, 'Bearer');
  assert.equal(out.scope, 'scope:demo:consult scope:demo:health');
  assert.match(out.fingerprint, /^sha256:[0-9a-f]{16}$/);
  assert.equal(out.accessToken, undefined);
  assert.doesNotMatch(r.stdout, /eyJ/);
});

test('oauth token --token-file writes the token (0600), never to the output; --scope narrows it; human output', async (t) => {
  const file = join(tempDir(t), 'token');
  const shown = await run('--json', 'oauth', 'token', '--token-file', file, '--scope', 'scope:demo:health');
  assert.equal(shown.status, 0, shown.stderr);
  const out = JSON.parse(shown.stdout);
  assert.equal(out.scope, 'scope:demo:health');
  assert.equal(out.tokenFile, file);
  assert.equal(out.accessToken, undefined);
  assert.doesNotMatch(shown.stdout, /eyJ/);
  assert.match(readFileSync(file, 'utf8'), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const human = await run('oauth', 'token');
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /fingerprint {2}sha256:/);
  assert.match(human.stdout, /not printed \(--token-file F writes it to F\)/);
  assert.doesNotMatch(human.stdout, /eyJ/);
});

test('an unknown client id fails with ERR_OAUTH_INVALID_CLIENT (exit 1); an unknown scope with ERR_OAUTH_INVALID_SCOPE', async () => {
  const r = await run('--json', 'oauth', 'token', '--client-id', 'unknown:client:confidential');
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, false);
  assert.equal(out.error.code, 'ERR_OAUTH_INVALID_CLIENT');
  assert.equal(out.error.details.error, 'invalid_client');
  assert.doesNotMatch(r.stdout, /eyJ/);
  const s = await run('oauth', 'token', '--scope', 'scope:none');
  assert.equal(s.status, 1);
  assert.match(s.stderr, /ERR_OAUTH_INVALID_SCOPE/);
});
