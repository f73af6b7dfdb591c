import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { parseEnvelope } from '../../../src/soap/parse-envelope.ts';
import { childElements } from '../../../src/xml/dom.ts';
import { serializeXml } from '../../../src/xml/serialize.ts';
import { requirePeer, runPeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';
import type { EboxSandbox, Reply } from './_ebox.ts';

const SOAP_VECTORS = resolve(import.meta.dirname, '../../../contracts/ebox/soap');
const ERRORS_NS = 'http://socialsecurity.be/errors/v1';

/** A schema importing the official eBox, errors and monitoring schemas (contracts/ebox/soap). */
function wrapperSchema(dir: string): string {
  const file = join(dir, 'ebox-all.xsd');
  const imports = [
    ['http://socialsecurity.be/eboxmessage/v1', 'be/socialsecurity/eboxmessage/v1/EboxMessage_v1.xsd'],
    [ERRORS_NS, 'be/socialsecurity/errors/v1/socsec-errors-schema-v1.xsd'],
    ['http://services.fgov.be/monitoring/v1', 'be/fgov/services/monitoring/v1/monitoring-v1.xsd'],
  ]
    .map(
      ([ns, path]) => `<xs:import namespace="${ns}" schemaLocation="file://${join(SOAP_VECTORS, path!)}"/>`,
    )
    .join('');
  writeFileSync(file, `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">${imports}</xs:schema>`);
  return file;
}

/**
 * Validates the element a reply carries (the Body's child, or the fault's detail entry) against
 * the official XSD with libxml2's xmllint (an independent schema processor). Under CI=true a
 * missing xmllint fails the test.
 */
export function assertValidReply(t: TestContext, reply: Reply): void {
  if (!requirePeer(t, 'xmllint')) return;
  const parsed = parseEnvelope(reply.text);
  const faultEl = childElements(parsed.body).find((e) => e.localName === 'Fault');
  const element =
    faultEl === undefined
      ? childElements(parsed.body)[0]
      : childElements(childElements(faultEl).find((e) => e.localName === 'detail')!)[0];
  assert.ok(element, 'the reply carries an element');
  const dir = tempDir(t, 'passerelle-ebox-xsd-');
  const file = join(dir, 'reply.xml');
  writeFileSync(file, serializeXml(element));
  const r = runPeer('xmllint', ['--noout', '--nonet', '--schema', wrapperSchema(dir), file]);
  assert.equal(r.status, 0, `xmllint: ${r.stderr}\n${serializeXml(element).slice(0, 600)}`);
}

/**
 * Asserts an eBox SOAP fault: HTTP status, detail err:SystemError or err:BusinessError
 * (http://socialsecurity.be/errors/v1) with this Code, faultcode, Environment Simulation, and
 * the precise `reason` in the sandbox log entry of that fault Id. Returns the message.
 */
export function assertEboxFault(
  s: EboxSandbox,
  reply: Reply,
  kind: 'SystemError' | 'BusinessError',
  code: string,
  reason?: string,
  status = 500,
): string {
  assert.equal(reply.status, status, reply.text.slice(0, 500));
  assert.match(reply.type, /^text\/xml/);
  const parsed = parseEnvelope(reply.text);
  const fault = childElements(parsed.body)[0]!;
  assert.equal(fault.localName, 'Fault');
  const [faultcode, faultstring, detail] = childElements(fault);
  const error = childElements(detail!)[0]!;
  assert.equal(error.namespaceURI, ERRORS_NS);
  assert.equal(error.localName, kind);
  const field = (name: string) => childElements(error, ERRORS_NS, name)[0]?.textContent ?? undefined;
  assert.equal(field('Code'), code);
  assert.equal(field('Environment'), 'Simulation');
  const client = kind === 'BusinessError' || /^SOA-0[13]/.test(code);
  assert.equal(faultcode?.textContent, client ? 'soapenv:Client' : 'soapenv:Server');
  assert.equal(faultstring?.textContent, `${code}: ${field('Message')}`);
  const id = error.getAttribute('Id') ?? '';
  assert.match(id, /^Id-[0-9a-f]{24}$/);
  if (reason !== undefined) {
    const entry = s.log.entries.find((e) => e.fields['faultId'] === id);
    assert.ok(entry, `a log entry for fault ${id}`);
    assert.equal(entry.fields['reason'], reason);
  }
  return field('Message') ?? '';
}
