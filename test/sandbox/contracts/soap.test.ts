/**
 * The sandbox serving a WSDL contract on the SOA gateway (mutual TLS, role `soap`): every
 * operation of the eBox EboxMessage WSDL (X.509 policy), signed, answers a reply that libxml2
 * validates against the contract's XSDs and whose signature verifies against the sandbox
 * platform signing certificate; unsigned → SOA-01001; a body the XSDs refuse → SOA-03006 (the
 * libxml2 words in the sandbox log only); scenarios answer SOA-02002 and a business fault.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildEnvelope } from '../../../src/soap/build-envelope.ts';
import { parseEnvelope } from '../../../src/soap/parse-envelope.ts';
import { createXsdValidator, readWsdl, requestTemplate, serializePayload } from '../../../src/wsdl/index.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { verifyEnvelope } from '../../../src/wss/verify.ts';
import { childElements } from '../../../src/xml/dom.ts';
import type { Element } from '../../../src/xml/node.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { tempDir } from '../../_support/tmp.ts';
import { faultOf, rawPost } from '../_raw.ts';
import { assertFault } from '../soa/_hostile.ts';
import { CONTRACT_FILES, startContractSandbox, writeScenarios } from './_start.ts';

const SCENARIOS = `
contract: EboxMessageService
scenarios:
  - name: gateway busy
    operation: getEboxInfo
    when:
      - xpath: //CompanyID
        equals: "0123456789"
    fault: SOA-02002
  - name: no such company
    operation: hasAnEbox
    when:
      - xpath: /EboxID/CompanyID
        matches: "^09"
    delayMs: 250
    businessFault:
      faultcode: Client
      faultstring: No e-Box for this company
      detail: >-
        <err:BusinessError xmlns:err="http://socialsecurity.be/errors/v1"><Origin>Provider</Origin><Code>EBOX-404</Code></err:BusinessError>
`;

const dir = tempDir({ after }, 'passerelle-scenarios-');
const cs = await startContractSandbox({ after }, [
  { file: CONTRACT_FILES.eboxWsdl, scenarios: writeScenarios(dir, 'ebox.yaml', SCENARIOS) },
]);
const { sandbox, log, clock } = cs;
const model = await readWsdl(CONTRACT_FILES.eboxWsdl);
const validator = createXsdValidator(model);
const url = `${sandbox.endpoints['cbss.soap']}/EboxMessageService`;
const post = (xml: string) =>
  rawPost(url, xml, { ca: sandbox.pki.ca.certPem, client: sandbox.pki.partner.tls });
const sign = (xml: string) => signEnvelope(xml, { credential: sandbox.pki.partner.signing, clock });

/** The template payload of `operation`, its first CompanyID set to `company` when given. */
function payload(operation: string, company?: string): Element {
  const root = parseXml(requestTemplate(model, operation)).documentElement!;
  if (company !== undefined) {
    const id = childElements(childElements(root).find((e) => e.localName === 'EboxID')!).find(
      (e) => e.localName === 'CompanyID',
    )!;
    id.textContent = company;
  }
  return root;
}
const envelope = (body: Element) => buildEnvelope({ header: () => [], body });

test('the contract is served at /<service name> with the operations of its WSDL, X.509 policy', () => {
  const [served] = cs.contracts.soap;
  assert.equal(served?.path, '/EboxMessageService');
  assert.equal(served?.operations.length, 8);
  assert.ok(served?.operations.every((o) => o.policy === 'x509' && o.security === 'x509'));
  const info = sandbox.modules['soa']?.info?.['contracts'] as { name: string; scenarios: number }[];
  assert.deepEqual(
    info.map((c) => [c.name, c.scenarios]),
    [['EboxMessageService', 2]],
  );
});

test('every operation, signed with its template request: a signed reply the XSDs accept', async () => {
  for (const op of cs.contracts.soap[0]!.operations) {
    const reply = await post(sign(envelope(payload(op.name))));
    assert.equal(reply.status, 200, `${op.name}: ${reply.text.slice(0, 400)}`);
    const verified = verifyEnvelope(reply.text, {
      trust: [sandbox.pki.platformSigning.certificate],
      clock,
      require: ['body', 'timestamp'],
    });
    assert.equal(verified.signer.fingerprint256, sandbox.pki.platformSigning.certificate.fingerprint256);
    const [content] = childElements(verified.body);
    assert.ok(content, `${op.name}: a reply payload`);
    const verdict = await validator.validate(serializePayload(content));
    assert.deepEqual(verdict.errors, [], `${op.name}: ${serializePayload(content).slice(0, 400)}`);
    assert.equal(verdict.valid, true);
  }
  const served = log.entries.filter((e) => e.msg === 'call served').map((e) => e.fields['operation']);
  assert.ok(served.includes('EboxMessageService getEboxInfo'), 'the log names the operation');
  assert.equal(sandbox.modules['soa']?.stats?.()['calls.EboxMessageService healthCheck'], 1);
  const [exchange] = sandbox.exchanges(1);
  assert.equal(exchange?.operation, 'EboxMessageService healthCheck');
  assert.equal(exchange?.verification?.outcome, 'ok');
});

test('unsigned → SOA-01001 exactly as the test services answer it', async () => {
  assertFault(await post(envelope(payload('getEboxInfo'))), log, 'SOA-01001', 'ERR_WSS_NO_SECURITY');
});

test('a signed body the XSDs refuse → SOA-03006; the libxml2 message goes to the log only', async () => {
  const reply = await post(sign(envelope(payload('getEboxInfo', 'not-digits'))));
  assertFault(reply, log, 'SOA-03006', 'schema');
  const id = faultOf(reply).soa?.id;
  const entry = log.entries.find((e) => e.fields['faultId'] === id)!;
  assert.match(String(entry.fields['detail']), /CompanyID/);
  assert.doesNotMatch(reply.text, /CompanyID|pattern|not-digits/);
});

test('scenarios: SOA-02002 for one company; a business fault (signed) after its delay', async () => {
  const busy = await post(sign(envelope(payload('getEboxInfo', '0123456789'))));
  assertFault(busy, log, 'SOA-02002', 'scenario gateway busy');
  assert.equal(faultOf(busy).faultcode, 'soapenv:Server');
  const other = await post(sign(envelope(payload('getEboxInfo', '0123456780'))));
  assert.equal(other.status, 200);

  const started = performance.now();
  const business = await post(sign(envelope(payload('hasAnEbox', '0987654321'))));
  assert.ok(performance.now() - started >= 250, 'the reply waited the scenario delay');
  assert.equal(business.status, 500);
  verifyEnvelope(business.text, {
    trust: [sandbox.pki.platformSigning.certificate],
    clock,
    require: ['body', 'timestamp'],
  });
  const fault = parseEnvelope(business.text).fault;
  assert.equal(fault?.faultcode, 'soapenv:Client');
  assert.equal(fault?.faultstring, 'No e-Box for this company');
  assert.match(
    business.text,
    /<err:BusinessError xmlns:err="http:\/\/socialsecurity.be\/errors\/v1"><Origin>Provider<\/Origin><Code>EBOX-404<\/Code><\/err:BusinessError>/,
  );
  const described = cs.contracts.describe()[0]!;
  assert.deepEqual(described.scenarioMatches, { 'gateway busy': 1, 'no such company': 1 });
});
