import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readWsdl } from '../../src/wsdl/read-wsdl.ts';
import { requestTemplate } from '../../src/wsdl/request-template.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { EBOX_MONITORING_XSD, EBOX_V1, miniWsdl, writeFiles } from './_helpers.ts';

const VECTORS = fileURLToPath(new URL('../vectors/wsdl/', import.meta.url));
const eboxModel = await readWsdl(join(EBOX_V1, 'EboxMessageVarA_v1.wsdl'));

/** Validates `xml` against `schema` with libxml2 (an independent XML Schema processor). */
function assertValid(t: { after: (fn: () => void) => void }, schema: string, xml: string): void {
  const file = join(tempDir(t), 'request.xml');
  writeFileSync(file, xml);
  const r = runPeer('xmllint', ['--noout', '--nonet', '--schema', schema, file]);
  assert.equal(r.status, 0, `xmllint refused the request:\n${r.stderr}\n${xml}`);
}

/** Replaces placeholders by valid values, by element name (`?` text, empty base64). */
function fill(xml: string, values: Readonly<Record<string, string>>): string {
  return xml
    .replace(/<((?:\w+:)?(\w+))>\?<\/\1>/g, (all, qname: string, local: string) =>
      values[local] === undefined ? all : `<${qname}>${values[local]}</${qname}>`,
    )
    .replace(/<((?:\w+:)?(\w+))\/>/g, (all, qname: string, local: string) =>
      values[local] === undefined ? all : `<${qname}>${values[local]}</${qname}>`,
    );
}

const EBOX_VALUES = {
  Ticket: 'TICKET-1',
  Application: 'passerelle',
  Institution: '0123456789',
  CompanyID: '0123456789',
  SubentityId: 'sub1',
  QualityCode: 'QUAL_EMP_NOSS',
  INSS: '85073003328',
  FirstName: 'Ann',
  LastName: 'Peeters',
  MessageType: 'ANNUAL_REPORT',
  Title: 'Your annual report',
  Content: 'cid:document-1',
  DigestValue: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=',
  DownloadFileName: 'report.pdf',
  FreeText: 'free text',
  Type: 'category',
  Value: 'value',
  EmailAddresses: 'ann@example.be',
} as const;

test('eBox publishEboxMessage: every element in sequence order, valid against the official XSD as generated and once filled (xmllint)', (t) => {
  const template = requestTemplate(eboxModel, 'publishEboxMessage');
  assert.match(
    template,
    /^<ns1:PublishEboxMessageRequest xmlns:ns1="http:\/\/socialsecurity\.be\/eboxmessage\/v1" xmlns:types="http:\/\/socialsecurity\.be\/eboxmessage\/types\/v1">\n {2}<types:MessageID>\n/,
  );
  const order = [...template.matchAll(/^ {2}<types:(\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(order, [
    'MessageID',
    'SenderID',
    'RecipientID',
    'MessageType',
    'Document',
    'FreeInformation',
    'Meta',
    'Annex',
    'EmailAddresses',
    'IsRegistered',
  ]);
  assert.match(template, / {2}<!-- optional -->\n {2}<types:SenderID>/);
  assert.match(template, / {2}<!-- repeatable \(up to 5\) -->\n {2}<types:RecipientID>/);
  assert.match(
    template,
    /<!-- choice of one: \(CompanyID, SubentityId\?\) \| INSS \| NIHII -->\n {4}<!-- pattern \[0-9\]\{10\} -->\n {4}<types:CompanyID>0000000000<\/types:CompanyID>/,
  );
  assert.match(
    template,
    /<!-- one of: SHA-1 \| SHA-256 \| SHA-512 -->\n {6}<types:DigestMethod>SHA-1<\/types:DigestMethod>/,
  );
  assert.match(template, /<types:DigestValue>AAAA<\/types:DigestValue>/);
  assert.match(template, /<types:EmailAddresses>A@A\.AA<\/types:EmailAddresses>/);
  assert.match(template, /<!-- optional -->\n {2}<types:IsRegistered>false<\/types:IsRegistered>/);
  assert.equal(parseXml(template).documentElement?.localName, 'PublishEboxMessageRequest');
  if (!requirePeer(t, 'xmllint')) return;
  const schema = join(EBOX_V1, 'EboxMessage_v1.xsd');
  assertValid(t, schema, template);
  assertValid(t, schema, fill(template, EBOX_VALUES));
  // The proof has teeth: a value that breaks a pattern, and xmllint says so.
  const broken = template.replace(/<types:CompanyID>0000000000</, '<types:CompanyID>?<');
  const r = runPeer('xmllint', ['--noout', '--nonet', '--schema', schema, '-'], broken);
  assert.notEqual(r.status, 0);
});

test('eBox hasAnEbox, getMessageStatus: the exact template, valid as generated and once filled', (t) => {
  const template = requestTemplate(eboxModel, 'hasAnEbox');
  assert.equal(
    template,
    `<ns1:HasAnEboxRequest xmlns:ns1="http://socialsecurity.be/eboxmessage/v1" xmlns:types="http://socialsecurity.be/eboxmessage/types/v1">
  <!-- choice of one: QualityCode | EboxType -->
  <!-- length 1..125 -->
  <types:QualityCode>?</types:QualityCode>
  <!-- repeatable (up to 1000) -->
  <types:EboxID>
    <!-- choice of one: (CompanyID, SubentityId?) | INSS | NIHII -->
    <!-- pattern [0-9]{10} -->
    <types:CompanyID>0000000000</types:CompanyID>
    <!-- optional; pattern [A-Za-z0-9]+; length at most 50 -->
    <types:SubentityId>A</types:SubentityId>
  </types:EboxID>
</ns1:HasAnEboxRequest>`,
  );
  if (!requirePeer(t, 'xmllint')) return;
  const schema = join(EBOX_V1, 'EboxMessage_v1.xsd');
  assertValid(t, schema, template);
  assertValid(t, schema, fill(template, EBOX_VALUES));
  assertValid(t, schema, requestTemplate(eboxModel, 'getMessageStatus'));
});

test('eBox healthCheck: an empty element of another namespace, its optional attribute named inside it without whitespace (empty content); valid as is', (t) => {
  const template = requestTemplate(eboxModel, 'healthCheck');
  assert.equal(
    template,
    '<mon:HealthCheckRequest xmlns:mon="http://services.fgov.be/monitoring/v1"><!-- optional attribute: type --></mon:HealthCheckRequest>',
  );
  if (!requirePeer(t, 'xmllint')) return;
  assertValid(t, EBOX_MONITORING_XSD, template);
});

const FEATURES_TEMPLATE = `<tns:Req xmlns:tns="urn:t" xmlns:o="urn:other" version="?">
  <!-- optional attribute: note -->
  <id>0</id>
  <when>2025-01-31T12:00:00Z</when>
  <!-- optional -->
  <day>2025-01-31</day>
  <!-- optional -->
  <flag>false</flag>
  <blob>AAAA</blob>
  <!-- one of: X | Y -->
  <kind>X</kind>
  <!-- range 3.. -->
  <count>3</count>
  <!-- repeatable (unbounded) -->
  <o:Shared o:q="?">
    <o:inner>?</o:inner>
  </o:Shared>
  <derived code="?">
    <name>?</name>
    <extra>0</extra>
  </derived>
  <restricted>
    <name>?</name>
  </restricted>
  <node>
    <value>?</value>
    <!-- optional child: recursive, left out -->
  </node>
  <amount currency="EUR">0</amount>
  <!-- choice of one: a | (b1, b2?) -->
  <a>?</a>
  <member>?</member>
  <!-- fixed value -->
  <fixed>v1</fixed>
  <!-- 2 to 3 times -->
  <twice>?</twice>
  <twice>?</twice>
  <!-- optional; any element (namespace ##other) -->
</tns:Req>`;

test('schema constructs: types, facets, refs, extension, restriction, recursion, simpleContent, choice, group, attributes; valid as generated (xmllint)', (t) => {
  const dir = tempDir(t);
  copyFileSync(join(VECTORS, 'features.xsd'), join(dir, 't.xsd'));
  copyFileSync(join(VECTORS, 'other.xsd'), join(dir, 'other.xsd'));
  writeFiles(dir, {
    'a.wsdl': miniWsdl({
      types: '<xs:schema><xs:import namespace="urn:t" schemaLocation="t.xsd"/></xs:schema>',
    }),
  });
  return readWsdl(join(dir, 'a.wsdl')).then((model) => {
    const template = requestTemplate(model, 'op');
    assert.equal(template, FEATURES_TEMPLATE);
    if (!requirePeer(t, 'xmllint')) return;
    assertValid(t, join(dir, 't.xsd'), template);
  });
});

test('a required self-recursive type stops with a comment instead of recursing', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'a.wsdl': miniWsdl({
      element: 'x:Loop',
      types: `<xs:schema targetNamespace="urn:loop" elementFormDefault="qualified" xmlns="urn:loop">
        <xs:element name="Loop" type="LoopType"/>
        <xs:complexType name="LoopType"><xs:sequence><xs:element name="again" type="LoopType"/></xs:sequence></xs:complexType>
      </xs:schema>`,
    }).replace('xmlns:t="urn:t"', 'xmlns:t="urn:t" xmlns:x="urn:loop"'),
  });
  const template = requestTemplate(await readWsdl(join(dir, 'a.wsdl')), 'op');
  assert.equal(
    template,
    `<x:Loop xmlns:x="urn:loop">
  <!-- recursive: LoopType is not expanded again -->
  <x:again/>
</x:Loop>`,
  );
});

test('prefixes: a namespace the contract binds to no prefix is written ns1', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'a.wsdl': miniWsdl({
      element: 'Bare',
      types:
        '<xs:schema targetNamespace="urn:bare" xmlns="urn:bare"><xs:element name="Bare" type="xs:string"/></xs:schema>',
    }).replace(
      '<wsdl:part name="body" element="Bare"/>',
      '<wsdl:part name="body" element="b:Bare" xmlns:b="urn:bare"/>',
    ),
  });
  const model = await readWsdl(join(dir, 'a.wsdl'));
  // The only prefix bound to urn:bare is `b` on the part: not a document prefix, so ns1.
  assert.equal(requestTemplate(model, 'op'), '<ns1:Bare xmlns:ns1="urn:bare">?</ns1:Bare>');
});

test('RPC/literal: the operation wrapper in the soap:body namespace, one unqualified accessor per part', async (t) => {
  const dir = tempDir(t);
  const wsdl = miniWsdl()
    .replace(
      '<wsdl:part name="body" element="tns:Req"/>',
      '<wsdl:part name="who" type="xs:string"/><wsdl:part name="count" type="xs:int"/>',
    )
    .replace('style="document"', 'style="rpc"')
    .replace('<soap:body use="literal"/>', '<soap:body use="literal" namespace="urn:rpc"/>');
  writeFiles(dir, { 'a.wsdl': wsdl });
  const template = requestTemplate(await readWsdl(join(dir, 'a.wsdl')), 'op');
  assert.equal(template, '<ns1:op xmlns:ns1="urn:rpc">\n  <who>?</who>\n  <count>0</count>\n</ns1:op>');
});

test('refusals: an element no schema declares, SOAP encoding, several body parts', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'missing.wsdl': miniWsdl({ element: 'm:Gone' }).replace(
      'xmlns:t="urn:t"',
      'xmlns:t="urn:t" xmlns:m="urn:missing"',
    ),
    'encoded.wsdl': miniWsdl().replace('<soap:body use="literal"/>', '<soap:body use="encoded"/>'),
    'parts.wsdl': miniWsdl().replace(
      '<wsdl:part name="body" element="tns:Req"/>',
      '<wsdl:part name="a" element="tns:Req"/><wsdl:part name="b" element="tns:Req"/>',
    ),
  });
  const missing = await readWsdl(join(dir, 'missing.wsdl'));
  throwsCode(() => requestTemplate(missing, 'op'), 'ERR_WSDL_INVALID');
  assert.throws(
    () => requestTemplate(missing, 'op'),
    (e: Error & { hint?: string }) => /urn:missing/.test(e.hint ?? ''),
  );
  const encoded = await readWsdl(join(dir, 'encoded.wsdl'));
  throwsCode(() => requestTemplate(encoded, 'op'), 'ERR_WSDL_UNSUPPORTED');
  const parts = await readWsdl(join(dir, 'parts.wsdl'));
  throwsCode(() => requestTemplate(parts, 'op'), 'ERR_WSDL_UNSUPPORTED');
});
