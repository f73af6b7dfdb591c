import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createContext } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';
import { serveSandbox } from '../../src/cli/sandbox-impl.ts';
import { FrozenClock } from '../../src/clock.ts';
import { resolveEnvironment } from '../../src/config/environment.ts';
import { loadConfig } from '../../src/config/load.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';

const dir = tempDir({ after }, 'passerelle-cli-sandbox-');
const root = new URL('../..', import.meta.url).pathname;

test('serveSandbox --json prints one ready line, runs until aborted, then stops and returns 0', async () => {
  const cap = captureIo();
  const ctx = createContext(
    cap.io,
    { json: true },
    { clock: new FrozenClock(TEST_NOW), cwd: dir, processEnv: {} },
  );
  const controller = new AbortController();
  let consolePort = 0;
  const status = await serveSandbox(ctx, { stateDir: 'state' }, controller.signal, (sandbox) => {
    consolePort = Number(new URL(sandbox.endpoints['console']!).port);
    setImmediate(() => controller.abort());
  });
  assert.equal(status, 0);
  const lines = cap.stdout.split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  const ready = lines[0];
  assert.equal(ready.ok, true);
  assert.equal(ready.event, 'ready');
  assert.equal(ready.stateDir, join(dir, 'state'));
  assert.match(ready.endpoints.console, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(ready.config, join(dir, 'state', 'passerelle.config.json'));
  assert.deepEqual(lines[1], { ok: true, event: 'stopped', stateDir: join(dir, 'state') });
  const env = resolveEnvironment(await loadConfig({ path: ready.config, env: {} }), 'sandbox', {});
  assert.equal(env.trust.ca, join(dir, 'state', 'pki', 'ca', 'ca.crt'));
  await new Promise<void>((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(consolePort, '127.0.0.1', () => probe.close(() => resolve()));
  });
});

test('human mode prints a summary with the config path; the state dir defaults to the config stateDir', async () => {
  const cap = captureIo();
  const configDir = join(dir, 'human');
  mkdirSync(configDir);
  const ctx = createContext(cap.io, {}, { clock: new FrozenClock(TEST_NOW), cwd: configDir, processEnv: {} });
  const controller = new AbortController();
  controller.abort();
  assert.equal(await serveSandbox(ctx, { stateDir: 'st' }, controller.signal), 0);
  assert.equal(cap.stdout, '', 'aborted before start: nothing started');

  writeFileSync(join(configDir, 'passerelle.config.json'), JSON.stringify({ stateDir: 'from-config' }));
  const ctx2 = createContext(
    cap.io,
    {},
    { clock: new FrozenClock(TEST_NOW), cwd: configDir, processEnv: {} },
  );
  const c2 = new AbortController();
  await serveSandbox(ctx2, {}, c2.signal, (s) => {
    assert.equal(s.stateDir, join(configDir, 'from-config'));
    setImmediate(() => c2.abort());
  });
  assert.match(cap.stdout, /Passerelle sandbox ready \(modules: console/);
  assert.match(cap.stdout, /passerelle --config .*from-config\/passerelle\.config\.json --env sandbox/);
  assert.match(cap.stdout, /Sandbox stopped\./);
});

test('a bad --port-base is a usage error (exit 2)', async () => {
  const cap = captureIo();
  const status = await main(
    ['node', 'passerelle', 'sandbox', '--port-base', '70000', '--state-dir', join(dir, 'x')],
    {
      io: cap.io,
      env: {},
      cwd: dir,
    },
  );
  assert.equal(status, 2);
  assert.match(cap.stderr, /ERR_USAGE: --port-base/);
});

test('SIGTERM on a spawned `passerelle sandbox --json` gives the ready line, then a clean exit 0', async () => {
  const stateDir = join(dir, 'spawned');
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      join(root, 'src/cli/bin.ts'),
      'sandbox',
      '--json',
      '--state-dir',
      stateDir,
    ],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PASSERELLE_CONFIG: '' },
    },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = await new Promise<{ event: string; endpoints: Record<string, string> }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${out} ${err}`)), 60_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.on('exit', () => reject(new Error(`exited before ready: ${err}`)));
  });
  assert.equal(ready.event, 'ready');
  assert.ok(JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8')).endpoints.console);
  child.kill('SIGTERM');
  assert.equal(await exited, 0, err);
  assert.match(out, /"event":"stopped"/);
  assert.equal(err, '');
});

test('sandbox.ebox in the configuration replaces the eBox registries; a bad check digit is ERR_CONFIG_INVALID', async () => {
  const configDir = join(dir, 'ebox-registries');
  mkdirSync(configDir);
  const registries = {
    institutions: ['0123456749'],
    senders: [
      {
        institution: '0123456749',
        application: 'urn:be:fgov:ehealth:sandbox:partner',
        messageTypes: ['MY_ALLOWANCE_LETTER'],
      },
    ],
    citizens: [{ inss: '85073003328', name: 'Only Citizen', ebox: 'active' }],
  };
  writeFileSync(join(configDir, 'passerelle.config.json'), JSON.stringify({ sandbox: { ebox: registries } }));
  const cap = captureIo();
  const ctx = createContext(
    cap.io,
    { json: true },
    { clock: new FrozenClock(TEST_NOW), cwd: configDir, processEnv: {} },
  );
  const controller = new AbortController();
  let info: Record<string, unknown> = {};
  await serveSandbox(ctx, { stateDir: 'state' }, controller.signal, (s) => {
    info = { ...s.info['ebox'] };
    setImmediate(() => controller.abort());
  });
  assert.deepEqual(info['senders'], registries.senders);
  assert.deepEqual(
    (info['citizens'] as { inss: string }[]).map((c) => c.inss),
    ['85073003328'],
  );

  const bad = { ...registries, citizens: [{ inss: '85073003329', name: 'Bad', ebox: 'active' }] };
  writeFileSync(join(configDir, 'passerelle.config.json'), JSON.stringify({ sandbox: { ebox: bad } }));
  const cap2 = captureIo();
  const status = await main(['node', 'passerelle', 'sandbox', '--json', '--state-dir', 'state2'], {
    io: cap2.io,
    clock: new FrozenClock(TEST_NOW),
    cwd: configDir,
    env: {},
  });
  assert.equal(status, 1);
  const error = JSON.parse(cap2.stdout).error as { code: string; details: { setting: string } };
  assert.equal(error.code, 'ERR_CONFIG_INVALID');
  assert.equal(error.details.setting, 'sandbox.ebox');
});

/** `passerelle sandbox --json` in `configDir` (its passerelle.config.json); a start that fails returns at once. */
async function sandboxIn(configDir: string, stateDir: string) {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', 'sandbox', '--json', '--state-dir', stateDir], {
    io: cap.io,
    clock: new FrozenClock(TEST_NOW),
    cwd: configDir,
    env: {},
  });
  return { status, out: JSON.parse(cap.stdout) };
}

test('sandbox.mss.relay: the trust file is read from the configuration folder; a missing one is ERR_FILE_NOT_FOUND, a bad host ERR_CONFIG_INVALID', async () => {
  const configDir = join(dir, 'mss-relay');
  mkdirSync(configDir);
  const write = (relay: Record<string, unknown>) =>
    writeFileSync(join(configDir, 'passerelle.config.json'), JSON.stringify({ sandbox: { mss: { relay } } }));
  const start = (stateDir: string) => sandboxIn(configDir, stateDir);
  write({ host: '127.0.0.1', port: 2525, caFile: 'relay-ca.pem', domains: ['application.example'] });
  const missing = await start('s1');
  assert.equal(missing.status, 1);
  assert.equal(missing.out.error.code, 'ERR_FILE_NOT_FOUND');
  assert.equal(missing.out.error.details.setting, 'sandbox.mss.relay.caFile');
  assert.equal(missing.out.error.details.path, join(configDir, 'relay-ca.pem'));

  writeFileSync(join(configDir, 'relay-ca.pem'), (await testPki()).ca.certificate.toString());
  write({ host: 'bad host', port: 2525 });
  const bad = await start('s2');
  assert.equal(bad.status, 1);
  assert.equal(bad.out.error.code, 'ERR_CONFIG_INVALID');
  assert.equal(bad.out.error.details.setting, 'sandbox.mss');
  assert.match(bad.out.error.message, /relay\.host/);

  const cap = captureIo();
  const ctx = createContext(
    cap.io,
    { json: true },
    { clock: new FrozenClock(TEST_NOW), cwd: configDir, processEnv: {} },
  );
  write({ host: '127.0.0.1', port: 2525, caFile: 'relay-ca.pem' });
  const controller = new AbortController();
  let started = false;
  const status = await serveSandbox(ctx, { stateDir: 's3' }, controller.signal, () => {
    started = true;
    setImmediate(() => controller.abort());
  });
  assert.equal(status, 0);
  assert.equal(started, true);
});

test('sandbox.mss.introspection: the secret and trust files are read from the configuration folder; a missing secret file is ERR_FILE_NOT_FOUND, an http URL ERR_CONFIG_INVALID', async () => {
  const configDir = join(dir, 'mss-introspection');
  mkdirSync(configDir);
  writeFileSync(join(configDir, 'psc-ca.pem'), (await testPki()).ca.certificate.toString());
  const introspection = {
    issuer: 'https://127.0.0.1:7443/auth/realms/esante-wallet',
    url: 'https://127.0.0.1:7443/auth/realms/esante-wallet/protocol/openid-connect/token/introspect',
    clientId: 'mss-operator',
    clientSecretFile: 'introspection-client-secret',
    caFile: 'psc-ca.pem',
  };
  const start = (stateDir: string, value: Record<string, unknown>) => {
    writeFileSync(
      join(configDir, 'passerelle.config.json'),
      JSON.stringify({ sandbox: { mss: { introspection: value } } }),
    );
    return sandboxIn(configDir, stateDir);
  };
  const missing = await start('s1', introspection);
  assert.equal(missing.status, 1);
  assert.equal(missing.out.error.code, 'ERR_FILE_NOT_FOUND');
  assert.equal(missing.out.error.details.setting, 'sandbox.mss.introspection.clientSecretFile');
  writeFileSync(join(configDir, 'introspection-client-secret'), 'S3cr3t-value-never-printed\n', {
    mode: 0o600,
  });
  const http = await start('s2', { ...introspection, url: introspection.url.replace('https:', 'http:') });
  assert.equal(http.status, 1);
  assert.equal(http.out.error.code, 'ERR_CONFIG_INVALID');
  assert.match(http.out.error.message, /introspection\.url must be an https URL/);
  assert.doesNotMatch(JSON.stringify(http.out), /S3cr3t-value/);
});
