import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { buildMtom, readMtom } from '../../src/soap/mtom/index.ts';
import type { MtomAttachment } from '../../src/soap/mtom/types.ts';
import { signMtomEnvelope, verifyMtomEnvelope, type XopBase64Form } from '../../src/wss/mtom.ts';
import { verifyEnvelope } from '../../src/wss/verify.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { mtomEnvelope } from './_mtom.ts';

const clock = new FrozenClock(TEST_NOW);
const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

async function roundTrip(
  signed: string,
  attachments: readonly MtomAttachment[],
  trust: Parameters<typeof verifyMtomEnvelope>[1],
  swap?: Buffer,
) {
  const pkg = await buildMtom(
    signed,
    swap ? [{ ...attachments[0]!, source: { data: swap } }, ...attachments.slice(1)] : attachments,
  );
  const reader = await readMtom(pkg.body, pkg.contentType);
  const v = verifyMtomEnvelope(reader.root.xml, trust);
  for (const inc of v.includes)
    await pipeline((await reader.attachment(inc.contentId)).stream, v.digestStream(inc.contentId), sink());
  await reader.done();
  v.complete();
  return v;
}

for (const form of ['canonical', 'mime76'] as XopBase64Form[]) {
  for (const kind of ['rsa', 'ec'] as const) {
    test(`signed MTOM (${kind}, ${form}) verifies as a stream; a changed attachment is ERR_WSS_DIGEST_MISMATCH`, async () => {
      const pki = await testPki();
      const attachments: MtomAttachment[] = [
        { contentId: 'a@test', source: { data: randomBytes(200_001) } },
        { contentId: 'b/2@test', source: { data: randomBytes(58) } },
        { contentId: 'c@test', source: { data: new Uint8Array(0) } },
      ];
      const signed = await signMtomEnvelope(mtomEnvelope(attachments), attachments, {
        credential: pki[kind],
        clock,
        xopBase64: form,
      });
      const opts = { trust: [pki.ca.certificate], clock, xopBase64: form };
      const v = await roundTrip(signed, attachments, opts);
      assert.deepEqual([...v.envelope.signedParts].sort(), ['body', 'bst', 'timestamp']);
      assert.deepEqual(
        v.includes.map((i) => i.contentId),
        ['a@test', 'b/2@test', 'c@test'],
      );
      const changed = Buffer.from((attachments[0]!.source as { data: Uint8Array }).data);
      changed[100_000] = (changed[100_000] ?? 0) ^ 1;
      await assert.rejects(roundTrip(signed, attachments, opts, changed), (e) =>
        isPasserelleError(e, 'ERR_WSS_DIGEST_MISMATCH'),
      );
      const other: XopBase64Form = form === 'canonical' ? 'mime76' : 'canonical';
      await assert.rejects(roundTrip(signed, attachments, { ...opts, xopBase64: other }), (e) =>
        isPasserelleError(e, 'ERR_WSS_DIGEST_MISMATCH'),
      );
      // The plain verifier sees the xop:Include form: its Body digest cannot match.
      assert.throws(
        () => verifyEnvelope(signed, opts),
        (e) => isPasserelleError(e, 'ERR_WSS_DIGEST_MISMATCH'),
      );
    });
  }
}

test('signed MTOM: an untrusted signer fails before any attachment is read; a changed Body or href fails the digest', async () => {
  const pki = await testPki();
  const attachments: MtomAttachment[] = [{ contentId: 'a@test', source: { data: randomBytes(1000) } }];
  const signed = await signMtomEnvelope(mtomEnvelope(attachments), attachments, {
    credential: pki.rogue,
    clock,
  });
  assert.throws(
    () => verifyMtomEnvelope(signed, { trust: [pki.ca.certificate], clock }),
    (e) => isPasserelleError(e, 'ERR_WSS_UNTRUSTED_SIGNER'),
  );
  const good = await signMtomEnvelope(mtomEnvelope(attachments), attachments, { credential: pki.rsa, clock });
  const changed = good.replace('>t-1<', '>t-2<');
  assert.notEqual(changed, good);
  await assert.rejects(roundTrip(changed, attachments, { trust: [pki.ca.certificate], clock }), (e) =>
    isPasserelleError(e, 'ERR_WSS_DIGEST_MISMATCH'),
  );
  // The href is not part of the expanded form: pointing it at another part changes what is digested.
  const moved = good.replace('cid:a@test', 'cid:b@test');
  const swapped: MtomAttachment[] = [{ contentId: 'b@test', source: { data: randomBytes(1000) } }];
  await assert.rejects(roundTrip(moved, swapped, { trust: [pki.ca.certificate], clock }), (e) =>
    isPasserelleError(e, 'ERR_WSS_DIGEST_MISMATCH'),
  );
});

test('signed MTOM: misuse is a TypeError; an include outside the Body is ERR_MTOM_BAD_REFERENCE', async () => {
  const pki = await testPki();
  const a: MtomAttachment = { contentId: 'a@test', source: { data: Buffer.from('x') } };
  await assert.rejects(signMtomEnvelope(mtomEnvelope([a]), [], { credential: pki.rsa, clock }), TypeError);
  await assert.rejects(signMtomEnvelope(mtomEnvelope([]), [a], { credential: pki.rsa, clock }), TypeError);
  await assert.rejects(
    signMtomEnvelope(
      mtomEnvelope([a]),
      [{ contentId: 'a@test', source: { stream: Readable.from([Buffer.from('x')]) } }],
      { credential: pki.rsa, clock },
    ),
    TypeError,
  );
  const inHeader = mtomEnvelope([a]).replace(
    '<soapenv:Header/>',
    '<soapenv:Header><t:h xmlns:t="urn:test"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:h@test"/></t:h></soapenv:Header>',
  );
  await assert.rejects(signMtomEnvelope(inHeader, [a], { credential: pki.rsa, clock }), (e) =>
    isPasserelleError(e, 'ERR_MTOM_BAD_REFERENCE'),
  );
  const v = verifyMtomEnvelope(
    await signMtomEnvelope(mtomEnvelope([a]), [a], { credential: pki.rsa, clock }),
    { trust: [pki.ca.certificate], clock },
  );
  assert.throws(() => v.digestStream('other@test'), TypeError);
  assert.throws(() => v.complete(), TypeError);
});
