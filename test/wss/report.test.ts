import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';
import { subjectDn } from '../../src/pki/dn.ts';
import { buildMtom, readMtom } from '../../src/soap/mtom/index.ts';
import type { MtomAttachment } from '../../src/soap/mtom/types.ts';
import {
  ALG,
  MemoryReplayCache,
  signEnvelope,
  VerificationReport,
  type VerificationReportJson,
  type VerifyEnvelopeOptions,
  verifyEnvelope,
  verifyHokEnvelope,
} from '../../src/wss/index.ts';
import { signMtomEnvelope, verifyMtomEnvelope } from '../../src/wss/mtom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { signedHok, tamperHok } from '../saml/_fixtures.ts';
import { mutate, requestEnvelope } from './_helpers.ts';
import { mtomEnvelope } from './_mtom.ts';

const pki = await testPki();
const clock = new FrozenClock(TEST_NOW);
const options = (over: Partial<VerifyEnvelopeOptions> = {}): VerifyEnvelopeOptions => ({
  trust: [pki.ca.certificate],
  clock,
  ...over,
});
const signed = () => signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });

/** The report of verifying `xml`, and the code thrown (the same with and without a report). */
function reportOf(xml: string, over: Partial<VerifyEnvelopeOptions> = {}, code?: ErrorCode) {
  const report = new VerificationReport();
  if (code === undefined) verifyEnvelope(xml, options({ ...over, report }));
  else {
    throwsCode(() => verifyEnvelope(xml, options(over)), code);
    throwsCode(() => verifyEnvelope(xml, options({ ...over, report })), code);
  }
  return report.toJSON();
}

const targets = (r: VerificationReportJson | undefined) =>
  r?.message?.references.map((x) => [x.target, x.digest, x.code ?? '']);

test('a good message: each reference (Timestamp, Body, BinarySecurityToken) digest ok, SignatureValue, signer, Timestamp', () => {
  const r = reportOf(signed());
  assert.equal(r.outcome, 'ok');
  assert.equal(r.code, undefined);
  assert.deepEqual(targets(r), [
    ['Timestamp', 'ok', ''],
    ['Body', 'ok', ''],
    ['BinarySecurityToken', 'ok', ''],
  ]);
  const message = r.message!;
  assert.equal(message.signatureAlgorithm, ALG.rsaSha256);
  assert.equal(message.signatureValue, 'ok');
  assert.ok(message.references.every((x) => x.digestAlgorithm === ALG.sha256 && /^#[\w-]+$/.test(x.uri)));
  assert.deepEqual(
    message.references.map((x) => x.targetNamespace),
    [NS.wsu, NS.soapenv, NS.wsse],
  );
  assert.equal(message.signer?.trust, 'ok');
  assert.equal(message.signer?.subject, subjectDn(pki.rsa.certificate));
  assert.deepEqual(r.timestamp, {
    created: new Date(TEST_NOW).toISOString(),
    expires: new Date(TEST_NOW + 300_000).toISOString(),
    verdict: 'ok',
  });
  assert.equal(r.assertion, undefined);
  assert.doesNotMatch(JSON.stringify(r), /BEGIN|PRIVATE/);
});

test('a tampered Body: ERR_WSS_DIGEST_MISMATCH as without a report; the Body reference mismatches, the Timestamp one is ok', () => {
  const tampered = mutate(signed(), (p) => {
    p.body.getElementsByTagNameNS('urn:be:fgov:test:v1', 'ticket').item(0)!.textContent = 't-2';
  });
  const r = reportOf(tampered, {}, 'ERR_WSS_DIGEST_MISMATCH');
  assert.equal(r.outcome, 'refused');
  assert.equal(r.code, 'ERR_WSS_DIGEST_MISMATCH');
  assert.deepEqual(targets(r), [
    ['Timestamp', 'ok', ''],
    ['Body', 'mismatch', 'ERR_WSS_DIGEST_MISMATCH'],
    ['BinarySecurityToken', 'ok', ''],
  ]);
  assert.equal(r.message?.signatureValue, 'ok');
  assert.equal(r.message?.signer?.trust, 'ok');
  assert.equal(r.timestamp?.verdict, 'not-checked');
});

test('a changed SignedInfo: ERR_WSS_SIGNATURE_INVALID first, and the digests are still reported', () => {
  const tampered = mutate(signed(), (p) => {
    const digest = p.signedInfo.getElementsByTagNameNS(NS.ds, 'DigestValue').item(1)!;
    digest.textContent = Buffer.alloc(32, 7).toString('base64');
  });
  const r = reportOf(tampered, {}, 'ERR_WSS_SIGNATURE_INVALID');
  assert.equal(r.message?.signatureValue, 'failed');
  assert.equal(r.message?.signatureValueCode, 'ERR_WSS_SIGNATURE_INVALID');
  assert.deepEqual(targets(r), [
    ['Timestamp', 'ok', ''],
    ['Body', 'mismatch', 'ERR_WSS_DIGEST_MISMATCH'],
    ['BinarySecurityToken', 'ok', ''],
  ]);
});

test('an untrusted signer: ERR_WSS_UNTRUSTED_SIGNER as without a report; its signature still checked for the report', () => {
  const xml = signEnvelope(requestEnvelope(), { credential: pki.rogue, clock });
  const r = reportOf(xml, {}, 'ERR_WSS_UNTRUSTED_SIGNER');
  assert.equal(r.message?.signer?.trust, 'failed');
  assert.equal(r.message?.signer?.trustCode, 'ERR_WSS_UNTRUSTED_SIGNER');
  assert.equal(r.message?.signatureValue, 'ok');
  assert.ok(r.message?.references.every((x) => x.digest === 'ok'));
  assert.equal(r.timestamp?.verdict, 'not-checked');
  // Both failures at once: the trust error still wins, as without a report.
  const both = mutate(xml, (p) => {
    p.body.getElementsByTagNameNS('urn:be:fgov:test:v1', 'ticket').item(0)!.textContent = 't-2';
  });
  assert.equal(reportOf(both, {}, 'ERR_WSS_UNTRUSTED_SIGNER').message?.references[1]?.digest, 'mismatch');
});

test('a replay and a stale Timestamp fail the Timestamp verdict; no Security header leaves no signature report', () => {
  const xml = signed();
  const replayCache = new MemoryReplayCache();
  verifyEnvelope(xml, options({ replayCache }));
  const replay = reportOf(xml, { replayCache }, 'ERR_WSS_REPLAY');
  assert.equal(replay.timestamp?.verdict, 'failed');
  assert.equal(replay.timestamp?.code, 'ERR_WSS_REPLAY');
  assert.ok(replay.message?.references.every((x) => x.digest === 'ok'));
  const late = reportOf(xml, { clock: new FrozenClock(TEST_NOW + 3_600_000) }, 'ERR_WSS_TIMESTAMP_EXPIRED');
  assert.deepEqual([late.timestamp?.verdict, late.timestamp?.code], ['failed', 'ERR_WSS_TIMESTAMP_EXPIRED']);
  const bare = reportOf(requestEnvelope(), {}, 'ERR_WSS_NO_SECURITY');
  assert.deepEqual(bare, {
    outcome: 'refused',
    code: 'ERR_WSS_NO_SECURITY',
    message: undefined,
    assertion: undefined,
    timestamp: undefined,
  });
  assert.equal(reportOf('<not-xml', {}, 'ERR_XML_MALFORMED').code, 'ERR_XML_MALFORMED');
});

test('holder-of-key: the assertion reference (Assertion) and the message references (Body, Timestamp)', async () => {
  const { xml, trust, holder, sts } = await signedHok();
  const report = new VerificationReport();
  verifyHokEnvelope(xml, { stsTrust: trust, clock, report });
  const r = report.toJSON();
  assert.equal(r.outcome, 'ok');
  assert.deepEqual(
    r.assertion?.references.map((x) => [x.target, x.digest]),
    [['Assertion', 'ok']],
  );
  assert.equal(r.assertion?.signer?.subject, subjectDn(sts.certificate));
  assert.equal(r.assertion?.signer?.trust, 'ok');
  assert.deepEqual(targets(r), [
    ['Body', 'ok', ''],
    ['Timestamp', 'ok', ''],
  ]);
  assert.equal(r.message?.signer?.subject, subjectDn(holder.certificate));
  assert.equal(r.timestamp?.verdict, 'ok');

  const tampered = tamperHok(xml, (p) => {
    p.body.appendChild(p.doc.createTextNode(' '));
  });
  const refused = new VerificationReport();
  throwsCode(() => verifyHokEnvelope(tampered, { stsTrust: trust, clock }), 'ERR_WSS_DIGEST_MISMATCH');
  throwsCode(
    () => verifyHokEnvelope(tampered, { stsTrust: trust, clock, report: refused }),
    'ERR_WSS_DIGEST_MISMATCH',
  );
  assert.deepEqual(targets(refused.toJSON()), [
    ['Body', 'mismatch', 'ERR_WSS_DIGEST_MISMATCH'],
    ['Timestamp', 'ok', ''],
  ]);
  assert.equal(refused.toJSON().assertion?.references[0]?.digest, 'ok');
});

test('MTOM: the Body digest is deferred (outcome pending) until complete(), then ok or mismatch', async () => {
  const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
  const attachments: MtomAttachment[] = [
    { contentId: 'a@x', contentType: 'application/octet-stream', source: { data: randomBytes(3000) } },
  ];
  const good = await signMtomEnvelope(mtomEnvelope(attachments), attachments, { credential: pki.rsa, clock });
  for (const swap of [undefined, randomBytes(3000)]) {
    const pkg = await buildMtom(good, swap ? [{ ...attachments[0]!, source: { data: swap } }] : attachments);
    const reader = await readMtom(pkg.body, pkg.contentType);
    const report = new VerificationReport();
    const v = verifyMtomEnvelope(reader.root.xml, options({ report }));
    const bodyRef = () => report.toJSON().message?.references.find((x) => x.target === 'Body');
    assert.equal(report.outcome, 'pending');
    assert.equal(bodyRef()?.digest, 'deferred');
    for (const inc of v.includes)
      await pipeline((await reader.attachment(inc.contentId)).stream, v.digestStream(inc.contentId), sink());
    await reader.done();
    if (swap === undefined) v.complete();
    else
      assert.throws(
        () => v.complete(),
        (e) => isPasserelleError(e, 'ERR_WSS_DIGEST_MISMATCH'),
      );
    const r = report.toJSON();
    assert.equal(r.outcome, swap === undefined ? 'ok' : 'refused');
    assert.equal(bodyRef()?.digest, swap === undefined ? 'ok' : 'mismatch');
    assert.deepEqual(
      r.message?.references.filter((x) => x.target !== 'Body').map((x) => x.digest),
      ['ok', 'ok'],
    );
  }
});
