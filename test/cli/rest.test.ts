import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { oauthModule } from '../../src/sandbox/oauth/module.ts';
import { restModule } from '../../src/sandbox/rest/module.ts';
import { runCli, setRestHealth, startTestSandbox, type TestSandbox } from '../sandbox/oauth/_start.ts';

let sandbox: TestSandbox;
before(async () => {
  sandbox = await startTestSandbox([oauthModule(), restModule()]);
});
after(() => sandbox?.dispose());

const run = (...args: string[]) => runCli(sandbox, ...args);

const setHealth = (status: string) => setRestHealth(sandbox, status);

test('rest get PATH --api demo --json prints the JSON body', async () => {
  const r = await run('--json', 'rest', 'get', '/v1/persons/85073003328', '--api', 'demo');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.status, 200);
  assert.equal(out.body.ssin, '85073003328');
  const human = await run('rest', 'get', '/v1/persons/85073003328', '--api', 'demo');
  assert.equal(JSON.parse(human.stdout).ssin, '85073003328');
});

test('rest get: problem errors keep their codes (404, 403) in --json', async () => {
  const missing = await run('--json', 'rest', 'get', '/v1/nothing', '--api', 'demo');
  assert.equal(missing.status, 1);
  assert.equal(JSON.parse(missing.stdout).error.code, 'ERR_REST_NOT_FOUND');
  const forbidden = await run(
    '--json',
    'rest',
    'get',
    '/v1/persons/85073003328',
    '--api',
    'demo',
    '--scope',
    'scope:demo:health',
  );
  assert.equal(JSON.parse(forbidden.stdout).error.code, 'ERR_REST_FORBIDDEN');
  assert.equal(JSON.parse(forbidden.stdout).error.details.status, 403);
});

test('rest health --api demo: UP exits 0, DOWN exits 1 and is printed as a result', async () => {
  const up = await run('rest', 'health', '--api', 'demo');
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stdout, /^demo: UP \(HTTP 200\)/);
  await setHealth('DOWN');
  try {
    const down = await run('--json', 'rest', 'health', '--api', 'demo');
    assert.equal(down.status, 1);
    const out = JSON.parse(down.stdout);
    assert.deepEqual(
      { ...out, error: undefined },
      { ok: false, api: 'demo', status: 'DOWN', httpStatus: 503, details: {}, error: undefined },
    );
    assert.equal(out.error.code, 'ERR_REST_UNHEALTHY');
    assert.match(out.error.message, /demo API reports DOWN \(HTTP 503\)/);
    assert.ok(out.error.hint.length > 0);
    assert.deepEqual(out.error.details, { api: 'demo', httpStatus: 503 });
  } finally {
    await setHealth('UP');
  }
  const usage = await run('rest', 'health');
  assert.equal(usage.status, 2);
});
