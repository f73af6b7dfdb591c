/**
 * The eBox REST publishMessage client against an independent peer (./_rest-peer.ts): an HTTPS
 * server whose token endpoint is oidc-provider and whose publishMessage parses the multipart body
 * with undici's form-data parser. The `messageToPublish` part must validate against the official
 * swagger's MessageToPublish (ajv, undeclared properties refused), the digests must be the
 * SHA-256 of the bytes received, the Idempotency-Key an RFC 8941 sf-string and the bearer token
 * one oidc-provider issued with the publication scope. oidc-provider works on real time: the
 * client's clock is frozen at the time the suite starts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FrozenClock } from '../../../src/clock.ts';
import { TokenCache } from '../../../src/oauth/token-cache.ts';
import {
  createEboxRestClient,
  EBOX_PUBLICATION_SCOPE,
  type EboxPublication,
} from '../../../src/services/ebox/index.ts';
import { createTraceRecorder } from '../../../src/transport/trace-recorder.ts';
import type { TraceExchange } from '../../../src/transport/trace-types.ts';
import { type RestPeer, startRestPeer } from './_rest-peer.ts';
import { swaggerValidator } from './_swagger.ts';

const clock = new FrozenClock(Date.now());
const validateMessage = swaggerValidator('MessageToPublish', [
  'MessageToPublish',
  'AttachmentToPublish',
  'Digest',
  'EboxId',
  'TranslatedString',
]);
const sha256url = (b: Buffer) => createHash('sha256').update(b).digest('base64url');

let peer: RestPeer;
const dir = mkdtempSync(join(tmpdir(), 'passerelle-ebox-rest-'));
before(async () => {
  peer = await startRestPeer();
});
after(async () => {
  await peer?.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const base = (over: Partial<EboxPublication> = {}): EboxPublication => ({
  recipient: '85.07.30-033.28',
  messageType: 'TAXCERTIFICATE',
  subject: { lang: 'fr', text: 'Votre attestation fiscale' },
  document: { path: file('attestation.pdf', '%PDF-1.7 main') },
  ...over,
});

test('a document and two annexes: the multipart parts, the swagger-valid JSON, digests, key and token', async () => {
  const client = await createEboxRestClient(await peer.environment(dir), { clock });
  try {
    const annexes = [
      { path: file('annexe.txt', 'texte'), fileName: 'annexe-été.txt' },
      { path: file('tableau.csv', 'a;b\n1;2\n'), mime: 'text/csv' },
    ];
    const result = await client.publish(base({ annexes, replyAuthorized: true }));
    const got = peer.received.at(-1)!;
    assert.deepEqual(validateMessage(got.message), []);
    assert.deepEqual(
      got.parts?.map((p) => [p.name, p.fileName, p.type]),
      [
        ['messageToPublish', undefined, ''],
        ['upfile1', 'attestation.pdf', 'application/pdf'],
        ['upfile2', 'annexe-été.txt', 'text/plain'],
        ['upfile3', 'tableau.csv', 'text/csv'],
      ],
    );
    const files = got.parts!.slice(1);
    assert.deepEqual(got.message, {
      recipient: { eboxType: 'citizen', eboxIdValue: '85073003328' },
      subject: { fr: 'Votre attestation fiscale' },
      messageTypeId: 'TAXCERTIFICATE',
      senderOrganizationId: '0123456749',
      senderApplicationId: 'urn:be:test:app:rsa',
      attachments: files.map((f, i) => ({
        httpPartName: f.name,
        mainContent: i === 0,
        attachmentSigned: false,
        digest: { digestMethod: 'sha_256', digestValue: sha256url(f.bytes) },
      })),
      bodyMainContent: false,
      replyAuthorized: true,
    });
    assert.equal(files[0]!.bytes.toString(), '%PDF-1.7 main');
    assert.equal(Number(got.headers['content-length']), got.length);
    assert.match(String(got.headers['content-type']), /^multipart\/form-data; boundary=[\w-]+$/);
    assert.equal(got.tokenScope, EBOX_PUBLICATION_SCOPE);
    const key = String(got.headers['idempotency-key']);
    assert.match(key, /^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$/);
    assert.equal(key, `"${result.idempotencyKey}"`);
    assert.deepEqual(result, {
      messageId: (result as { messageId: string }).messageId,
      transport: 'rest',
      recipient: '85073003328',
      document: {
        fileName: 'attestation.pdf',
        mime: 'application/pdf',
        size: 13,
        digestAlgorithm: 'SHA-256',
        digest: sha256url(files[0]!.bytes),
      },
      idempotencyKey: result.idempotencyKey,
      expirationDate: '2027-06-15T10:00:00+02:00',
      noDigitalUser: false,
      sender: { institution: '0123456749', application: 'urn:be:test:app:rsa' },
    });
    assert.ok(!JSON.stringify(result).includes(String(got.headers.authorization).slice(7)));
  } finally {
    await client.close();
  }
});

test('Idempotency-Key: given as is (quoted), derived from application+ticket+sequence, else a new UUID', async () => {
  const cache = new TokenCache({ clock });
  const env = await peer.environment(dir);
  const one = await createEboxRestClient(env, { clock, cache });
  const two = await createEboxRestClient(env, { clock, cache });
  const tokensBefore = peer.tokenRequests();
  try {
    const given = await one.publish(base({ idempotencyKey: 'batch-7/item 12' }));
    assert.equal(given.idempotencyKey, 'batch-7/item 12');
    assert.equal(peer.received.at(-1)!.headers['idempotency-key'], '"batch-7/item 12"');
    const a = await one.publish(base({ ticket: 'T-2026-0001', sequence: 3 }));
    const again = await two.publish(base({ ticket: 'T-2026-0001', sequence: 3 }));
    const other = await one.publish(base({ ticket: 'T-2026-0001', sequence: 4 }));
    const otherApp = await one.publish(
      base({ ticket: 'T-2026-0001', sequence: 3, senderApplication: 'urn:be:test:app:other' }),
    );
    assert.equal(a.idempotencyKey, again.idempotencyKey, 'a retried batch item sends the same key');
    assert.match(a.idempotencyKey!, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a.idempotencyKey, other.idempotencyKey);
    assert.notEqual(a.idempotencyKey, otherApp.idempotencyKey);
    assert.equal(a.ticket, 'T-2026-0001');
    assert.equal(a.sequence, 3);
    const r1 = await one.publish(base());
    const r2 = await one.publish(base());
    assert.notEqual(r1.idempotencyKey, r2.idempotencyKey);
    assert.equal(peer.tokenRequests() - tokensBefore, 1, 'one token, from the shared cache');
  } finally {
    await one.close();
    await two.close();
  }
});

test('the sender: the given institution and application when they are the certificate’s own', async () => {
  const client = await createEboxRestClient(await peer.environment(dir), { clock });
  try {
    const result = await client.publish(
      base({ senderInstitution: '0123.456.749', senderApplication: 'urn:be:test:app:billing' }),
    );
    assert.deepEqual(result.sender, { institution: '0123456749', application: 'urn:be:test:app:billing' });
    const message = peer.received.at(-1)!.message!;
    assert.equal(message['senderOrganizationId'], '0123456749');
    assert.equal(message['senderApplicationId'], 'urn:be:test:app:billing');
  } finally {
    await client.close();
  }
});

test('--trace: the token request and the publication are recorded, the token and assertion redacted', async () => {
  const traceDir = mkdtempSync(join(dir, 'trace-'));
  const seen: TraceExchange[] = [];
  const trace = createTraceRecorder({ dir: traceDir, clock, onExchange: (e) => seen.push(e) });
  const client = await createEboxRestClient(await peer.environment(dir), { clock, trace });
  try {
    const result = await client.publish(base({ idempotencyKey: 'traced-1' }));
    assert.ok(result.messageId);
  } finally {
    await client.close();
  }
  assert.deepEqual(
    seen.map((e) => [e.method, e.path, e.status]),
    [
      ['POST', '/token', 200],
      ['POST', '/REST/ebox/enterprise/messageRegistry/v2/publishMessage', 201],
    ],
  );
  const token = String(peer.received.at(-1)!.headers.authorization).slice('Bearer '.length);
  const files = (d: string): string[] =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
  const all = files(traceDir).map((f) => readFileSync(f, 'latin1'));
  assert.ok(all.length > 4);
  assert.ok(!all.some((text) => text.includes(token)), 'the bearer token is in no trace file');
  assert.ok(all.some((text) => /idempotency-key: "traced-1"/i.test(text)));
  assert.ok(seen[1]!.redactions.some((r) => r.kind === 'bearer'));
});
