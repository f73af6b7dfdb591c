import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPasserelleError } from '../../../src/errors.ts';
import { standaloneXml } from '../../../src/services/call-soap.ts';
import { hasAnEbox } from '../../../src/services/ebox/soap-has-an-ebox.ts';
import { eboxHealthCheck } from '../../../src/services/ebox/soap-health-check.ts';
import { getMessageStatus } from '../../../src/services/ebox/soap-message-status.ts';
import { EBOX_SOAP } from '../../../src/services/ebox/soap-names.ts';
import { childElements } from '../../../src/xml/dom.ts';
import { NS } from '../../../src/xml/namespaces.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { requirePeer, runPeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';
import { EBOX_XSD, envelope, INSS, MONITORING_XSD, type Received, startEboxPeer } from './_peer.ts';

const E = `xmlns:ebox="${EBOX_SOAP.ns}" xmlns:t="${EBOX_SOAP.typesNs}"`;

function requestOf(r: Received): string {
  const doc = parseXml(r.body.toString('utf8'));
  const [body] = childElements(doc.documentElement!, NS.soapenv, 'Body');
  return standaloneXml(childElements(body!)[0]!);
}

function assertValid(t: { after: (fn: () => void) => void }, schema: string, xml: string): void {
  const file = join(tempDir(t), 'request.xml');
  writeFileSync(file, xml);
  const r = runPeer('xmllint', ['--noout', '--nonet', '--schema', schema, file]);
  assert.equal(r.status, 0, `xmllint refused:\n${r.stderr}\n${xml}`);
}

test('hasAnEbox: a signed text/xml request (SOAPAction "") valid against the XSD; Exists, LastConnectionDate and ExclusivelyEbox read', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  peer.answer = () => ({
    xml: envelope(
      `<ebox:HasAnEboxResponse ${E}><t:EboxType>CITIZEN</t:EboxType><t:Ebox><t:Ebox><t:INSS>${INSS}</t:INSS></t:Ebox><t:Exists>true</t:Exists><t:LastConnectionDate>2026-05-02</t:LastConnectionDate><t:ExclusivelyEbox>false</t:ExclusivelyEbox></t:Ebox></ebox:HasAnEboxResponse>`,
    ),
  });
  assert.deepEqual(await hasAnEbox(ctx, '85.07.30-033.28'), {
    inss: INSS,
    hasEbox: true,
    lastConnectionDate: '2026-05-02',
    exclusivelyEbox: false,
  });
  const [r] = peer.received;
  assert.equal(r!.headers['soapaction'], '""');
  assert.match(String(r!.headers['content-type']), /^text\/xml; charset=utf-8/);
  assert.match(
    requestOf(r!),
    /<t:EboxType>CITIZEN<\/t:EboxType><t:EboxID><t:INSS>85073003328<\/t:INSS><\/t:EboxID>/,
  );
  if (requirePeer(t, 'xmllint')) assertValid(t, EBOX_XSD, requestOf(r!));
  await assert.rejects(hasAnEbox(ctx, '85073003329'), (e) => isPasserelleError(e, 'ERR_IDS_INSS_INVALID'));
  assert.equal(peer.received.length, 1);
});

test('getMessageStatus: consulted read; ErrorCase NOT_FOUND → ERR_EBOX_MESSAGE_NOT_FOUND; NOT_AUTHORIZED and MULTIPLE_RESULTS_SPECIFY_SEQUENCE → ERR_EBOX_BUSINESS', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  const id = `<t:EboxID><t:INSS>${INSS}</t:INSS></t:EboxID><t:MessageID><t:Ticket>T-1</t:Ticket><t:Sequence>2</t:Sequence></t:MessageID>`;
  peer.answer = () => ({
    xml: envelope(
      `<ebox:GetMessageStatusResponse ${E}><t:EboxType>CITIZEN</t:EboxType><t:Message>${id}<t:HasBeenConsulted>true</t:HasBeenConsulted></t:Message></ebox:GetMessageStatusResponse>`,
    ),
  });
  assert.deepEqual(await getMessageStatus(ctx, { recipient: INSS, ticket: 'T-1', sequence: 2 }), {
    recipient: INSS,
    ticket: 'T-1',
    sequence: 2,
    consulted: true,
  });
  if (requirePeer(t, 'xmllint')) assertValid(t, EBOX_XSD, requestOf(peer.received[0]!));
  assert.match(
    requestOf(peer.received[0]!),
    /<t:MessageID><t:Ticket>T-1<\/t:Ticket><t:Sequence>2<\/t:Sequence><\/t:MessageID>/,
  );
  for (const [errorCode, code] of [
    ['NOT_FOUND', 'ERR_EBOX_MESSAGE_NOT_FOUND'],
    ['NOT_AUTHORIZED', 'ERR_EBOX_BUSINESS'],
    ['MULTIPLE_RESULTS_SPECIFY_SEQUENCE', 'ERR_EBOX_BUSINESS'],
  ] as const) {
    peer.answer = () => ({
      xml: envelope(
        `<ebox:GetMessageStatusResponse ${E}><t:EboxType>CITIZEN</t:EboxType><t:ErrorCase>${id}<t:ErrorCode>${errorCode}</t:ErrorCode></t:ErrorCase></ebox:GetMessageStatusResponse>`,
      ),
    });
    await assert.rejects(getMessageStatus(ctx, { recipient: INSS, ticket: 'T-1' }), (e) => {
      assert.ok(isPasserelleError(e, code), String(e));
      assert.equal(e.details['errorCode'], errorCode);
      return true;
    });
  }
  const before = peer.received.length;
  for (const query of [
    { recipient: '1234', ticket: 'T' },
    { recipient: INSS, ticket: 'x'.repeat(26) },
    { recipient: INSS, ticket: 'T', sequence: 100_000 },
  ]) {
    await assert.rejects(
      getMessageStatus(ctx, query),
      (e) =>
        isPasserelleError(e) && (e.code === 'ERR_IDS_INSS_INVALID' || e.code === 'ERR_EBOX_INVALID_INPUT'),
    );
  }
  assert.equal(peer.received.length, before, 'nothing sent for a bad query');
});

test('eboxHealthCheck: SOAPAction healthCheck, request valid against monitoring-v1.xsd, the response typed', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  const M = EBOX_SOAP.monitoringNs;
  peer.answer = () => ({
    xml: envelope(
      `<mon:HealthCheckResponse xmlns:mon="${M}" timestamp="2026-06-15T10:00:00Z"><mon:Status><mon:Level>WARNING</mon:Level><mon:Message>slow</mon:Message></mon:Status><mon:Component><mon:Name>EBoxMessage</mon:Name><mon:Version>1.8.0</mon:Version></mon:Component><mon:Location><mon:Environment>INT</mon:Environment><mon:Host>node-1</mon:Host><mon:Port>8443</mon:Port></mon:Location><mon:SanityCheck id="db" type="DEEP" failSafe="true"><mon:Status><mon:Level>OK</mon:Level></mon:Status><mon:Resource name="ebox-db" type="DB"/><mon:TimeInMillis>12</mon:TimeInMillis></mon:SanityCheck></mon:HealthCheckResponse>`,
    ),
  });
  const result = await eboxHealthCheck(ctx, 'DEEP');
  assert.deepEqual(result, {
    timestamp: '2026-06-15T10:00:00Z',
    status: { level: 'WARNING', message: 'slow' },
    component: { name: 'EBoxMessage', version: '1.8.0' },
    location: { environment: 'INT', host: 'node-1', port: 8443 },
    sanityChecks: [
      {
        id: 'db',
        type: 'DEEP',
        failSafe: true,
        status: { level: 'OK' },
        resource: { name: 'ebox-db', type: 'DB' },
        timeInMillis: 12,
      },
    ],
  });
  const [r] = peer.received;
  assert.equal(r!.headers['soapaction'], '"http://socialsecurity.be/eboxmessage/v1/healthCheck"');
  assert.match(requestOf(r!), /<mon:HealthCheckRequest xmlns:mon="[^"]+" type="DEEP"\/>/);
  if (requirePeer(t, 'xmllint')) assertValid(t, MONITORING_XSD, requestOf(r!));
  await eboxHealthCheck(ctx);
  assert.match(requestOf(peer.received[1]!), /type="PING"/);
  await assert.rejects(eboxHealthCheck(ctx, 'LOUD' as 'PING'), TypeError);
});
