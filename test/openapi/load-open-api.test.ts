import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadOpenApi } from '../../src/openapi/index.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { tempDir } from '../_support/tmp.ts';
import { EBOX_CONTRACT, FIXTURES, LEGACY_CONTRACT, PERSONS_CONTRACT } from './_contracts.ts';

const HEAD = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

function opWithSchema(ref: string): string {
  return `${HEAD}paths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '${ref}'\n`;
}

describe('loadOpenApi', () => {
  it('reads the eBox Swagger 2.0 contract: formData → multipart body, type file → binary, produces → contents', async () => {
    const c = await loadOpenApi(EBOX_CONTRACT);
    assert.equal(c.version, '2.0');
    assert.equal(c.title, 'EBOX REST API');
    assert.equal(c.apiName, 'ebox-rest-api');
    assert.deepEqual(c.servers, ['/ebox/$domain/v$']);
    assert.equal(c.operations.length, 20);
    const post = c.operations.find((o) => o.operationId === 'postMessage')!;
    assert.equal(post.method, 'POST');
    assert.deepEqual(post.parameters, []);
    assert.equal(post.body?.required, true);
    assert.equal(post.body?.contents[0]?.mediaType, 'multipart/form-data');
    const schema = post.body?.contents[0]?.schema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    assert.deepEqual(schema.required, ['messageToPublish']);
    assert.deepEqual(schema.properties['upfile1'], { type: 'string', format: 'binary' });
    const patch = c.operations.find((o) => o.operationId === 'patchMessagesByEBoxId')!;
    assert.equal(patch.body?.contents[0]?.mediaType, 'application/merge-patch+json');
    assert.deepEqual(patch.responses.find((r) => r.status === '200')?.contents, []);
    const list = c.operations.find((o) => o.operationId === 'getMessagesByEBoxId')!;
    assert.deepEqual(list.parameters.find((p) => p.name === 'page')?.schema, {
      type: 'integer',
      format: 'int32',
      default: 1,
      minimum: 1,
    });
    const content = c.operations.find((o) => o.operationId === 'getAttachmentContentById')!;
    assert.equal(content.responses[0]?.contents[0]?.mediaType, 'application/octet-stream');
  });

  it('reads the persons example (3.1): apiName from x-passerelle-api, security and scopes, path-level parameters', async () => {
    const c = await loadOpenApi(PERSONS_CONTRACT);
    assert.equal(c.version, '3.1');
    assert.equal(c.apiName, 'persons');
    assert.deepEqual(c.servers, ['https://services.example.be/REST/persons']);
    assert.deepEqual(
      c.operations.map((o) => [o.operationId, o.method, o.path, o.scopes.join(' ')]),
      [
        ['getPerson', 'GET', '/v1/persons/{ssin}', 'scope:persons:consult'],
        ['searchPersons', 'GET', '/v1/persons', 'scope:persons:consult'],
        ['createPerson', 'POST', '/v1/persons', 'scope:persons:manage'],
        ['uploadDocument', 'POST', '/v1/persons/{ssin}/documents', 'scope:persons:manage'],
        ['putAttestation', 'PUT', '/v1/persons/{ssin}/attestation', 'scope:persons:manage'],
      ],
    );
    const get = c.operations[0]!;
    assert.deepEqual(get.security, [[{ scheme: 'clientCredentials', scopes: ['scope:persons:consult'] }]]);
    assert.equal(get.parameters[0]?.in, 'path');
    assert.equal(get.parameters[0]?.required, true);
    assert.equal(c.operations[1]?.parameters.find((p) => p.name === 'name')?.example, 'Peeters');
  });

  it('bundles a local-file $ref into the document (3.0 fixture) and names an operation without operationId', async () => {
    const c = await loadOpenApi(LEGACY_CONTRACT);
    assert.equal(c.version, '3.0');
    assert.equal(c.apiName, 'legacy-payments-test');
    assert.doesNotMatch(JSON.stringify(c.document), /common\.yaml/);
    assert.deepEqual(
      c.operations.map((o) => o.operationId),
      ['getPayment', 'postPayments'],
    );
    const get = c.operations[0]!;
    assert.deepEqual(
      get.parameters.map((p) => `${p.in}:${p.name}:${p.explode}`),
      ['path:paymentId:false', 'query:verbose:true', 'query:tags:false', 'header:X-Trace:false'],
    );
  });

  it('a cookie parameter is ERR_CONTRACT_UNSUPPORTED', async () => {
    const e = await rejectsCode(loadOpenApi(`${FIXTURES}cookie.openapi.yaml`), 'ERR_CONTRACT_UNSUPPORTED');
    assert.equal(e.details['feature'], 'cookie parameter');
  });

  it('an https $ref is ERR_CONTRACT_REMOTE_REF (details.ref)', async () => {
    const e = await rejectsCode(loadOpenApi(`${FIXTURES}remote-ref.openapi.yaml`), 'ERR_CONTRACT_REMOTE_REF');
    assert.equal(e.details['ref'], 'https://schemas.example.invalid/thing.yaml#/Thing');
  });

  it('a $ref to ../outside.yaml is ERR_CONTRACT_REMOTE_REF, even when that file exists', async (t) => {
    await rejectsCode(loadOpenApi(`${FIXTURES}outside-ref.openapi.yaml`), 'ERR_CONTRACT_REMOTE_REF');
    const dir = tempDir(t);
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'outside.yaml'), 'Thing: {type: string}\n');
    writeFileSync(join(dir, 'api', 'c.yaml'), opWithSchema('../outside.yaml#/Thing'));
    const e = await rejectsCode(loadOpenApi(join(dir, 'api', 'c.yaml')), 'ERR_CONTRACT_REMOTE_REF');
    assert.equal(e.details['ref'], '../outside.yaml#/Thing');
    writeFileSync(join(dir, 'api', 'abs.yaml'), opWithSchema(`${join(dir, 'outside.yaml')}#/Thing`));
    await rejectsCode(loadOpenApi(join(dir, 'api', 'abs.yaml')), 'ERR_CONTRACT_REMOTE_REF');
  });

  it('nothing is fetched: $refs to a local HTTP server (direct, protocol-relative, file:, in a referenced file) are refused, 0 requests', async (t) => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.setHeader('content-type', 'application/yaml');
      res.end('Thing: {type: string}\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;
    const dir = tempDir(t);
    const cases = {
      'http.yaml': opWithSchema(`http://127.0.0.1:${port}/thing.yaml#/Thing`),
      'relative.yaml': opWithSchema(`//127.0.0.1:${port}/thing.yaml#/Thing`),
      'file-url.yaml': opWithSchema(`file://${join(dir, 'common.yaml')}#/Thing`),
      'nested.yaml': opWithSchema('./common.yaml#/Thing'),
    };
    writeFileSync(join(dir, 'common.yaml'), `Thing:\n  $ref: 'http://127.0.0.1:${port}/thing.yaml#/Thing'\n`);
    for (const [name, text] of Object.entries(cases)) {
      writeFileSync(join(dir, name), text);
      const e = await rejectsCode(loadOpenApi(join(dir, name)), 'ERR_CONTRACT_REMOTE_REF');
      assert.match(String(e.details['ref']), /127\.0\.0\.1|file:/);
    }
    // Control: the server answers when asked, so a fetch would have been counted.
    const res = await fetch(`http://127.0.0.1:${port}/thing.yaml`);
    await res.text();
    assert.equal(hits, 1);
  });

  it('not OpenAPI, not YAML, refused by the parser: ERR_CONTRACT_INVALID with details.errors', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'plain.yaml'), 'name: not a contract\nitems: [1, 2]\n');
    writeFileSync(join(dir, 'broken.yaml'), 'openapi: 3.0.3\ninfo: [unclosed\n');
    writeFileSync(join(dir, 'refused.yaml'), `${HEAD}paths:\n  /x:\n    get:\n      operationId: getX\n`);
    writeFileSync(join(dir, 'scalar.json'), '42');
    for (const name of ['plain.yaml', 'broken.yaml', 'refused.yaml', 'scalar.json']) {
      const e = await rejectsCode(loadOpenApi(join(dir, name)), 'ERR_CONTRACT_INVALID');
      assert.ok(Array.isArray(e.details['errors']), name);
      assert.ok((e.details['errors'] as string[]).length > 0, name);
    }
  });

  it('a missing file, a missing referenced file, a file over maxBytes: ERR_CONTRACT_UNREADABLE', async (t) => {
    const dir = tempDir(t);
    await rejectsCode(loadOpenApi(join(dir, 'nope.yaml')), 'ERR_CONTRACT_UNREADABLE');
    writeFileSync(join(dir, 'dangling.yaml'), opWithSchema('./absent.yaml#/Thing'));
    await rejectsCode(loadOpenApi(join(dir, 'dangling.yaml')), 'ERR_CONTRACT_UNREADABLE');
    const e = await rejectsCode(loadOpenApi(PERSONS_CONTRACT, { maxBytes: 1024 }), 'ERR_CONTRACT_UNREADABLE');
    assert.equal(e.details['maxBytes'], 1024);
  });
});
