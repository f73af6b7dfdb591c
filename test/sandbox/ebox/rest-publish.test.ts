/**
 * REST v2 publishMessage, driven with undici as the partner: bearer tokens from the sandbox
 * authorization server (401 without, 403 without the publication scope), 201
 * PublicationStatusMessage (NO_DIGITAL_USER for a citizen who never opened their eBox),
 * Idempotency-Key (409), 400 INVALID_INPUT / INVALID_SENDER / INVALID_RECIPIENT; every JSON reply
 * valid against the swagger's definitions (ajv).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CITIZEN, startEbox, TAX } from './_ebox.ts';
import { consoleGet } from './_inbox.ts';
import { b64url, form, message, postRest, publicationScope, tokenFor } from './_rest.ts';
import { assertSwagger } from './_swagger.ts';

const s = await startEbox({ after });
let bearer: Record<string, string> = {};
before(async () => {
  bearer = { authorization: `Bearer ${await tokenFor(s, publicationScope)}` };
});

/** Asserts a StatusMessage answer with this status and code; returns its message. */
async function refused(
  reply: Awaited<ReturnType<typeof postRest>>,
  status: number,
  code: string,
  reason?: string,
) {
  assert.equal(reply.status, status, reply.text.slice(0, 400));
  assert.match(reply.type, /^application\/json/);
  const body = reply.json();
  assertSwagger('StatusMessage', body);
  assert.equal(body['code'], code);
  assert.equal(body['environment'], 'simulation');
  if (reason !== undefined) {
    const entry = s.log.entries.find((e) => e.fields['statusId'] === body['id']);
    assert.ok(entry, `a log entry for ${String(body['id'])}`);
    assert.equal(entry.fields['reason'], reason);
  }
  return String(body['message']);
}

test('the request message of the tests is a valid MessageToPublish', () => {
  assertSwagger('MessageToPublish', message());
});

test('201: published; the citizen sees it in their inbox (published → read once the document is fetched)', async () => {
  const reply = await postRest(s, form(message()), bearer);
  assert.equal(reply.status, 201, reply.text);
  const body = reply.json();
  assertSwagger('PublicationStatusMessage', body);
  assert.equal(body['code'], undefined);
  assert.equal(body['expirationDate'], '2027-06-15T10:00:00.000Z');
  const path = `/api/v1/ebox/citizens/${CITIZEN.active}/messages/${String(body['messageId'])}`;
  const detail = (await consoleGet(s, path)).json();
  assert.equal(detail['status'], 'published');
  assert.equal(detail['channel'], 'rest');
  assert.equal(detail['subject'], 'Votre décompte');
  const doc = (detail['documents'] as Record<string, string>[])[0]!;
  assert.equal((await consoleGet(s, doc['href']!)).body.toString(), '%PDF-1.7 rest');
  assert.equal((await consoleGet(s, path)).json()['status'], 'read');
});

test('201 with code NO_DIGITAL_USER for a citizen who never opened their eBox', async () => {
  const reply = await postRest(
    s,
    form(message({ recipient: { eboxType: 'citizen', eboxIdValue: CITIZEN.neverOpened } })),
    bearer,
  );
  assert.equal(reply.status, 201, reply.text);
  assertSwagger('PublicationStatusMessage', reply.json());
  assert.equal(reply.json()['code'], 'NO_DIGITAL_USER');
});

test('401 without a token or with a forged one; 403 with a token lacking the publication scope', async () => {
  const none = await postRest(s, form(message()));
  await refused(none, 401, 'UNAUTHORIZED', 'no token');
  assert.match(String(none.headers['www-authenticate']), /^Bearer/);
  const forged = await postRest(s, form(message()), { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' });
  await refused(forged, 401, 'UNAUTHORIZED');
  assert.match(String(forged.headers['www-authenticate']), /error="invalid_token"/);
  const demoOnly = { authorization: `Bearer ${await tokenFor(s)}` };
  const scoped = await postRest(s, form(message()), demoOnly);
  await refused(scoped, 403, 'FORBIDDEN', `missing scope ${publicationScope}`);
  assert.match(String(scoped.headers['www-authenticate']), /error="insufficient_scope"/);
});

test('Idempotency-Key: a second publication with the same key → 409; a key that is not an RFC 8941 string → 400', async () => {
  const key = { ...bearer, 'idempotency-key': '"pay-2026-06-0001"' };
  assert.equal((await postRest(s, form(message()), key)).status, 201);
  await refused(await postRest(s, form(message()), key), 409, 'DUPLICATE_REQUEST', 'ERR_EBOX_DUPLICATE');
  await refused(
    await postRest(s, form(message()), { ...bearer, 'idempotency-key': 'unquoted' }),
    400,
    'INVALID_INPUT',
    'idempotency-key',
  );
});

test('400 INVALID_INPUT: bad JSON, null values, two main contents, two languages, bad SSIN, missing or stray parts, digest mismatch', async () => {
  const pdf = Buffer.from('%PDF-1.7 rest');
  const cases: [Buffer, string][] = [
    [form('{"recipient":'), 'json'],
    [form(message({ forTheAttentionOf: null })), 'null-value'],
    [form(message({ bodyMainContent: true, bodyContent: { fr: 'Bonjour' } })), 'main-content'],
    [form(message({ attachments: [] }), {}), 'main-content'],
    [form(message({ subject: { fr: 'Bonjour', nl: 'Hallo' } })), 'languages'],
    [form(message({ subject: { fr: 'x'.repeat(401) } })), 'invalid-input'],
    [form(message({ recipient: { eboxType: 'citizen', eboxIdValue: CITIZEN.badChecksum } })), 'ssin'],
    [form(message(), {}), 'missing-part'],
    [form(message(), { upfile1: pdf, upfile2: pdf }), 'unreferenced-part'],
    [form(undefined), 'no-message'],
    [form(message(), { other: pdf }), 'unexpected-part'],
    [
      form(
        message({
          attachments: [
            {
              httpPartName: 'upfile1',
              mainContent: true,
              digest: { digestMethod: 'sha_256', digestValue: b64url('other') },
            },
          ],
        }),
      ),
      'ERR_EBOX_DIGEST_MISMATCH',
    ],
  ];
  for (const [body, reason] of cases)
    await refused(await postRest(s, body, bearer), 400, 'INVALID_INPUT', reason);
  await refused(
    await postRest(s, form(message()), { ...bearer, 'content-type': 'application/json' }),
    400,
    'INVALID_INPUT',
    'content-type',
  );
});

test('400 INVALID_SENDER: a message type not authorized, another organization, an application the institution does not hold', async () => {
  const type = await refused(
    await postRest(s, form(message({ messageTypeId: TAX })), bearer),
    400,
    'INVALID_SENDER',
    'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED',
  );
  assert.match(type, /^Invalid message configuration/);
  await refused(
    await postRest(s, form(message({ senderOrganizationId: '0200065765' })), bearer),
    400,
    'INVALID_SENDER',
    'ERR_EBOX_SENDER_MISMATCH',
  );
  await refused(
    await postRest(s, form(message({ senderApplicationId: 'urn:be:fgov:other' })), bearer),
    400,
    'INVALID_SENDER',
    'ERR_EBOX_SENDER_MISMATCH',
  );
});

test('400 INVALID_RECIPIENT: a citizen not in the registry, or without an eBox', async () => {
  for (const inss of [CITIZEN.unknown, CITIZEN.noEbox]) {
    const reply = await postRest(
      s,
      form(message({ recipient: { eboxType: 'citizen', eboxIdValue: inss } })),
      bearer,
    );
    await refused(reply, 400, 'INVALID_RECIPIENT');
  }
});

test('another path → 404, another method → 405, both StatusMessage', async () => {
  await refused(
    await postRest(s, form(message()), bearer, '/publishMessages'),
    404,
    'NOT_FOUND',
    'unknown-path',
  );
});
