/**
 * `passerelle rest operations|template|call --openapi` and `passerelle sandbox --contract
 * --scenarios`, in-process, against a sandbox serving the example persons contract.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { createContext } from '../../src/cli/context.ts';
import { serveSandbox } from '../../src/cli/sandbox-impl.ts';
import { FrozenClock } from '../../src/clock.ts';
import { loadSandboxContracts } from '../../src/sandbox/contracts/index.ts';
import { oauthModule } from '../../src/sandbox/oauth/module.ts';
import { restModule } from '../../src/sandbox/rest/module.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { runCli, startTestSandbox, type TestSandbox } from '../sandbox/oauth/_start.ts';

const CONTRACTS = resolve(import.meta.dirname, '../../contracts');
const PERSONS = join(CONTRACTS, 'examples/persons.openapi.yaml');
const PERSONS_SCENARIOS = join(CONTRACTS, 'examples/persons.scenarios.yaml');
const SSIN = '85073003328';
const dir = tempDir({ after }, 'passerelle-cli-rest-contract-');

let sandbox: TestSandbox;
before(async () => {
  const contracts = await loadSandboxContracts([{ file: PERSONS, scenarios: PERSONS_SCENARIOS }]);
  sandbox = await startTestSandbox([
    oauthModule({ extraScopes: contracts.scopes }),
    restModule({ contracts }),
  ]);
});
after(() => sandbox?.dispose());

const run = (...args: string[]) => runCli(sandbox, ...args);
const json = async (...args: string[]) => {
  const r = await run('--json', ...args);
  return { status: r.status, out: JSON.parse(r.stdout), stderr: r.stderr };
};

/** `rest call --openapi PERSONS --operation OP ARGS…`, --json. */
const callOp = (operation: string, ...args: string[]) =>
  json('rest', 'call', '--openapi', PERSONS, '--operation', operation, ...args);

test('rest operations lists operationId, method, path and scopes (human and --json)', async () => {
  const { status, out } = await json('rest', 'operations', PERSONS);
  assert.equal(status, 0);
  assert.equal(out.api, 'persons');
  assert.equal(out.version, '3.1');
  const get = out.operations.find((o: { operationId: string }) => o.operationId === 'getPerson');
  assert.deepEqual(get, {
    operationId: 'getPerson',
    method: 'GET',
    path: '/v1/persons/{ssin}',
    scopes: ['scope:persons:consult'],
    summary: 'One person by SSIN',
  });
  const human = await run('rest', 'operations', PERSONS);
  assert.match(human.stdout, /^Persons demo \(OpenAPI 3\.1, api persons\)/);
  assert.match(human.stdout, /createPerson\s+POST\s+\/v1\/persons\s+\[scope:persons:manage\]/);
});

test('rest template prints a body that rest call sends as is (201, valid both ways)', async () => {
  const { status, out } = await json('rest', 'template', PERSONS, 'createPerson');
  assert.equal(status, 0);
  assert.equal(out.contentType, 'application/json');
  const bodyFile = join(dir, 'create.json');
  writeFileSync(bodyFile, JSON.stringify(out.body));
  const call = await callOp('createPerson', '--body', bodyFile);
  assert.equal(call.status, 0, call.stderr);
  assert.equal(call.out.status, 201);
  assert.equal(call.out.validated, true);
  const human = await run('rest', 'template', PERSONS, 'getPerson');
  assert.match(
    human.stdout,
    /^# GET \/v1\/persons\/\{ssin\} {2}\(scopes: scope:persons:consult\)\n--param ssin=\d{11}/,
  );
});

test('rest call with --param, and a multipart body with --file', async () => {
  const get = await callOp('getPerson', '--param', `ssin=${SSIN}`);
  assert.equal(get.status, 0, get.stderr);
  assert.equal(get.out.operationId, 'getPerson');
  assert.equal(get.out.status, 200);
  const pdf = join(dir, 'doc.pdf');
  writeFileSync(pdf, '%PDF-1.4\n%%EOF\n');
  const fields = join(dir, 'fields.json');
  writeFileSync(fields, JSON.stringify({ title: 'Attestation' }));
  const upload = await callOp(
    'uploadDocument',
    '--param',
    `ssin=${SSIN}`,
    '--body',
    fields,
    '--file',
    `file=${pdf}`,
  );
  assert.equal(upload.status, 0, upload.stderr);
  assert.equal(upload.out.status, 202);
});

test("rest template --body-out writes what rest call --body reads: JSON, a form's text fields; a PDF body goes as bytes", async () => {
  const create = join(dir, 'create-out.json');
  const t = await run('rest', 'template', PERSONS, 'createPerson', '--body-out', create);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /^# POST \/v1\/persons/);
  assert.equal(JSON.parse(readFileSync(create, 'utf8')).address.country, 'BE');
  const sent = await callOp('createPerson', '--body', create);
  assert.equal(sent.out.status, 201, sent.stderr);

  const fields = join(dir, 'fields-out.json');
  assert.equal((await run('rest', 'template', PERSONS, 'uploadDocument', '--body-out', fields)).status, 0);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(fields, 'utf8'))), ['title']);

  const noBody = await json('rest', 'template', PERSONS, 'getPerson', '--body-out', join(dir, 'x.json'));
  assert.equal(noBody.out.error.code, 'ERR_USAGE');
  const bytes = await json('rest', 'template', PERSONS, 'putAttestation', '--body-out', join(dir, 'x.json'));
  assert.equal(bytes.out.error.code, 'ERR_USAGE');
  assert.match(bytes.out.error.message, /application\/pdf body, not JSON/);

  const pdf = join(dir, 'attestation.pdf');
  writeFileSync(pdf, '%PDF-1.4\n%%EOF\n');
  const put = await callOp('putAttestation', '--param', `ssin=${SSIN}`, '--body', pdf);
  assert.equal(put.status, 0, put.stderr);
  assert.equal(put.out.status, 204);
  assert.equal(put.out.validated, true);
  const served = sandbox.exchanges().filter((e) => e.operation === 'persons putAttestation');
  assert.deepEqual(
    served.map((e) => e.status),
    [204],
  );
});

test('rest call failures keep their codes: invalid request, unknown operation, scenario 404, usage', async () => {
  const invalid = await callOp('getPerson', '--param', 'ssin=12');
  assert.equal(invalid.status, 1);
  assert.equal(invalid.out.error.code, 'ERR_CONTRACT_REQUEST_INVALID');
  assert.match(invalid.out.error.details.errors[0], /^path ssin: /);
  const unknown = await callOp('nope');
  assert.equal(unknown.out.error.code, 'ERR_CONTRACT_OPERATION_NOT_FOUND');
  const notFound = await callOp('getPerson', '--param', 'ssin=00000000097');
  assert.equal(notFound.out.error.code, 'ERR_REST_NOT_FOUND');
  const usage = await run(
    'rest',
    'call',
    '--openapi',
    PERSONS,
    '--operation',
    'getPerson',
    '--param',
    'ssin',
  );
  assert.equal(usage.status, 2);
  const missing = await json('rest', 'operations', join(dir, 'missing.yaml'));
  assert.equal(missing.out.error.code, 'ERR_CONTRACT_UNREADABLE');
});

test('rest.apis.<api>.headers of the environment are sent with every call of that service', async () => {
  const scenarios = join(dir, 'headers.scenarios.yaml');
  writeFileSync(
    scenarios,
    `contract: persons\nscenarios:\n  - name: legal context\n    operation: getPerson\n    when:\n      - path: $.headers.legal-context\n        equals: annex-7\n    reply:\n      status: 200\n      body: { ssin: '${SSIN}', lastName: Context, firstName: Seen, birthDate: '1985-07-30', gender: F }\n`,
  );
  const contracts = await loadSandboxContracts([{ file: PERSONS, scenarios }]);
  const other = await startTestSandbox([
    oauthModule({ extraScopes: contracts.scopes }),
    restModule({ contracts }),
  ]);
  try {
    const otherConfig = JSON.parse(readFileSync(other.configPath, 'utf8'));
    otherConfig.environments.sandbox.rest = {
      apis: { persons: { headers: { 'Legal-Context': 'annex-7' } } },
    };
    writeFileSync(join(other.stateDir, 'with-headers.config.json'), JSON.stringify(otherConfig));
    const r = await runCli(
      other,
      '--config',
      join(other.stateDir, 'with-headers.config.json'),
      '--json',
      'rest',
      'call',
      '--openapi',
      PERSONS,
      '--operation',
      'getPerson',
      '--param',
      `ssin=${SSIN}`,
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(JSON.parse(r.stdout).body.lastName, 'Context');
  } finally {
    await other.dispose();
  }
});

test('sandbox --contract --scenarios serves the contract; a scenario naming no contract is refused', async () => {
  const cap = captureIo();
  const ctx = createContext(
    cap.io,
    { json: true },
    { clock: new FrozenClock(TEST_NOW), cwd: dir, processEnv: {} },
  );
  const controller = new AbortController();
  let served: unknown;
  const status = await serveSandbox(
    ctx,
    { stateDir: 'served', contract: [PERSONS], scenarios: [PERSONS_SCENARIOS] },
    controller.signal,
    (s) => {
      served = s.modules['rest']?.info?.['contracts'];
      setImmediate(() => controller.abort());
    },
  );
  assert.equal(status, 0);
  assert.match(JSON.stringify(served), /persons/);
  const orphan = join(dir, 'orphan.scenarios.yaml');
  writeFileSync(orphan, 'contract: nobody\nscenarios: []\n');
  const bad = captureIo();
  const badCtx = createContext(
    bad.io,
    { json: true },
    { clock: new FrozenClock(TEST_NOW), cwd: dir, processEnv: {} },
  );
  await assert.rejects(
    serveSandbox(
      badCtx,
      { stateDir: 'orphan', contract: [PERSONS], scenarios: [orphan] },
      new AbortController().signal,
    ),
    (e: { code?: string }) => e.code === 'ERR_CONTRACT_SCENARIO_INVALID',
  );
});
