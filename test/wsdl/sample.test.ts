import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createXsdValidator } from '../../src/wsdl/create-xsd-validator.ts';
import { readWsdl } from '../../src/wsdl/read-wsdl.ts';
import { requestTemplate } from '../../src/wsdl/request-template.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { miniWsdl, writeFiles } from './_helpers.ts';
import { cliValidate, writeXsdSet } from './_xsd.ts';

/** Facets and constructs a placeholder used to break; each element below needs a real value. */
const SCHEMA = `<xs:schema targetNamespace="urn:t" xmlns:tns="urn:t" elementFormDefault="unqualified">
  <xs:element name="Req">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="code"><xs:simpleType><xs:restriction base="xs:token"><xs:pattern value="[A-Z]{2}\\d{3}"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="twoSteps" type="tns:Narrowed"/>
        <xs:element name="long" type="tns:Long"/>
        <xs:element name="pct"><xs:simpleType><xs:restriction base="xs:decimal"><xs:minExclusive value="0"/><xs:maxExclusive value="1"/><xs:fractionDigits value="2"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="neg"><xs:simpleType><xs:restriction base="xs:int"><xs:maxExclusive value="-5"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="digits"><xs:simpleType><xs:restriction base="xs:decimal"><xs:totalDigits value="3"/><xs:minInclusive value="100"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="since"><xs:simpleType><xs:restriction base="xs:date"><xs:minInclusive value="2030-01-01"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="bin"><xs:simpleType><xs:restriction base="xs:base64Binary"><xs:length value="16"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="hex" type="xs:hexBinary"/>
        <xs:element name="uri" type="xs:anyURI"/>
        <xs:element name="qname" type="xs:QName"/>
        <xs:element name="lang" type="xs:language"/>
        <xs:element name="list" type="tns:Codes"/>
        <xs:element name="union" type="tns:Either"/>
        <xs:element name="item" maxOccurs="unbounded" minOccurs="2"><xs:complexType><xs:attribute name="id" type="xs:ID" use="required"/><xs:attribute name="ref" type="xs:IDREF"/></xs:complexType></xs:element>
        <xs:element name="refTo"><xs:complexType><xs:attribute name="to" type="xs:IDREF" use="required"/><xs:attribute name="kind" use="required"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="K-\\d"/></xs:restriction></xs:simpleType></xs:attribute></xs:complexType></xs:element>
        <xs:sequence minOccurs="2" maxOccurs="2"><xs:element name="pair" type="xs:boolean"/></xs:sequence>
        <xs:element ref="tns:Shape"/>
        <xs:element name="animal" type="tns:Animal"/>
        <xs:element name="tree" type="tns:Tree"/>
        <xs:element name="ext"><xs:complexType><xs:sequence><xs:any namespace="##other" processContents="lax"/></xs:sequence></xs:complexType></xs:element>
        <xs:element name="strict"><xs:complexType><xs:sequence><xs:any namespace="##targetNamespace" processContents="strict"/></xs:sequence></xs:complexType></xs:element>
        <xs:element name="text" type="xs:string"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:simpleType name="Base"><xs:restriction base="xs:string"><xs:pattern value="[a-z0-9]+"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Narrowed"><xs:restriction base="tns:Base"><xs:pattern value="\\d+[a-z]"/><xs:minLength value="4"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Long"><xs:restriction base="xs:string"><xs:minLength value="5"/><xs:maxLength value="8"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Codes"><xs:restriction><xs:simpleType><xs:list itemType="tns:Base"/></xs:simpleType><xs:minLength value="2"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Either"><xs:union memberTypes="xs:date xs:int"/></xs:simpleType>
  <xs:element name="Shape" abstract="true" type="tns:ShapeType"/>
  <xs:element name="Circle" substitutionGroup="tns:Shape" type="tns:ShapeType"/>
  <xs:complexType name="ShapeType"><xs:sequence><xs:element name="size" type="xs:positiveInteger"/></xs:sequence></xs:complexType>
  <xs:complexType name="Animal" abstract="true"><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:complexType name="Dog"><xs:complexContent><xs:extension base="tns:Animal"><xs:sequence><xs:element name="barks" type="xs:boolean"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Tree"><xs:sequence><xs:element name="leaf" type="xs:int"/><xs:element name="next" type="tns:Tree" nillable="true"/></xs:sequence></xs:complexType>
</xs:schema>`;

test('values that satisfy their facets: patterns over two derivation steps, lengths, exclusive and decimal ranges, digits, dates, binaries, lists, unions, unique IDs, repeated groups, substitution groups, abstract types, nillable recursion, required wildcards; valid for xmllint and createXsdValidator', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'a.wsdl': miniWsdl({ types: SCHEMA }) });
  const model = await readWsdl(join(dir, 'a.wsdl'));
  const xml = requestTemplate(model, 'op');
  const text = (name: string): string[] =>
    [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);
  assert.deepEqual(text('code'), ['AA000']);
  assert.deepEqual(text('twoSteps'), ['000a']);
  assert.deepEqual(text('long'), ['?????']);
  assert.deepEqual(text('pct'), ['0.50']);
  assert.deepEqual(text('neg'), ['-6']);
  assert.deepEqual(text('digits'), ['100']);
  assert.deepEqual(text('since'), ['2030-01-01']);
  assert.deepEqual(text('bin'), ['AAAAAAAAAAAAAAAAAAAAAA==']);
  assert.deepEqual(text('hex'), ['00']);
  assert.deepEqual(text('list'), ['a a']);
  assert.deepEqual(text('union'), ['2025-01-31']);
  assert.deepEqual(text('pair'), ['false', 'false']);
  assert.match(xml, /<item id="id1"\/>\n {2}<!-- optional attribute: ref -->\n {2}<item id="id2"\/>/);
  assert.match(xml, /<refTo to="id1" kind="K-0"\/>/);
  assert.match(xml, /<!-- substitution group Shape: one of Circle -->\n {2}<tns:Circle>/);
  assert.match(xml, /<animal xsi:type="tns:Dog">/);
  assert.match(xml, /xmlns:xsi="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance"/);
  assert.match(xml, /<next xsi:nil="true"\/>/);
  assert.match(xml, /<ext>[\s\S]*<ns1:any\/>[\s\S]*<\/ext>/);
  assert.match(xml, /<strict>\n[^<]*<!--[^>]*-->\n {4}<tns:Circle>/);
  assert.deepEqual(text('text'), ['?']);
  assert.equal(parseXml(xml).documentElement?.localName, 'Req');
  assert.equal(requestTemplate(model, 'op'), xml, 'deterministic');
  assert.deepEqual(await createXsdValidator(model).validate(xml), { valid: true, errors: [] });
  if (!requirePeer(t, 'xmllint')) return;
  const r = cliValidate(t, writeXsdSet(t, model), xml);
  assert.ok(r.valid, `${r.output}\n${xml}`);
});
