/**
 * What the eBox answers a publishMessage, and what the client makes of it: the 201
 * PublicationStatusMessage (NO_DIGITAL_USER included) and each StatusMessage or status as its
 * code. The answers the peer sends are checked against the swagger's own definitions first.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FrozenClock } from '../../../src/clock.ts';
import { type ErrorCode, isPasserelleError, type PasserelleError } from '../../../src/errors.ts';
import {
  createEboxRestClient,
  type EboxPublication,
  type EboxRestClient,
} from '../../../src/services/ebox/index.ts';
import { classifyRetry } from '../../../src/transport/classify-retry.ts';
import { type Answer, created, type RestPeer, startRestPeer } from './_rest-peer.ts';
import { swaggerValidator } from './_swagger.ts';

const clock = new FrozenClock(Date.now());
const dir = mkdtempSync(join(tmpdir(), 'passerelle-ebox-answers-'));
const statusMessage = swaggerValidator('StatusMessage', ['StatusMessage']);
const publicationStatus = swaggerValidator('PublicationStatusMessage', ['PublicationStatusMessage']);
let peer: RestPeer;
let client: EboxRestClient;

before(async () => {
  peer = await startRestPeer();
  client = await createEboxRestClient(await peer.environment(dir), { clock });
});
after(async () => {
  await client?.close();
  await peer?.close();
  rmSync(dir, { recursive: true, force: true });
});

const publication = (): EboxPublication => {
  const path = join(dir, 'doc.pdf');
  writeFileSync(path, '%PDF-1.7 answer');
  return {
    recipient: '85073003328',
    messageType: 'TAXCERTIFICATE',
    subject: { lang: 'de', text: 'Ihre Bescheinigung' },
    document: { path },
    idempotencyKey: 'answers-key-1',
  };
};

const status = (httpStatus: number, code: string, message = 'refused'): Answer => {
  const body = { id: randomUUID(), code, message, contact: 'helpdesk@example.be', environment: 'test' };
  assert.deepEqual(statusMessage(body), [], 'the fixture is a StatusMessage');
  return { status: httpStatus, body };
};

async function fails(answer: Answer, code: ErrorCode): Promise<PasserelleError> {
  peer.answer = () => answer;
  let caught: unknown;
  await assert.rejects(client.publish(publication()), (e) => {
    caught = e;
    assert.ok(isPasserelleError(e, code), `expected ${code}, got ${String((e as { code?: string }).code)}`);
    return true;
  });
  const error = caught as PasserelleError;
  const token = String(peer.received.at(-1)?.headers.authorization ?? '').slice('Bearer '.length);
  assert.ok(token.length > 10);
  assert.ok(
    !JSON.stringify(error).includes(token) && !error.message.includes(token),
    'the token never shows',
  );
  return error;
}

test('201 with code NO_DIGITAL_USER: published, and the citizen never opened their eBox', async () => {
  const body = { messageId: 'm-1', expirationDate: '2027-06-15T10:00:00+02:00', code: 'NO_DIGITAL_USER' };
  assert.deepEqual(publicationStatus(body), []);
  peer.answer = () => ({ status: 201, body });
  const result = await client.publish(publication());
  assert.equal(result.messageId, 'm-1');
  assert.equal(result.noDigitalUser, true);
  assert.equal(result.expirationDate, '2027-06-15T10:00:00+02:00');
  assert.equal(result.idempotencyKey, 'answers-key-1');
});

test('400 INVALID_INPUT and INVALID_SENDER: their codes, with the StatusMessage in details', async () => {
  const input = status(400, 'INVALID_INPUT', 'subject too long');
  const e = await fails(input, 'ERR_EBOX_INVALID_INPUT');
  const sent = input.body as { id: string };
  assert.equal(e.details['status'], 400);
  assert.equal(e.details['statusCode'], 'INVALID_INPUT');
  assert.equal(e.details['id'], sent.id);
  assert.equal(e.details['origin'], 'platform');
  assert.equal(e.details['platformMessage'], 'subject too long');
  const sender = await fails(status(400, 'INVALID_SENDER'), 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED');
  assert.equal(sender.details['statusCode'], 'INVALID_SENDER');
  await fails(status(400, 'SOMETHING_NEW'), 'ERR_EBOX_BUSINESS');
});

test('401, 403 (the hint names the publication scope), 404', async () => {
  await fails(status(401, 'UNAUTHORIZED'), 'ERR_REST_UNAUTHORIZED');
  const forbidden = await fails(status(403, 'FORBIDDEN'), 'ERR_REST_FORBIDDEN');
  assert.match(forbidden.hint, /ws-eboxrestentreprise:publicationsender/);
  await fails({ status: 404, body: '<html>no</html>' }, 'ERR_REST_NOT_FOUND');
});

test('409: a repeated Idempotency-Key is ERR_EBOX_DUPLICATE with the key', async () => {
  const e = await fails(status(409, 'DUPLICATE', 'already published'), 'ERR_EBOX_DUPLICATE');
  assert.equal(e.details['idempotencyKey'], 'answers-key-1');
  assert.equal(e.details['origin'], 'platform');
});

test('5xx: 503 is retryable (and retried with the same key when asked), 500 is not', async () => {
  const unavailable = await fails(status(503, 'UNAVAILABLE'), 'ERR_TRANSPORT_HTTP_STATUS');
  assert.deepEqual(classifyRetry(unavailable), { retry: true, reason: 'http-503' });
  assert.equal(unavailable.details['idempotencyKey'], 'answers-key-1');
  const failed = await fails(status(500, 'ERROR'), 'ERR_TRANSPORT_HTTP_STATUS');
  assert.equal(classifyRetry(failed).retry, false);
  let calls = 0;
  peer.answer = () => (++calls === 1 ? status(503, 'UNAVAILABLE') : created());
  const before = peer.received.length;
  const result = await client.publish(publication(), { retry: { attempts: 3, sleep: async () => {} } });
  assert.equal(calls, 2);
  const keys = peer.received.slice(before).map((r) => r.headers['idempotency-key']);
  assert.deepEqual(keys, ['"answers-key-1"', '"answers-key-1"']);
  assert.equal(result.idempotencyKey, 'answers-key-1');
});

test('401 invalid_token: one new token, one new attempt', async () => {
  let calls = 0;
  peer.answer = () =>
    ++calls === 1
      ? { ...status(401, 'UNAUTHORIZED'), headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }
      : created();
  const tokens = peer.tokenRequests();
  const result = await client.publish(publication());
  assert.ok(result.messageId);
  assert.equal(calls, 2);
  assert.equal(peer.tokenRequests() - tokens, 1);
  const [first, second] = peer.received.slice(-2).map((r) => r.headers.authorization);
  assert.notEqual(first, second);
});

test('answers that are not the contract’s JSON: ERR_REST_RESPONSE_INVALID', async () => {
  await fails({ status: 201, body: '<html>ok</html>' }, 'ERR_REST_RESPONSE_INVALID');
  await fails({ status: 201, body: { expirationDate: '2027-01-01T00:00:00Z' } }, 'ERR_REST_RESPONSE_INVALID');
  await fails(
    { status: 201, body: { messageId: 'x', pad: 'p'.repeat(70_000) } },
    'ERR_REST_RESPONSE_INVALID',
  );
  await fails({ status: 400, body: '<html>Bad Request</html>' }, 'ERR_REST_RESPONSE_INVALID');
});
