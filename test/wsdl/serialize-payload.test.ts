import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createXsdValidator } from '../../src/wsdl/create-xsd-validator.ts';
import { readWsdl } from '../../src/wsdl/read-wsdl.ts';
import { requestTemplate } from '../../src/wsdl/request-template.ts';
import { serializePayload } from '../../src/wsdl/serialize-payload.ts';
import { childElements, inScopeNamespaces } from '../../src/xml/dom.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { serializeXml } from '../../src/xml/serialize.ts';
import { CONTRACTS, shape } from './_helpers.ts';

const ENVELOPE = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="http://socialsecurity.be/eboxmessage/v1" xmlns:t="http://socialsecurity.be/eboxmessage/types/v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:q="urn:only-in-a-qname"><soapenv:Body><v1:HasAnEboxRequest xsi:type="q:Whatever"><t:QualityCode>X</t:QualityCode><t:EboxID><t:CompanyID>0123456789</t:CompanyID></t:EboxID></v1:HasAnEboxRequest></soapenv:Body></soapenv:Envelope>`;

test('serializePayload: the Body payload as a standalone document, with every namespace in scope declared on it (a prefix used only in a QName value too); the envelope untouched', () => {
  const doc = parseXml(ENVELOPE);
  const [body] = childElements(doc.documentElement!);
  const [payload] = childElements(body!);
  const before = serializeXml(doc);
  const xml = serializePayload(payload!);
  const root = parseXml(xml).documentElement!;
  assert.deepEqual(shape(root), shape(payload!));
  for (const [prefix, uri] of [
    ['soapenv', 'http://schemas.xmlsoap.org/soap/envelope/'],
    ['v1', 'http://socialsecurity.be/eboxmessage/v1'],
    ['t', 'http://socialsecurity.be/eboxmessage/types/v1'],
    ['q', 'urn:only-in-a-qname'],
  ])
    assert.equal(inScopeNamespaces(root).get(prefix!), uri, prefix);
  assert.equal(serializeXml(doc), before, 'the DOM of the envelope is not changed');
  assert.throws(() => serializePayload(null as never), TypeError);
});

test('serializePayload: a payload cut from an envelope validates against the contract (createXsdValidator)', async () => {
  const model = await readWsdl(
    join(CONTRACTS, 'ebox/soap/be/socialsecurity/eboxmessage/v1/EboxMessage_v1.wsdl'),
  );
  const template = requestTemplate(model, 'hasAnEbox');
  // The template's namespaces declared on the envelope, not on the payload.
  const inner = parseXml(template).documentElement!;
  const decls = [...template.matchAll(/ xmlns:(\w+)="([^"]+)"/g)].map((m) => ` xmlns:${m[1]}="${m[2]}"`);
  const bare = template.replace(/ xmlns:\w+="[^"]+"/g, '');
  const envelope = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"${decls.join('')}><s:Body>${bare}</s:Body></s:Envelope>`;
  const [body] = childElements(parseXml(envelope).documentElement!);
  const [payload] = childElements(body!);
  assert.deepEqual(shape(payload!), shape(inner));
  const verdict = await createXsdValidator(model).validate(serializePayload(payload!));
  assert.deepEqual(verdict, { valid: true, errors: [] });
});
