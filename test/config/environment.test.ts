import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  credentialRef,
  endpointUrl,
  loadConfig,
  readSecret,
  resolveEnvironment,
} from '../../src/config/index.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { tempDir } from '../_support/tmp.ts';

const empty = { config: {}, path: undefined, baseDir: '/' } as const;

test('built-in environments carry the seed endpoints per channel', () => {
  const test = resolveEnvironment(empty, 'test', {});
  assert.equal(endpointUrl(test, 'cbss.soap'), 'https://b2b-test.ksz-bcss.fgov.be:4520');
  assert.equal(endpointUrl(test, 'cbss.rest'), 'https://b2b-test.ksz-bcss.fgov.be:4543/{api}');
  assert.equal(
    endpointUrl(test, 'oauth.token'),
    'https://professionalservices-int.socialsecurity.be/REST/oauth/v5/token',
  );
  const acptNet = resolveEnvironment(
    { config: { environments: { acpt: { channel: 'internet' } } }, path: undefined, baseDir: '/' },
    'acpt',
    {},
  );
  assert.equal(endpointUrl(acptNet, 'cbss.rest'), 'https://api.acpt.ksz-bcss.fgov.be/{api}');
  assert.equal(
    endpointUrl(acptNet, 'oauth.token'),
    'https://services-acpt.socialsecurity.be/REST/oauth/v5/token',
  );
  assert.equal(endpointUrl(acptNet, 'ebox.soap'), 'https://services-acpt.socialsecurity.be/EBoxMessage/v1');
});

test('production REST URL is flagged as inferred (seed erratum)', () => {
  const prod = resolveEnvironment(empty, 'prod', {});
  assert.equal(prod.endpoints['cbss.rest']?.source, 'inferred');
  assert.match(prod.endpoints['cbss.rest']?.note ?? '', /acceptance hosts/);
  assert.equal(endpointUrl(prod, 'cbss.rest'), 'https://b2b.ksz-bcss.fgov.be:4543/{api}');
});

test('unknown environment is a usage error with its code', () => {
  assert.throws(
    () => resolveEnvironment(empty, 'nope', {}),
    (e) => isPasserelleError(e, 'ERR_CONFIG_UNKNOWN_ENV') && e.isUsageError,
  );
});

test('a custom environment has only the endpoints it defines', () => {
  const loaded = {
    config: { environments: { lab: { endpoints: { 'cbss.soap': 'https://lab.example:8443' } } } },
    path: undefined,
    baseDir: '/',
  };
  const lab = resolveEnvironment(loaded, 'lab', {});
  assert.equal(lab.custom, true);
  assert.equal(endpointUrl(lab, 'cbss.soap'), 'https://lab.example:8443');
  assert.throws(
    () => endpointUrl(lab, 'oauth.token'),
    (e) => isPasserelleError(e, 'ERR_CONFIG_ENDPOINT_MISSING'),
  );
});

test('environment variables override endpoints and select the environment', () => {
  const env = resolveEnvironment(empty, undefined, {
    PASSERELLE_ENV: 'acpt',
    PASSERELLE_ENDPOINT_CBSS_SOAP: 'https://x.example',
  });
  assert.equal(env.name, 'acpt');
  assert.equal(endpointUrl(env, 'cbss.soap'), 'https://x.example');
});

test('YAML and JSON files load; relative credential paths resolve against the file', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, 'passerelle.config.yaml'),
    'defaultEnv: acpt\nenvironments:\n  acpt:\n    credentials:\n      tls: { p12: certs/tls.p12, password: { file: secrets/pw } }\n',
  );
  const loaded = await loadConfig({ cwd: dir, env: {} });
  const env = resolveEnvironment(loaded, undefined, {});
  assert.equal(env.name, 'acpt');
  assert.deepEqual(credentialRef(env, 'tls'), {
    p12: join(dir, 'certs/tls.p12'),
    password: { file: join(dir, 'secrets/pw') },
  });
});

test('invalid, unreadable and missing configuration files give their codes', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'bad.json'), '{"environments": {"acpt": {"channel": "carrier-pigeon"}}}');
  await assert.rejects(loadConfig({ path: 'bad.json', cwd: dir, env: {} }), (e) =>
    isPasserelleError(e, 'ERR_CONFIG_INVALID'),
  );
  writeFileSync(join(dir, 'broken.json'), '{"environments": ');
  await assert.rejects(loadConfig({ path: 'broken.json', cwd: dir, env: {} }), (e) =>
    isPasserelleError(e, 'ERR_CONFIG_UNREADABLE'),
  );
  await assert.rejects(loadConfig({ path: 'absent.json', cwd: dir, env: {} }), (e) =>
    isPasserelleError(e, 'ERR_CONFIG_NOT_FOUND'),
  );
});

test('a literal password in the configuration is refused by the schema', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, 'c.json'),
    JSON.stringify({
      environments: { acpt: { credentials: { tls: { p12: 'a.p12', password: 'hunter2' } } } },
    }),
  );
  await assert.rejects(loadConfig({ path: 'c.json', cwd: dir, env: {} }), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_CONFIG_INVALID'));
    assert.ok(!e.message.includes('hunter2'), 'the secret must not be echoed');
    return true;
  });
});

test('secrets come from a named variable or file and are never echoed in errors', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'pw'), 's3cret\n');
  assert.equal(await readSecret({ file: 'pw' }, { baseDir: dir, env: {} }), 's3cret');
  assert.equal(await readSecret({ env: 'P' }, { env: { P: 'abc' } }), 'abc');
  await assert.rejects(readSecret({ env: 'MISSING_PW' }, { env: {} }), (e) =>
    isPasserelleError(e, 'ERR_CONFIG_SECRET_MISSING'),
  );
  await assert.rejects(readSecret({ file: 'nope' }, { baseDir: dir, env: {} }), (e) =>
    isPasserelleError(e, 'ERR_CONFIG_SECRET_MISSING'),
  );
});

test('trust.stsUnverified is said per environment: refused in defaults; an environment saying it does not inherit the defaults trust.sts', async (t) => {
  const dir = tempDir(t);
  const inDefaults = join(dir, 'defaults.json');
  writeFileSync(inDefaults, JSON.stringify({ defaults: { trust: { stsUnverified: true } } }));
  await assert.rejects(loadConfig({ path: inDefaults, env: {} }), (e) =>
    isPasserelleError(e, 'ERR_CONFIG_INVALID'),
  );
  const perEnv = join(dir, 'per-env.json');
  writeFileSync(
    perEnv,
    JSON.stringify({
      defaults: { trust: { sts: ['sts.crt'], ca: 'ca.pem' } },
      environments: { acpt: { trust: { stsUnverified: true } } },
    }),
  );
  const loaded = await loadConfig({ path: perEnv, env: {} });
  const acpt = resolveEnvironment(loaded, 'acpt', {});
  assert.equal(acpt.trust.stsUnverified, true);
  assert.equal(acpt.trust.sts, undefined);
  assert.equal(acpt.trust.ca, 'ca.pem');
  assert.deepEqual(resolveEnvironment(loaded, 'test', {}).trust.sts, ['sts.crt']);
});
