import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ErrorCode, isPasserelleError } from '../../../src/errors.ts';
import { hasAnEbox } from '../../../src/services/ebox/soap-has-an-ebox.ts';
import { publishEboxMessage } from '../../../src/services/ebox/soap-publish.ts';
import { SoapFaultError } from '../../../src/soap/soap-fault-error.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { testPki } from '../../_support/credentials.ts';
import { requirePeer, runPeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';
import { clock, ERRORS_XSD, envelope, fault, faultDetail, INSS, startEboxPeer } from './_peer.ts';

const BUSINESS: [string, ErrorCode][] = [
  ['10', 'ERR_EBOX_DIGEST_MISMATCH'],
  ['15', 'ERR_EBOX_DIGEST_ALGORITHM'],
  ['20', 'ERR_EBOX_SENDER_MISMATCH'],
  ['40', 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED'],
  ['90', 'ERR_EBOX_INVALID_RECIPIENT'],
  ['620', 'ERR_EBOX_DUPLICATE'],
  ['999', 'ERR_EBOX_BUSINESS'],
];

test('the fault details the peer answers are valid per socsec-errors-schema-v1.xsd (xmllint)', (t) => {
  if (!requirePeer(t, 'xmllint')) return;
  const dir = tempDir(t);
  for (const [i, detail] of [
    faultDetail('BusinessError', '40', 'Sender not authorized for this message type'),
    faultDetail('SystemError', 'SOA-01002', 'Service call not authorized.'),
  ].entries()) {
    const f = join(dir, `detail-${i}.xml`);
    writeFileSync(f, detail);
    const r = runPeer('xmllint', ['--noout', '--nonet', '--schema', ERRORS_XSD, f]);
    assert.equal(r.status, 0, r.stderr);
  }
});

test('business faults map to their ERR_EBOX_* code with businessCode, origin platform, message and the SOAP fault as cause', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  const path = join(tempDir(t), 'a.pdf');
  writeFileSync(path, 'pdf');
  for (const [business, code] of BUSINESS) {
    await t.test(`business error ${business} → ${code}`, async () => {
      peer.answer = () => ({
        status: 500,
        sign: false,
        xml: envelope(fault(faultDetail('BusinessError', business, `Business rule ${business} failed`))),
      });
      await assert.rejects(
        publishEboxMessage(ctx, {
          recipient: INSS,
          messageType: 'ANNUAL_NOTICE',
          subject: { lang: 'fr', text: 'Avis' },
          document: { path },
          ticket: 'T-1',
        }),
        (e) => {
          assert.ok(isPasserelleError(e, code), `expected ${code}, got ${String(e)}`);
          assert.deepEqual(e.details, {
            businessCode: business,
            origin: 'platform',
            message: `Business rule ${business} failed`,
            errorId: 'err-42',
          });
          assert.ok(e.cause instanceof SoapFaultError);
          assert.equal(e.cause.details['soaKind'], 'BusinessError');
          return true;
        },
      );
    });
  }
});

test('SOA-01002 (level-1: institution not authorized) stays ERR_SOAP_FAULT with its soaCode and an eBox hint; a business error on hasAnEbox maps too', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  peer.answer = () => ({
    status: 500,
    sign: false,
    xml: envelope(
      fault(faultDetail('SystemError', 'SOA-01002', 'Service call not authorized.'), 'Unauthorized'),
    ),
  });
  await assert.rejects(hasAnEbox(ctx, INSS), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_SOAP_FAULT'), String(e));
    assert.equal(e.details['soaCode'], 'SOA-01002');
    assert.equal(e.details['soaKind'], 'SystemError');
    assert.match(e.hint, /eboxintegration@smals\.be/);
    return true;
  });
  peer.answer = () => ({
    status: 500,
    sign: false,
    xml: envelope(fault(faultDetail('BusinessError', '90', 'Unknown recipient'))),
  });
  await assert.rejects(hasAnEbox(ctx, INSS), (e) => isPasserelleError(e, 'ERR_EBOX_INVALID_RECIPIENT'));
  peer.answer = () => ({
    status: 500,
    sign: false,
    xml: envelope(fault(faultDetail('SystemError', 'SOA-02001', 'Service not available'))),
  });
  await assert.rejects(hasAnEbox(ctx, INSS), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_SOAP_FAULT'));
    assert.equal(e.details['soaCode'], 'SOA-02001');
    assert.doesNotMatch(e.hint, /eboxintegration/);
    return true;
  });
});

test('an unsigned reply to a signed call is ERR_WSS_NO_SECURITY; a reply signed by another key fails verification', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  const reply = envelope(
    '<ebox:HasAnEboxResponse xmlns:ebox="http://socialsecurity.be/eboxmessage/v1" xmlns:t="http://socialsecurity.be/eboxmessage/types/v1"><t:EboxType>CITIZEN</t:EboxType><t:Ebox><t:Ebox><t:INSS>85073003328</t:INSS></t:Ebox><t:Exists>true</t:Exists></t:Ebox></ebox:HasAnEboxResponse>',
  );
  peer.answer = () => ({ xml: reply, sign: false });
  await assert.rejects(hasAnEbox(ctx, INSS), (e) => isPasserelleError(e, 'ERR_WSS_NO_SECURITY'));
  const rogue = (await testPki()).rogue;
  peer.answer = () => ({ xml: signEnvelope(reply, { credential: rogue, clock }), sign: false });
  await assert.rejects(hasAnEbox(ctx, INSS), (e) => {
    assert.ok(isPasserelleError(e) && e.code.startsWith('ERR_WSS_'), String(e));
    return true;
  });
});
