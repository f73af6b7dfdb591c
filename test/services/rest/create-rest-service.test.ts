/**
 * The REST service built from configuration: the sandbox's own client configuration file
 * (`passerelle.config.json`, env `sandbox`) gives the OAuth client id, the keystores, the dev
 * CA and the endpoints; `health` reports UP, DEGRADED and DOWN as results.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { resolveEnvironment } from '../../../src/config/environment.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { isPasserelleError } from '../../../src/errors.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import { restModule } from '../../../src/sandbox/rest/module.ts';
import { createRestService } from '../../../src/services/rest/create-rest-service.ts';
import { setRestHealth, startTestSandbox, type TestSandbox } from '../../sandbox/oauth/_start.ts';

let sandbox: TestSandbox;
before(async () => {
  sandbox = await startTestSandbox([oauthModule(), restModule()]);
});
after(() => sandbox?.dispose());

async function environment() {
  return resolveEnvironment(
    await loadConfig({ path: sandbox.configPath, cwd: sandbox.stateDir, env: {} }),
    'sandbox',
    {},
  );
}

const setHealth = (status: string) => setRestHealth(sandbox, status);

test('health from configuration: UP, DEGRADED, then DOWN (503) as a result', async () => {
  const service = await createRestService(await environment());
  try {
    assert.deepEqual(await service.health('demo'), {
      api: 'demo',
      status: 'UP',
      httpStatus: 200,
      details: {},
    });
    await setHealth('DEGRADED');
    const degraded = await service.health('demo');
    assert.equal(degraded.status, 'DEGRADED');
    assert.ok('details' in degraded.details);
    await setHealth('DOWN');
    assert.deepEqual(await service.health('demo'), {
      api: 'demo',
      status: 'DOWN',
      httpStatus: 503,
      details: {},
    });
    await setHealth('UP');
    const person = await service.get('/v1/persons/85073003328', { api: 'demo' });
    assert.equal((person.body as { ssin: string }).ssin, '85073003328');
    assert.equal(sandbox.modules['oauth']?.stats?.()['tokenRequests'], 1);
  } finally {
    await service.close();
  }
});

test('an unknown API is ERR_REST_NOT_FOUND; a missing client id is ERR_CONFIG_INVALID', async () => {
  const env = await environment();
  const service = await createRestService(env);
  try {
    await assert.rejects(service.health('nope'), (e) => isPasserelleError(e, 'ERR_REST_NOT_FOUND'));
  } finally {
    await service.close();
  }
  await assert.rejects(createRestService({ ...env, oauth: {} }), (e) =>
    isPasserelleError(e, 'ERR_CONFIG_INVALID'),
  );
});
