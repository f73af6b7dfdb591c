import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import type { ErrorCode } from '../../src/errors.ts';
import { findXopIncludes } from '../../src/soap/mtom/xop.ts';
import { MemoryReplayCache } from '../../src/wss/index.ts';
import { signMtomEnvelope, type VerifyMtomEnvelopeOptions, verifyMtomEnvelope } from '../../src/wss/mtom.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { evilBodyWithSignedId, moveBody, mutate } from './_helpers.ts';
import { mtomEnvelope } from './_mtom.ts';

// The hostile cases of hostile.test.ts, through the MTOM verifier: it runs the same checks in its
// own order (before any attachment is read), so each is proved here again, on a signed XOP root.
const pki = await testPki();
const clock = new FrozenClock(TEST_NOW);
const attachments = [{ contentId: 'a@test', source: { data: Buffer.from('attachment bytes') } }];
const signed = await signMtomEnvelope(mtomEnvelope(attachments), attachments, { credential: pki.rsa, clock });
const opts = (extra: Partial<VerifyMtomEnvelopeOptions> = {}): VerifyMtomEnvelopeOptions => ({
  trust: [pki.ca.certificate],
  clock: new FrozenClock(TEST_NOW),
  ...extra,
});

function rejects(xml: string, code: ErrorCode, extra: Partial<VerifyMtomEnvelopeOptions> = {}): void {
  throwsCode(() => verifyMtomEnvelope(xml, opts(extra)), code);
}

/** Removes the signed Body's xop:Include (an attacker who moves it keeps no reference outside the Body). */
const dropInclude = (body: Parameters<typeof findXopIncludes>[0]) => {
  for (const { element } of findXopIncludes(body)) element.parentNode!.removeChild(element);
};

test('MTOM: the untouched root verifies up to its attachments (control for every case below)', () => {
  const v = verifyMtomEnvelope(signed, opts());
  assert.deepEqual(
    v.includes.map((i) => i.contentId),
    ['a@test'],
  );
});

test('MTOM: signed Body moved into the Header or the Security header, evil Body in its place: ERR_WSS_WRAPPING', () => {
  for (const into of ['header', 'security'] as const) {
    rejects(
      mutate(signed, (p) => {
        dropInclude(p.body);
        moveBody(p, p[into]);
      }),
      'ERR_WSS_WRAPPING',
    );
  }
});

test('MTOM: a moved signed Body that keeps its xop:Include: ERR_MTOM_BAD_REFERENCE (an include outside the Body)', () => {
  rejects(
    mutate(signed, (p) => moveBody(p, p.header)),
    'ERR_MTOM_BAD_REFERENCE',
  );
});

test('MTOM: an evil Body that copies the signed id: ERR_WSS_DUPLICATE_ID', () => {
  rejects(
    mutate(signed, (p) => {
      const evil = evilBodyWithSignedId(p);
      dropInclude(p.body);
      moveBody(p, p.header, evil);
    }),
    'ERR_WSS_DUPLICATE_ID',
  );
});

test('MTOM: expired and future timestamps, and a replay: ERR_WSS_TIMESTAMP_EXPIRED, _FUTURE, ERR_WSS_REPLAY', () => {
  rejects(signed, 'ERR_WSS_TIMESTAMP_EXPIRED', { clock: new FrozenClock(TEST_NOW + 360_000) });
  rejects(signed, 'ERR_WSS_TIMESTAMP_FUTURE', { clock: new FrozenClock(TEST_NOW - 60_001) });
  const replayCache = new MemoryReplayCache();
  verifyMtomEnvelope(signed, opts({ replayCache }));
  rejects(signed, 'ERR_WSS_REPLAY', { replayCache });
});

test('MTOM: DOCTYPE and entities in the root part: ERR_XML_DOCTYPE before anything is read', () => {
  rejects(`<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>${signed}`, 'ERR_XML_DOCTYPE');
});

test('MTOM: an untrusted signer and a digest algorithm off the allow-list fail before any attachment is read', async () => {
  const rogue = await signMtomEnvelope(mtomEnvelope(attachments), attachments, {
    credential: pki.rogue,
    clock,
  });
  rejects(rogue, 'ERR_WSS_UNTRUSTED_SIGNER');
  // The Body digest waits for the attachments; the signature over SignedInfo does not.
  rejects(
    signed.replace('Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"', 'Algorithm="x"'),
    'ERR_WSS_ALG_NOT_ALLOWED',
  );
});
