import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { resolveEnvironment } from '../../src/config/environment.ts';
import { loadConfig } from '../../src/config/load.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { MemoryLogger } from '../../src/log.ts';
import { startSandbox } from '../../src/sandbox/host.ts';
import { soaModule } from '../../src/sandbox/soa/module.ts';
import { soaMtomModule } from '../../src/sandbox/soa-mtom/module.ts';
import { stsModule } from '../../src/sandbox/sts/module.ts';
import { callSoap, standaloneXml } from '../../src/services/call-soap.ts';
import { MTOM_TEST } from '../../src/services/mtom/names.ts';
import { SERVICE_NS, SERVICE_PATHS, SOAP_ACTIONS } from '../../src/services/namespaces.ts';
import { createServiceContext } from '../../src/services/service-context.ts';
import { createStsSession } from '../../src/sts/create-sts-session.ts';
import { signEnvelope } from '../../src/wss/sign.ts';
import { childElements } from '../../src/xml/dom.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';

// Issue 18 item 1: any SOAP operation, signed as configured, against the sandbox's SOA gateway
// (which verifies WS-Security as the platform does), its MTOM port and its STS.
const clock = new FrozenClock(TEST_NOW);
const dir = tempDir({ after }, 'passerelle-call-soap-');
const sandbox = await startSandbox({
  stateDir: join(dir, 'state'),
  clock,
  log: new MemoryLogger(),
  modules: [soaModule(), soaMtomModule(), stsModule()],
});
after(() => sandbox.close());
const environment = resolveEnvironment(
  await loadConfig({ path: sandbox.configPath, env: {} }),
  'sandbox',
  {},
);
const ctx = await createServiceContext(environment, { clock, processEnv: {} });
after(() => ctx.close());

const soaUrl = `${sandbox.endpoints['ehealth.soa']}${SERVICE_PATHS.consumerTest}`;
const mtomUrl = `${sandbox.endpoints['cbss.mtom']}${MTOM_TEST.path}`;
const consumerBody = (name: string, message: string) =>
  `<urn:${name} xmlns:urn="${SERVICE_NS.consumerTest}" xmlns:t="${SERVICE_NS.consumerTestTypes}">` +
  `<t:Message>${message}</t:Message><t:Timestamp>${new Date(clock.now()).toISOString()}</t:Timestamp></urn:${name}>`;

const platformFingerprint = sandbox.pki.platformSigning.certificate.fingerprint256;

test('x509: a hand-written body is wrapped, signed, accepted; the signed reply verifies and its Body is printed standalone', async () => {
  const r = await callSoap(ctx, {
    url: soaUrl,
    action: SOAP_ACTIONS.checkAccessControl,
    payload: { body: consumerBody('CheckAccessControlRequest', 'generic &amp; signed') },
    security: 'x509',
  });
  assert.equal(r.replySigner?.fingerprint256, platformFingerprint);
  assert.equal(r.body.length, 1);
  const reply = parseXml(r.body[0]!).documentElement!;
  assert.equal(reply.localName, 'CheckAccessControlResponse');
  assert.equal(reply.namespaceURI, SERVICE_NS.consumerTest);
  const [message] = childElements(reply, SERVICE_NS.consumerTestTypes, 'Message');
  assert.equal(message?.textContent, 'generic & signed');
  assert.match(
    childElements(reply, SERVICE_NS.consumerTestTypes, 'AuthenticatedConsumer')[0]?.textContent ?? '',
    /CN=urn:be:fgov:ehealth:sandbox:partner/,
  );
  // The envelope is the reply as received: signed, and its Body is what was printed.
  assert.match(r.envelope, /<wsse:Security|:Security /);
  assert.deepEqual(r.attachments, []);
});

test('a whole envelope (--envelope) is signed as given; none sends it untouched; the unsigned reply of a TLS-only call is accepted', async () => {
  const envelope = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${consumerBody('CheckAccessControlRequest', 'whole')}</s:Body></s:Envelope>`;
  const signed = await callSoap(ctx, {
    url: soaUrl,
    action: SOAP_ACTIONS.checkAccessControl,
    payload: { envelope: Buffer.from(envelope) },
    security: 'x509',
  });
  assert.equal(signed.replySigner?.fingerprint256, platformFingerprint);
  const plain = await callSoap(ctx, {
    url: soaUrl,
    action: SOAP_ACTIONS.checkConnection,
    payload: { body: consumerBody('CheckConnectionRequest', 'tls only') },
    security: 'none',
  });
  assert.equal(plain.replySigner, undefined);
  assert.match(plain.body[0]!, /<[^>]*CheckConnectionResponse[^>]*xmlns/);
  // A pre-signed envelope goes out byte for byte with security none, and the gateway accepts it.
  const presigned = signEnvelope(envelope, { credential: sandbox.pki.partner.signing, clock });
  const sent = await callSoap(ctx, {
    url: soaUrl,
    action: SOAP_ACTIONS.checkAccessControl,
    payload: { envelope: presigned },
    security: 'none',
  });
  assert.equal(sent.replySigner?.fingerprint256, platformFingerprint);
});

test('hok: a SAML holder-of-key token from the STS signs the call', async () => {
  const session = await createStsSession(environment, { clock, processEnv: {}, transport: ctx.transport });
  try {
    const r = await callSoap(ctx, {
      url: soaUrl,
      action: SOAP_ACTIONS.checkBrokeredAccessControl,
      payload: { body: consumerBody('CheckBrokeredAccessControlRequest', 'brokered') },
      security: { hok: { credential: session.credential, token: session.token } },
    });
    assert.equal(r.replySigner?.fingerprint256, platformFingerprint);
    assert.match(r.body[0]!, /CheckBrokeredAccessControlResponse/);
  } finally {
    await session.close();
  }
});

test('MTOM: the file is streamed as an attachment counted in the signed Body; the receiver reports its size and SHA-256', async (t) => {
  const work = tempDir(t, 'passerelle-call-mtom-');
  const file = join(work, 'doc.pdf');
  const content = Buffer.alloc(300_000, 'passerelle ');
  writeFileSync(file, content);
  const body =
    `<m:UploadRequest xmlns:m="${MTOM_TEST.ns}"><m:Document name="doc.pdf" contentType="application/pdf">` +
    `<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc1@example"/></m:Document></m:UploadRequest>`;
  const r = await callSoap(ctx, {
    url: mtomUrl,
    action: MTOM_TEST.uploadAction,
    payload: { body },
    security: 'x509',
    attachments: [{ contentId: 'doc1@example', file, contentType: 'application/pdf' }],
  });
  assert.equal(r.replySigner?.fingerprint256, platformFingerprint);
  assert.match(r.body[0]!, new RegExp(`sha256="${createHash('sha256').update(content).digest('hex')}"`));
  assert.match(r.body[0]!, /size="300000"/);
});

test('MTOM reply attachments are written whole to the directory asked for, after the reply signature over them verified', async (t) => {
  const out = join(tempDir(t, 'passerelle-call-mtom-out-'), 'received');
  const body = `<m:DownloadRequest xmlns:m="${MTOM_TEST.ns}"><m:Size>100000</m:Size><m:Seed>abc</m:Seed></m:DownloadRequest>`;
  // The download operation takes no attachment: `mtom` sends the request as an MTOM package anyway.
  const r = await callSoap(ctx, {
    url: mtomUrl,
    action: MTOM_TEST.downloadAction,
    payload: { body },
    security: 'x509',
    mtom: true,
    attachmentsDir: out,
  });
  assert.equal(r.attachments.length, 1);
  const [a] = r.attachments;
  assert.equal(a?.size, 100_000);
  assert.ok(a?.file);
  const bytes = readFileSync(a.file);
  assert.equal(createHash('sha256').update(bytes).digest('hex'), a.sha256);
  assert.deepEqual(
    readdirSync(out).filter((f) => f.endsWith('.part')),
    [],
  );
});

test('refusals before sending: an envelope as body, a pre-signed envelope to sign again, malformed XML, attachments not matching includes', async (t) => {
  const envelope = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${consumerBody('CheckAccessControlRequest', 'x')}</s:Body></s:Envelope>`;
  const base = { url: soaUrl, action: SOAP_ACTIONS.checkAccessControl, security: 'x509' as const };
  await rejectsCode(callSoap(ctx, { ...base, payload: { body: envelope } }), 'ERR_SOAP_MALFORMED');
  const presigned = signEnvelope(envelope, { credential: sandbox.pki.partner.signing, clock });
  await rejectsCode(
    callSoap(ctx, { ...base, payload: { envelope: presigned } }),
    'ERR_WSS_MULTIPLE_SECURITY',
  );
  await rejectsCode(callSoap(ctx, { ...base, payload: { body: '<a><b></a>' } }), 'ERR_XML_MALFORMED');
  await rejectsCode(
    callSoap(ctx, { ...base, payload: { body: '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>' } }),
    'ERR_XML_DOCTYPE',
  );
  await rejectsCode(
    callSoap(ctx, {
      ...base,
      payload: { body: Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]) },
    }),
    'ERR_XML_ENCODING',
  );
  await rejectsCode(callSoap(ctx, { ...base, payload: { envelope: '<a/>' } }), 'ERR_SOAP_NOT_SOAP');
  const file = join(tempDir(t, 'passerelle-call-refusals-'), 'f.bin');
  writeFileSync(file, 'x');
  const upload = `<m:UploadRequest xmlns:m="${MTOM_TEST.ns}"><m:Document><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:one"/></m:Document></m:UploadRequest>`;
  const mtom = {
    url: mtomUrl,
    action: MTOM_TEST.uploadAction,
    security: 'x509' as const,
    payload: { body: upload },
  };
  await rejectsCode(
    callSoap(ctx, { ...mtom, attachments: [{ contentId: 'two', file }] }),
    'ERR_MTOM_BAD_REFERENCE',
  );
  await rejectsCode(
    callSoap(ctx, {
      ...mtom,
      attachments: [
        { contentId: 'one', file },
        { contentId: 'one', file },
      ],
    }),
    'ERR_MTOM_BAD_REFERENCE',
  );
  const session = {
    credential: sandbox.pki.partner.signing,
    token: async () => {
      throw new Error('never asked');
    },
  };
  await rejectsCode(
    callSoap(ctx, { ...mtom, security: { hok: session }, attachments: [{ contentId: 'one', file }] }),
    'ERR_MTOM_BAD_REFERENCE',
  );
  const referencesTwo = upload.replace(
    '</m:UploadRequest>',
    '<m:Document><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:two"/></m:Document></m:UploadRequest>',
  );
  await rejectsCode(
    callSoap(ctx, { ...mtom, payload: { body: referencesTwo }, attachments: [{ contentId: 'one', file }] }),
    'ERR_MTOM_MISSING_PART',
  );
  await assert.rejects(
    callSoap(ctx, { ...base, security: 'sign' as never, payload: { body: '<a/>' } }),
    TypeError,
  );
});

test('a platform fault is ERR_SOAP_FAULT with the gateway code; an unsigned call to a signed operation is refused by the gateway', async () => {
  await assert.rejects(
    callSoap(ctx, {
      url: soaUrl,
      action: 'urn:x',
      payload: { body: '<x:Nope xmlns:x="urn:nope"/>' },
      security: 'x509',
    }),
    (e) => isPasserelleError(e, 'ERR_SOAP_FAULT') && e.details['soaCode'] === 'SOA-03005',
  );
  await assert.rejects(
    callSoap(ctx, {
      url: soaUrl,
      action: SOAP_ACTIONS.checkAccessControl,
      payload: { body: consumerBody('CheckAccessControlRequest', 'unsigned') },
      security: 'none',
    }),
    (e) => isPasserelleError(e, 'ERR_SOAP_FAULT') && String(e.details['soaCode']).startsWith('SOA-0'),
  );
});

test('standaloneXml declares the prefixes a Body child relies on, xsi:type QNames included', () => {
  const doc = parseXml(
    '<e:Envelope xmlns:e="urn:env" xmlns:a="urn:a" xmlns:t="urn:t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:unused="urn:u">' +
      '<e:Body><a:R xsi:type="t:Kind"><a:V>1</a:V></a:R></e:Body></e:Envelope>',
  );
  const body = childElements(doc.documentElement!, 'urn:env', 'Body')[0]!;
  const out = standaloneXml(childElements(body)[0]!);
  const el = parseXml(out).documentElement!;
  assert.equal(el.namespaceURI, 'urn:a');
  assert.match(out, /xmlns:t="urn:t"/);
  assert.match(out, /xmlns:xsi=/);
  assert.doesNotMatch(out, /urn:u|urn:env/);
});
