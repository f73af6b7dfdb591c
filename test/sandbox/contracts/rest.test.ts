/**
 * The sandbox serving OpenAPI contracts on the REST listener, over mutual TLS with bearer tokens
 * from its authorization server: every operation of the persons example (OpenAPI 3.1) and of
 * the eBox REST swagger (2.0) called with its template request answers 2xx with a reply the
 * contract's validator accepts; missing token, missing scope, invalid requests and unknown
 * paths are refused with the status and problem type asserted; scenarios answer canned replies
 * after their delay. Real time (oidc-provider).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildRequest, createContractValidator, requestTemplate } from '../../../src/openapi/index.ts';
import type { ContractRequest } from '../../../src/openapi/types.ts';
import type { SandboxRestContract } from '../../../src/sandbox/contracts/types.ts';
import { tempDir } from '../../_support/tmp.ts';
import { sendRest } from './_rest-call.ts';
import { CONTRACT_FILES, type ContractSandbox, startContractSandbox, writeScenarios } from './_start.ts';

const PROBLEM = 'urn:passerelle:sandbox:problem:';
const ALL_SCOPES = 'scope:persons:consult scope:persons:manage';
const SCENARIOS = `
contract: persons
scenarios:
  - name: unknown person
    operation: getPerson
    when:
      - path: $.path.ssin
        equals: "00000000097"
    reply:
      status: 404
      headers: { x-scenario: unknown-person }
      body: { type: "urn:example:not-found", title: Not Found, status: 404 }
  - name: slow search
    operation: searchPersons
    when:
      - path: $.query.name
        matches: "^slow"
    delayMs: 300
    reply: { status: 200, body: [] }
  - name: traced creation in Gent
    operation: createPerson
    when:
      - path: $.body.address.city
        equals: Gent
      - path: $.headers.X-Trace
        exists: true
    reply:
      status: 201
      body: { ssin: "90021412345", lastName: Janssens, firstName: Luc, birthDate: "1990-02-14", gender: M }
`;

const dir = tempDir({ after }, 'passerelle-scenarios-');
const cs: ContractSandbox = await startContractSandbox({ after }, [
  { file: CONTRACT_FILES.persons, scenarios: writeScenarios(dir, 'persons.yaml', SCENARIOS) },
  { file: CONTRACT_FILES.eboxRest },
]);
const persons: SandboxRestContract = cs.contracts.rest.find((c) => c.api === 'persons')!;

const token = async (scope?: string) =>
  (await cs.oauth.getToken({ forceRefresh: true, ...(scope === undefined ? {} : { scope }) })).value;
const send = (req: ContractRequest, bearer: string | undefined, api = 'persons') =>
  sendRest(cs.http, cs.restBase, api, req, bearer);
const op = (id: string) => persons.contract.operations.find((o) => o.operationId === id)!;
const request = (id: string, input: Parameters<typeof buildRequest>[2]) =>
  buildRequest(persons.contract, op(id), input);
const template = (id: string) => {
  const t = requestTemplate(persons.contract, op(id));
  return {
    params: t.params,
    body: t.body,
    ...(t.contentType === undefined ? {} : { contentType: t.contentType }),
  };
};

test('the contract scopes are grantable; the APIs are the persons and eBox contracts', async () => {
  assert.deepEqual(cs.contracts.scopes, ['scope:persons:consult', 'scope:persons:manage']);
  assert.deepEqual(
    cs.contracts.rest.map((c) => c.api),
    ['persons', 'ebox-rest-api'],
  );
  const granted = (await cs.oauth.getToken({ scope: ALL_SCOPES, forceRefresh: true })).scope;
  assert.equal(granted, ALL_SCOPES);
});

test('every operation of both contracts, called with its template request, answers 2xx with a valid reply', async () => {
  const bearer = await token(ALL_SCOPES);
  let calls = 0;
  for (const served of cs.contracts.rest) {
    const validator = createContractValidator(served.contract);
    for (const operation of served.contract.operations) {
      const t = requestTemplate(served.contract, operation);
      const req = buildRequest(served.contract, operation, {
        params: t.params,
        body: t.body,
        ...(t.contentType === undefined ? {} : { contentType: t.contentType }),
      });
      const reply = await send(req, bearer, served.api);
      const what = `${served.api} ${operation.operationId}: ${JSON.stringify(reply.body ?? null).slice(0, 300)}`;
      assert.ok(reply.status >= 200 && reply.status < 300, `${what} → ${reply.status}`);
      assert.deepEqual(validator.response(operation, reply), [], what);
      calls++;
    }
  }
  assert.equal(calls, persons.contract.operations.length + cs.contracts.rest[1]!.contract.operations.length);
  const served = cs.log.entries
    .filter((e) => e.msg === 'contract call served')
    .map((e) => e.fields['operation']);
  assert.ok(served.includes('persons uploadDocument'), 'the log names the operation');
  assert.ok(served.includes('ebox-rest-api getEBoxById'));
  const journal = cs.sandbox.exchanges().filter((e) => e.listener === 'rest');
  assert.ok(journal.some((e) => e.operation === 'persons createPerson' && e.status === 201));
});

test('no token → 401 unauthorized with a Bearer challenge', async () => {
  const reply = await send(request('getPerson', { params: { ssin: '85073003328' } }), undefined);
  assert.equal(reply.status, 401);
  assert.equal(reply.json?.['type'], `${PROBLEM}unauthorized`);
  assert.match(String(reply.headers['www-authenticate']), /^Bearer realm="passerelle-sandbox"$/);
});

test('a token without the operation scope → 403 insufficient_scope naming the scope', async () => {
  const consult = await token('scope:persons:consult');
  assert.equal((await send(request('getPerson', { params: { ssin: '85073003328' } }), consult)).status, 200);
  const reply = await send(request('createPerson', template('createPerson')), consult);
  assert.equal(reply.status, 403);
  assert.equal(reply.contentType, 'application/problem+json');
  assert.equal(reply.json?.['type'], `${PROBLEM}insufficient-scope`);
  assert.match(
    String(reply.headers['www-authenticate']),
    /error="insufficient_scope", scope="scope:persons:manage"/,
  );
  // A token asked without scope gets the sandbox defaults, none of the contract's.
  const other = await send(request('getPerson', { params: { ssin: '85073003328' } }), await token());
  assert.equal(other.status, 403);
  assert.match(String(other.headers['www-authenticate']), /scope="scope:persons:consult"/);
});

test('a missing required field → 400 request-invalid naming it', async () => {
  const { firstName: _, ...rest } = template('createPerson').body as Record<string, unknown>;
  const reply = await send(request('createPerson', { body: rest }), await token(ALL_SCOPES));
  assert.equal(reply.status, 400);
  assert.equal(reply.json?.['type'], `${PROBLEM}request-invalid`);
  const errors = reply.json?.['errors'] as { in: string; at: string; message: string }[];
  assert.ok(
    errors.some((e) => e.in === 'body' && `${e.at} ${e.message}`.includes('firstName')),
    JSON.stringify(errors),
  );
  assert.match(String(reply.json?.['detail']), /firstName/);
  const [exchange] = cs.sandbox.exchanges(1);
  assert.deepEqual([exchange?.operation, exchange?.reason], ['persons createPerson', 'request-invalid']);
});

test('a wrong type → 400 naming the field (body and query)', async () => {
  const bearer = await token(ALL_SCOPES);
  const body = { ...(template('createPerson').body as Record<string, unknown>), gender: 5 };
  const reply = await send(request('createPerson', { body }), bearer);
  assert.equal(reply.status, 400);
  assert.equal(reply.json?.['type'], `${PROBLEM}request-invalid`);
  const errors = reply.json?.['errors'] as { in: string; at: string }[];
  assert.ok(
    errors.some((e) => e.in === 'body' && e.at.includes('gender')),
    JSON.stringify(errors),
  );
  const query = await send(
    request('searchPersons', { params: { name: 'Peeters', birthYear: 'abc' } }),
    bearer,
  );
  assert.equal(query.status, 400);
  const qErrors = query.json?.['errors'] as { in: string; at: string }[];
  assert.ok(
    qErrors.some((e) => e.in === 'query' && e.at === 'birthYear'),
    JSON.stringify(qErrors),
  );
  const notJson = await cs.http.request(`${cs.restBase}/persons/v1/persons`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: '{"lastName":',
  });
  assert.equal(notJson.status, 400);
  assert.equal(JSON.parse(notJson.body.toString())['type'], `${PROBLEM}request-invalid`);
});

test('an unknown path → 404 not-found; a known path with another method → 405 with Allow', async () => {
  const bearer = await token(ALL_SCOPES);
  const nope = await cs.http.request(`${cs.restBase}/persons/v1/nope`, {
    headers: { authorization: `Bearer ${bearer}` },
  });
  assert.equal(nope.status, 404);
  assert.equal(JSON.parse(nope.body.toString())['type'], `${PROBLEM}not-found`);
  const del = await cs.http.request(`${cs.restBase}/persons/v1/persons/85073003328`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${bearer}` },
  });
  assert.equal(del.status, 405);
  assert.equal(del.headers['allow'], 'GET');
});

test('a scenario answers its canned reply; another waits its delay; the others get generated replies', async () => {
  const bearer = await token(ALL_SCOPES);
  const unknown = await send(request('getPerson', { params: { ssin: '00000000097' } }), bearer);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.contentType, 'application/problem+json');
  assert.equal(unknown.headers['x-scenario'], 'unknown-person');
  assert.deepEqual(unknown.body, { type: 'urn:example:not-found', title: 'Not Found', status: 404 });
  const started = performance.now();
  const slow = await send(request('searchPersons', { params: { name: 'slowpoke' } }), bearer);
  assert.ok(performance.now() - started >= 300, 'the reply waited the scenario delay');
  assert.deepEqual([slow.status, slow.body], [200, []]);
  const body = template('createPerson').body as Record<string, unknown>;
  const address = { street: 'Kerkstraat 1', zip: '9000', city: 'Gent', country: 'BE' };
  const traced = await send(
    request('createPerson', { body: { ...body, address }, headers: { 'x-trace': '1' } }),
    bearer,
  );
  assert.equal((traced.body as Record<string, unknown>)['ssin'], '90021412345');
  const untraced = await send(request('createPerson', { body: { ...body, address } }), bearer);
  assert.equal(untraced.status, 201);
  assert.notEqual((untraced.body as Record<string, unknown>)['ssin'], '90021412345');
  const described = cs.contracts.describe().find((d) => d.name === 'persons')!;
  assert.equal(described.scenarios, 3);
  assert.deepEqual(described.scenarioMatches, {
    'unknown person': 1,
    'slow search': 1,
    'traced creation in Gent': 1,
  });
  const stats = cs.sandbox.modules['rest']?.stats?.() ?? {};
  assert.equal(stats['contractScenarioReplies'], 3);
});
