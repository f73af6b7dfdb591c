import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { isPasserelleError } from '../../../src/errors.ts';
import { MTOM_TEST } from '../../../src/services/mtom/index.ts';
import { createServiceContext } from '../../../src/services/service-context.ts';
import { type MtomAttachment, mtomCall } from '../../../src/soap/mtom/index.ts';
import { signMtomEnvelope } from '../../../src/wss/mtom.ts';
import { NS } from '../../../src/xml/namespaces.ts';
import { mutate } from '../../wss/_helpers.ts';
import { startMtomSandbox, uploadRequest } from './_sandbox.ts';

// What the gateway on port 4522 must refuse, with the fault the platform gives (SOA-01001 for a
// message whose security fails, SOA-03001 for one that is not a well-formed MTOM SOAP request),
// the precise reason in the sandbox log only; and after all of it, it still serves.
const { sandbox, clock, log, environment } = await startMtomSandbox({ after });
const services = await createServiceContext(environment, { clock, processEnv: {} });
after(() => services.close());
const url = `${sandbox.endpoints['cbss.mtom']}${MTOM_TEST.path}`;
const contentId = 'doc@test';
const attachments: MtomAttachment[] = [{ contentId, source: { data: Buffer.from('a document') } }];

/** A signed upload request for `attachments` (a fresh Timestamp and SignatureValue each time). */
const signedUpload = (href = contentId) =>
  signMtomEnvelope(uploadRequest(href), [{ ...attachments[0]!, contentId: href }], {
    credential: services.signingCredential(),
    clock,
  });

async function refused(envelope: string, soaCode: string, reason: string): Promise<void> {
  const before = log.entries.length;
  await assert.rejects(
    mtomCall(services.transport, url, { action: MTOM_TEST.uploadAction, envelope, attachments }),
    (e) => isPasserelleError(e, 'ERR_SOAP_FAULT') && e.details['soaCode'] === soaCode,
  );
  const logged = log.entries.slice(before).map((e) => String(e.fields['reason'] ?? ''));
  assert.ok(
    logged.some((r) => r.startsWith(reason)),
    `sandbox log: ${logged.join(' | ')}`,
  );
}

test('a replayed upload: SOA-01001 (ERR_WSS_REPLAY in the log)', async () => {
  const signed = await signedUpload();
  const first = await mtomCall(services.transport, url, {
    action: MTOM_TEST.uploadAction,
    envelope: signed,
    attachments,
  });
  await first.done();
  await refused(signed, 'SOA-01001', 'ERR_WSS_REPLAY');
});

test('signature wrapping (signed Body moved into the Header, another Body in its place): SOA-01001', async () => {
  const wrapped = mutate(await signedUpload(), (p) => {
    const evil = p.doc.createElementNS(NS.soapenv, 'soapenv:Body');
    const request = p.doc.createElementNS(MTOM_TEST.ns, 'm:UploadRequest');
    request.setAttributeNS(NS.xmlns, 'xmlns:m', MTOM_TEST.ns);
    const document = p.doc.createElementNS(MTOM_TEST.ns, 'm:Document');
    request.appendChild(document);
    evil.appendChild(request);
    // The attacker's Body points at the attachment; the signed one, moved, keeps no reference.
    const include = p.body
      .getElementsByTagNameNS('http://www.w3.org/2004/08/xop/include', 'Include')
      .item(0)!;
    document.appendChild(include);
    p.envelope.replaceChild(evil, p.body);
    p.header.appendChild(p.body);
  });
  await refused(wrapped, 'SOA-01001', 'ERR_WSS_WRAPPING');
});

test('a DOCTYPE in the root part and a non-cid: xop:Include href: SOA-03001', async () => {
  await refused(`<!DOCTYPE x [<!ENTITY a "b">]>${await signedUpload()}`, 'SOA-03001', 'ERR_XML_DOCTYPE');
  const signed = await signedUpload();
  await refused(
    signed.replace(`href="cid:${contentId}"`, 'href="http://evil.example/doc"'),
    'SOA-03001',
    'ERR_MTOM_BAD_REFERENCE',
  );
});

test('a plain text/xml request over 4 MiB: HTTP 413 with SOA-03001, as the SOAP listener answers (ERR_MTOM_LIMIT in the log)', async () => {
  const before = log.entries.length;
  const r = await services.transport.postStream(url, {
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${MTOM_TEST.uploadAction}"` },
    body: Buffer.alloc(5 * 1024 * 1024, 0x20),
  });
  const text = Buffer.concat(await r.body.toArray()).toString('utf8');
  assert.equal(r.status, 413);
  assert.match(text, /SOA-03001/);
  assert.ok(log.entries.slice(before).some((e) => String(e.fields['reason']).startsWith('ERR_MTOM_LIMIT')));
});

test('a root part or a text/xml request that is not UTF-8: SOA-03001 (ERR_XML_UNSUPPORTED_ENCODING / ERR_XML_ENCODING in the log)', async () => {
  await refused(
    `<?xml version="1.0" encoding="ISO-8859-1"?>${await signedUpload()}`,
    'SOA-03001',
    'ERR_XML_UNSUPPORTED_ENCODING',
  );
  const before = log.entries.length;
  const r = await services.transport.postStream(url, {
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${MTOM_TEST.uploadAction}"` },
    body: Buffer.concat([Buffer.from(await signedUpload()), Buffer.from([0xff])]),
  });
  const text = Buffer.concat(await r.body.toArray()).toString('utf8');
  assert.equal(r.status, 500);
  assert.match(text, /SOA-03001/);
  assert.ok(log.entries.slice(before).some((e) => String(e.fields['reason']).startsWith('ERR_XML_ENCODING')));
});

test('a body that is neither MTOM nor SOAP: SOA-03001; the gateway still serves afterwards', async () => {
  const r = await services.transport.postStream(url, {
    headers: { 'content-type': 'application/octet-stream', soapaction: `"${MTOM_TEST.uploadAction}"` },
    body: Buffer.from('not a SOAP message'),
  });
  const text = Buffer.concat(await r.body.toArray()).toString('utf8');
  assert.equal(r.status, 500);
  assert.match(text, /SOA-03001/);
  const fine = await mtomCall(services.transport, url, {
    action: MTOM_TEST.uploadAction,
    envelope: await signedUpload(),
    attachments,
  });
  await fine.done();
  assert.equal(fine.status, 200);
});
