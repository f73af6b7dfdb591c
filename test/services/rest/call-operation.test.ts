/**
 * callOperation against the sandbox serving the example persons contract (OpenAPI 3.1) behind
 * its authorization server: valid calls checked both ways, a bad request refused before
 * anything is sent, a response outside the contract refused, the operation's scopes asked,
 * configured partner headers sent, multipart bodies.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveEnvironment } from '../../../src/config/environment.ts';
import { loadConfig } from '../../../src/config/load.ts';
import {
  findOperation,
  loadOpenApi,
  type OpenApiContract,
  requestTemplate,
} from '../../../src/openapi/index.ts';
import { loadSandboxContracts } from '../../../src/sandbox/contracts/index.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import { restModule } from '../../../src/sandbox/rest/module.ts';
import { callOperation } from '../../../src/services/rest/call-operation.ts';
import { createRestService, type RestService } from '../../../src/services/rest/create-rest-service.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { tempDir } from '../../_support/tmp.ts';
import { writeScenarios } from '../../sandbox/contracts/_start.ts';
import { startTestSandbox, type TestSandbox } from '../../sandbox/oauth/_start.ts';

const PERSONS = resolve(import.meta.dirname, '../../../contracts/examples/persons.openapi.yaml');
const SSIN = '85073003328';
const SCENARIOS = `contract: persons
scenarios:
  - name: legal context seen
    operation: getPerson
    when:
      - path: $.headers.legal-context
        equals: 'annex-7'
    reply:
      status: 200
      body: { ssin: '${SSIN}', lastName: Context, firstName: Seen, birthDate: '1985-07-30', gender: F }
  - name: broken reply
    operation: searchPersons
    when:
      - path: $.query.name
        equals: broken
    reply:
      status: 200
      body: { not: an array }
`;

let sandbox: TestSandbox;
let service: RestService;
let contract: OpenApiContract;
const requests = () => sandbox.modules['rest']?.stats?.()['requests'] ?? 0;

before(async () => {
  const dir = tempDir({ after }, 'passerelle-call-operation-');
  const contracts = await loadSandboxContracts([
    { file: PERSONS, scenarios: writeScenarios(dir, 'persons.scenarios.yaml', SCENARIOS) },
  ]);
  sandbox = await startTestSandbox([
    oauthModule({ extraScopes: contracts.scopes }),
    restModule({ contracts }),
  ]);
  const env = resolveEnvironment(await loadConfig({ path: sandbox.configPath, env: {} }), 'sandbox', {});
  service = await createRestService(env, { processEnv: {} });
  contract = await loadOpenApi(PERSONS);
});
after(async () => {
  await service?.close();
  await sandbox?.dispose();
});

test('a valid getPerson: the token carries the operation scope, request and response are valid', async () => {
  const r = await callOperation(service.rest(), contract, findOperation(contract, 'getPerson'), {
    params: { ssin: SSIN },
  });
  assert.equal(r.status, 200);
  assert.equal(r.validated, true);
  assert.equal(r.path, `/v1/persons/${SSIN}`);
  assert.equal((r.body as { ssin: string }).ssin.length, 11);
});

test('a request outside the contract is refused before anything is sent', async () => {
  const before = requests();
  const op = findOperation(contract, 'getPerson');
  const error = await rejectsCode(
    callOperation(service.rest(), contract, op, { params: { ssin: '12' } }),
    'ERR_CONTRACT_REQUEST_INVALID',
  );
  assert.match(String(error.details['errors']), /path ssin/);
  const missing = await rejectsCode(
    callOperation(service.rest(), contract, findOperation(contract, 'createPerson'), {
      body: { gender: 'F' },
    }),
    'ERR_CONTRACT_REQUEST_INVALID',
  );
  assert.ok((missing.details['errors'] as string[]).some((e) => e.startsWith('body /')));
  assert.equal(requests(), before, 'nothing reached the sandbox');
});

test('without client validation the sandbox refuses the same request itself (400)', async () => {
  const op = findOperation(contract, 'getPerson');
  const error = await rejectsCode(
    callOperation(service.rest(), contract, op, { params: { ssin: '12' } }, { validate: false }),
    'ERR_REST_PROBLEM',
  );
  assert.equal(error.details['status'], 400);
});

test('a response outside the contract is ERR_CONTRACT_RESPONSE_INVALID', async () => {
  const op = findOperation(contract, 'searchPersons');
  const error = await rejectsCode(
    callOperation(service.rest(), contract, op, { params: { name: 'broken' } }),
    'ERR_CONTRACT_RESPONSE_INVALID',
  );
  assert.equal(error.details['status'], 200);
  const ok = await callOperation(
    service.rest(),
    contract,
    op,
    { params: { name: 'broken' } },
    { validate: false },
  );
  assert.deepEqual(ok.body, { not: 'an array' });
});

test('a token without the operation scope: 403 from the sandbox (ERR_REST_FORBIDDEN)', async () => {
  const op = findOperation(contract, 'createPerson');
  const { body } = requestTemplate(contract, op);
  const error = await rejectsCode(
    callOperation(service.rest(), contract, op, { body }, { scope: 'scope:persons:consult' }),
    'ERR_REST_FORBIDDEN',
  );
  assert.equal(error.details['status'], 403);
  const created = await callOperation(service.rest(), contract, op, { body });
  assert.equal(created.status, 201);
});

test("the service's configured headers are sent (the legal context of the partner annex)", async () => {
  const op = findOperation(contract, 'getPerson');
  const r = await callOperation(
    service.rest(),
    contract,
    op,
    { params: { ssin: SSIN } },
    { headers: { 'Legal-Context': 'annex-7' } },
  );
  assert.equal((r.body as { lastName: string }).lastName, 'Context');
});

test('a multipart upload (file and text fields) is built, accepted and answered within the contract', async () => {
  const op = findOperation(contract, 'uploadDocument');
  const bytes = Buffer.from('%PDF-1.4\n%%EOF\n');
  const r = await callOperation(service.rest(), contract, op, {
    params: { ssin: SSIN },
    body: { title: 'Attestation', file: { filename: 'a.pdf', contentType: 'application/pdf', bytes } },
  });
  assert.equal(r.status, 202);
  const missing = await rejectsCode(
    callOperation(service.rest(), contract, op, { params: { ssin: SSIN }, body: { title: 'no file' } }),
    'ERR_CONTRACT_REQUEST_INVALID',
  );
  assert.match(String(missing.details['errors']), /file/);
});
