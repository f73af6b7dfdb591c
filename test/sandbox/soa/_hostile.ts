import assert from 'node:assert/strict';
import type { ErrorCode } from '../../../src/errors.ts';
import type { MemoryLogger } from '../../../src/log.ts';
import { SERVICE_NS } from '../../../src/services/namespaces.ts';
import { buildEnvelope } from '../../../src/soap/build-envelope.ts';
import type { Element } from '../../../src/xml/node.ts';
import type { Parts } from '../../wss/_helpers.ts';
import { faultOf, type RawReply } from '../_raw.ts';

const NS = SERVICE_NS.consumerTest;
const TYPES = SERVICE_NS.consumerTestTypes;

/** A CheckAccessControlRequest envelope, built on the DOM like the client does. */
export function accessControlEnvelope(message = 'Hello World'): string {
  return buildEnvelope({
    header: () => [],
    body: (doc) => {
      const request = doc.createElementNS(NS, 'urn:CheckAccessControlRequest');
      request.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:urn', NS);
      request.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:urn1', TYPES);
      for (const [name, text] of [
        ['Message', message],
        ['Timestamp', '2014-12-30T15:29:03.157+01:00'],
      ] as const) {
        const el = doc.createElementNS(TYPES, `urn1:${name}`);
        el.appendChild(doc.createTextNode(text));
        request.appendChild(el);
      }
      return request;
    },
  });
}

/** An attacker's Body asking the same operation with another message. */
export function evilBody(p: Parts): Element {
  const evil = p.doc.createElementNS('http://schemas.xmlsoap.org/soap/envelope/', 'soapenv:Body');
  const request = p.doc.createElementNS(NS, 'urn:CheckAccessControlRequest');
  request.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:urn', NS);
  for (const name of ['Message', 'Timestamp']) {
    const el = p.doc.createElementNS(TYPES, `urn1:${name}`);
    el.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:urn1', TYPES);
    el.appendChild(p.doc.createTextNode('transfer everything'));
    request.appendChild(el);
  }
  evil.appendChild(request);
  return evil;
}

/**
 * Asserts the exact platform fault for `soaCode` (PROTOCOLS.md §3) and, in the sandbox log
 * entry of that fault (matched by the SystemError Id), the precise `reason`.
 */
export function assertFault(
  reply: RawReply,
  log: MemoryLogger,
  soaCode: string,
  reason: ErrorCode | string,
  status = 500,
): void {
  assert.equal(reply.status, status, reply.text.slice(0, 400));
  assert.match(reply.contentType, /^text\/xml/);
  const fault = faultOf(reply);
  assert.equal(fault.soa?.code, soaCode);
  if (soaCode === 'SOA-01001') {
    assert.equal(fault.faultcode, 'soapenv:Client');
    assert.equal(fault.faultstring, 'SOA-01001: Service call not authenticated.');
    assert.equal(fault.soa?.kind, 'SystemError');
    assert.equal(fault.soa?.origin, 'Consumer');
    assert.equal(fault.soa?.message, 'Service call not authenticated.');
    assert.equal(fault.soa?.lang, 'en');
    assert.equal(fault.soa?.environment, 'Sandbox');
    assert.match(fault.soa?.id ?? '', /^Id-[0-9a-f]{24}$/);
    assert.doesNotMatch(
      reply.text,
      /ERR_|wrapping|digest|timestamp/i,
      'no precise reason reaches the caller',
    );
  }
  const entry = log.entries.find((e) => e.fields['faultId'] === fault.soa?.id);
  assert.ok(entry, `a log entry for fault ${fault.soa?.id}`);
  assert.equal(entry.fields['reason'], reason);
  assert.equal(entry.fields['soaCode'], soaCode);
}
