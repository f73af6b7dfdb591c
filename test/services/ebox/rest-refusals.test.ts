/**
 * Every publication the eBox would refuse is refused by the REST client before anything is
 * sent: not even a token is requested. Each case asserts its code (and the field it names).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FrozenClock } from '../../../src/clock.ts';
import { type ErrorCode, isPasserelleError } from '../../../src/errors.ts';
import type { Credential } from '../../../src/pki/credential.ts';
import {
  createEboxRestClient,
  type EboxDocument,
  type EboxPublication,
  type EboxRestClient,
  type EboxSubject,
} from '../../../src/services/ebox/index.ts';
import { testPki } from '../../_support/credentials.ts';
import { type RestPeer, startRestPeer } from './_rest-peer.ts';

const clock = new FrozenClock(Date.now());
const PLAIN_CLIENT = 'partenaire:plain:client:confidential';
const dir = mkdtempSync(join(tmpdir(), 'passerelle-ebox-refusals-'));
let peer: RestPeer;
let plain: Credential;
let client: EboxRestClient;

before(async () => {
  const pki = await testPki();
  plain = await pki.issue({ subject: 'C=BE, O=Other Org, CN=urn:be:other:app:plain', usage: 'tls-client' });
  peer = await startRestPeer([{ id: PLAIN_CLIENT, credential: plain }]);
  client = await createEboxRestClient(await peer.environment(dir), { clock });
});
after(async () => {
  await client?.close();
  await peer?.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content = '%PDF-1.7'): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const good = (): EboxPublication => ({
  recipient: '85073003328',
  messageType: 'TAXCERTIFICATE',
  subject: { lang: 'nl', text: 'Uw fiscaal attest' },
  document: { path: file('attest.pdf') },
});

async function refused(publication: EboxPublication, code: ErrorCode, field?: string, on = client) {
  const sent = peer.received.length;
  const tokens = peer.tokenRequests();
  await assert.rejects(on.publish(publication), (e) => {
    assert.ok(isPasserelleError(e, code), `expected ${code}, got ${String((e as { code?: string }).code)}`);
    if (field !== undefined) assert.equal(e.details['field'], field);
    return true;
  });
  assert.equal(peer.received.length, sent, 'nothing reached the server');
  assert.equal(peer.tokenRequests(), tokens, 'no token was requested');
}

test('a bad INSS checksum', () => refused({ ...good(), recipient: '85073003329' }, 'ERR_IDS_INSS_INVALID'));

test('a subject in two languages', () =>
  refused(
    { ...good(), subject: { nl: 'Attest', fr: 'Attestation' } as unknown as EboxSubject },
    'ERR_EBOX_INVALID_INPUT',
    'subject',
  ));

test('a subject of 401 characters', () =>
  refused(
    { ...good(), subject: { lang: 'fr', text: 'é'.repeat(401) } },
    'ERR_EBOX_INVALID_INPUT',
    'subject.text',
  ));

test('a message type of 5 characters', () =>
  refused({ ...good(), messageType: 'TAXCE' }, 'ERR_EBOX_INVALID_INPUT', 'messageType'));

test('a download file name of 81 characters', () =>
  refused(
    { ...good(), document: { path: file('a.pdf'), fileName: `${'n'.repeat(77)}.pdf` } },
    'ERR_EBOX_INVALID_INPUT',
    'document.fileName',
  ));

test('two main contents, or none', async () => {
  const two = [{ path: file('one.pdf') }, { path: file('two.pdf') }] as unknown as EboxDocument;
  await refused({ ...good(), document: two }, 'ERR_EBOX_INVALID_INPUT', 'document');
  const { document: _none, ...withoutMain } = good();
  await refused(withoutMain as EboxPublication, 'ERR_EBOX_INVALID_INPUT', 'document');
});

test('six annexes', () =>
  refused(
    { ...good(), annexes: [1, 2, 3, 4, 5, 6].map((i) => ({ path: file(`annex${i}.pdf`) })) },
    'ERR_EBOX_INVALID_INPUT',
    'annexes',
  ));

test('a senderInstitution other than the certificate’s', () =>
  refused(
    { ...good(), senderInstitution: '0406798006', senderApplication: 'urn:be:test:app:rsa' },
    'ERR_EBOX_SENDER_MISMATCH',
  ));

test('SHA-512: the REST contract digests with sha_256 only', () =>
  refused(
    { ...good(), annexes: [{ path: file('annex.pdf'), digestAlgorithm: 'SHA-512' }] },
    'ERR_EBOX_DIGEST_ALGORITHM',
    'annexes[0].digestAlgorithm',
  ));

test('a missing file, and a directory', async () => {
  await refused({ ...good(), document: { path: join(dir, 'absent.pdf') } }, 'ERR_FILE_NOT_FOUND');
  await refused({ ...good(), annexes: [{ path: dir, fileName: 'dir.pdf' }] }, 'ERR_FILE_UNREADABLE');
});

test('an OAuth certificate without the eBox subject: the institution must be given', async () => {
  const env = await peer.environment(mkdtempSync(join(dir, 'plain-')), plain);
  const other = await createEboxRestClient(env, { clock, clientId: PLAIN_CLIENT });
  try {
    await refused(good(), 'ERR_EBOX_INVALID_INPUT', 'senderInstitution', other);
    const result = await other.publish({
      ...good(),
      senderInstitution: '0406798006',
      senderApplication: 'urn:be:other:app',
    });
    assert.deepEqual(result.sender, { institution: '0406798006', application: 'urn:be:other:app' });
    const message = peer.received.at(-1)!.message!;
    assert.equal(message['senderOrganizationId'], '0406798006');
    assert.equal(message['senderApplicationId'], 'urn:be:other:app');
  } finally {
    await other.close();
  }
});
