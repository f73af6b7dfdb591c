import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { _xsdFileSet } from '../../src/wsdl/_xsd-files.ts';
import { createXsdValidator } from '../../src/wsdl/create-xsd-validator.ts';
import { listOperations } from '../../src/wsdl/list-operations.ts';
import { readWsdl } from '../../src/wsdl/read-wsdl.ts';
import { requestTemplate } from '../../src/wsdl/request-template.ts';
import { responseTemplate } from '../../src/wsdl/response-template.ts';
import type { WsdlModel } from '../../src/wsdl/types.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { CONTRACTS, miniWsdl, writeFiles } from './_helpers.ts';
import { cliValidate, writeXsdSet } from './_xsd.ts';

const EBOX_DIR = join(CONTRACTS, 'ebox/soap/be/socialsecurity/eboxmessage/v1');
const WSDLS = [
  ...readdirSync(EBOX_DIR)
    .filter((f) => f.endsWith('.wsdl'))
    .sort()
    .map((f) => join(EBOX_DIR, f)),
  ...['cbss', 'ehealth'].flatMap((d) =>
    readdirSync(join(CONTRACTS, d))
      .filter((f) => f.endsWith('.wsdl'))
      .map((f) => join(CONTRACTS, d, f)),
  ),
];

/**
 * A schema importing the contract's schema FILES as written (absolute paths, no rewriting by
 * Passerelle): independent of createXsdValidator's file set. Valid for contracts whose inline
 * WSDL schemas only import, as those of contracts/ do.
 */
function originalWrapper(t: { after: (fn: () => void) => void }, model: WsdlModel): string {
  const seen = new Set<string>();
  let imports = '';
  for (const doc of model.schemas.documents) {
    if (doc.root.parentNode?.nodeType !== 9 || seen.has(doc.targetNamespace)) continue;
    seen.add(doc.targetNamespace);
    imports += `<xs:import namespace="${doc.targetNamespace}" schemaLocation="file://${doc.file}"/>`;
  }
  const file = join(tempDir(t), 'original.xsd');
  writeFileSync(
    file,
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test:wrapper">${imports}</xs:schema>`,
  );
  return file;
}

test('every operation of the eBox, CBSS and eHealth contracts: request and response templates valid for xmllint (extracted set and original files) and for createXsdValidator', async (t) => {
  const cli = requirePeer(t, 'xmllint');
  assert.ok(WSDLS.length >= 6, WSDLS.join(', '));
  const checks: Promise<void>[] = [];
  // The eBox WSDL variants differ by policy only: a template already validated against the same
  // schemas is not sent to createXsdValidator again (xmllint still checks each).
  const done = new Set<string>();
  let count = 0;
  for (const path of WSDLS) {
    const model = await readWsdl(path);
    const validator = createXsdValidator(model);
    const extracted = cli ? writeXsdSet(t, model) : '';
    const original = cli ? originalWrapper(t, model) : '';
    const operations = [...new Set(listOperations(model).map((r) => r.operation))];
    assert.ok(operations.length > 0, path);
    for (const op of operations) {
      for (const [direction, make] of [
        ['request', requestTemplate],
        ['response', responseTemplate],
      ] as const) {
        const xml = make(model, op);
        const label = `${path.replace(CONTRACTS, '')} ${op} ${direction}`;
        count++;
        if (cli) {
          const a = cliValidate(t, extracted, xml);
          assert.ok(a.valid, `${label}: xmllint (extracted schemas) refused it:\n${a.output}\n${xml}`);
          const b = cliValidate(t, original, xml);
          assert.ok(b.valid, `${label}: xmllint (original files) refused it:\n${b.output}\n${xml}`);
        }
        const key = JSON.stringify([_xsdFileSet(model.schemas), xml]);
        if (done.has(key)) continue;
        done.add(key);
        checks.push(
          validator.validate(xml).then((r) => {
            assert.deepEqual(r, { valid: true, errors: [] }, `${label}\n${xml}`);
          }),
        );
      }
    }
  }
  await Promise.all(checks);
  assert.ok(count >= 72, `${count} templates`);
});

test('invalid payloads: a missing required element, a value outside an enumeration, a pattern mismatch; refused by createXsdValidator with a message, as by xmllint', async (t) => {
  const model = await readWsdl(join(EBOX_DIR, 'EboxMessage_v1.wsdl'));
  const validator = createXsdValidator(model);
  const publish = requestTemplate(model, 'publishEboxMessage');
  const cases = [
    {
      name: 'missing required element',
      xml: publish.replace(/<types:Title>\?<\/types:Title>/, ''),
      message: /Title|Content|Missing child element/,
    },
    {
      name: 'wrong enumeration value',
      xml: publish.replace('<types:DigestMethod>SHA-1<', '<types:DigestMethod>MD5<'),
      message: /enumeration/,
    },
    {
      name: 'pattern mismatch',
      xml: publish.replace('<types:CompanyID>0000000000<', '<types:CompanyID>12345<'),
      message: /pattern/,
    },
    {
      name: 'an element the contract does not declare',
      xml: '<x:Unknown xmlns:x="http://socialsecurity.be/eboxmessage/v1"/>',
      message: /No matching global declaration/,
    },
  ];
  const schema = requirePeer(t, 'xmllint') ? writeXsdSet(t, model) : undefined;
  for (const c of cases) {
    assert.notEqual(c.xml, publish, c.name);
    const r = await validator.validate(c.xml);
    assert.equal(r.valid, false, c.name);
    assert.ok(r.errors.length > 0, c.name);
    assert.match(r.errors.map((e) => e.message).join('\n'), c.message, c.name);
    assert.ok(
      r.errors.every((e) => e.line === null || (Number.isInteger(e.line) && e.line > 0)),
      c.name,
    );
    if (schema !== undefined) {
      const cli = cliValidate(t, schema, c.xml);
      assert.equal(cli.valid, false, `${c.name}: xmllint disagrees`);
      assert.match(cli.output, c.message, c.name);
    }
  }
});

test('inline WSDL schemas: extracted with the declarations of wsdl:definitions, an import between them without schemaLocation, a namespace split over two inline schemas, a remote location read locally', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'common.xsd': `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common" elementFormDefault="qualified">
      <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:pattern value="[A-Z]{2}-\\d{3}"/></xs:restriction></xs:simpleType>
    </xs:schema>`,
    'a.wsdl': miniWsdl({
      types: `<xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
          <xs:import namespace="urn:t2"/>
          <xs:import namespace="urn:common" schemaLocation="https://example.invalid/common.xsd"/>
          <xs:element name="Req"><xs:complexType><xs:sequence>
            <xs:element name="code" type="c:Code"/>
            <xs:element ref="t2:Part"/>
            <xs:element name="more" type="tns:More"/>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        <xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
          <xs:complexType name="More"><xs:sequence><xs:element name="n" type="xs:int"/></xs:sequence></xs:complexType>
        </xs:schema>
        <xs:schema targetNamespace="urn:t2" xmlns:t2="urn:t2" elementFormDefault="qualified">
          <xs:element name="Part" type="xs:boolean"/>
        </xs:schema>
        <xs:schema targetNamespace="urn:common"><xs:include schemaLocation="common.xsd"/></xs:schema>`,
    })
      .replace('xmlns:t="urn:t"', 'xmlns:t="urn:t" xmlns:t2="urn:t2" xmlns:c="urn:common"')
      .replace('<wsdl:definitions', '<wsdl:definitions xmlns:tns2="urn:unused"'),
  });
  const model = await readWsdl(join(dir, 'a.wsdl'));
  const xml = requestTemplate(model, 'op');
  assert.match(xml, /<tns:code>AA-000<\/tns:code>/);
  const validator = createXsdValidator(model);
  assert.deepEqual(await validator.validate(xml), { valid: true, errors: [] });
  const bad = xml.replace('AA-000', 'AA-0000');
  const refused = await validator.validate(bad);
  assert.equal(refused.valid, false);
  assert.match(refused.errors[0]?.message ?? '', /pattern/);
  if (!requirePeer(t, 'xmllint')) return;
  const schema = writeXsdSet(t, model);
  assert.ok(cliValidate(t, schema, xml).valid);
  assert.equal(cliValidate(t, schema, bad).valid, false);
});

test('not well-formed, DOCTYPE: not valid without reaching libxml2; above maxBytes: ERR_WSDL_LIMIT; a schema libxml2 cannot compile: ERR_WSDL_INVALID', async (t) => {
  const model = await readWsdl(join(CONTRACTS, 'cbss/TestConnectionService_v1.wsdl'));
  const validator = createXsdValidator(model, { maxBytes: 4096 });
  const malformed = await validator.validate('<a>');
  assert.equal(malformed.valid, false);
  assert.deepEqual(
    malformed.errors.map((e) => e.line),
    [null],
  );
  assert.match(malformed.errors[0]!.message, /ERR_XML_MALFORMED/);
  const doctype = await validator.validate('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>');
  assert.match(doctype.errors[0]?.message ?? '', /ERR_XML_DOCTYPE/);
  await rejectsCode(validator.validate(`<a>${'x'.repeat(5000)}</a>`), 'ERR_WSDL_LIMIT');
  assert.throws(() => createXsdValidator(model, { maxBytes: 0 }), TypeError);
  assert.throws(() => createXsdValidator({} as WsdlModel), TypeError);

  const dir = tempDir(t);
  writeFiles(dir, {
    'a.wsdl': miniWsdl({
      types: '<xs:schema targetNamespace="urn:t"><xs:element name="Req" type="tns:Undeclared"/></xs:schema>',
    }),
  });
  const broken = createXsdValidator(await readWsdl(join(dir, 'a.wsdl')));
  await rejectsCode(broken.validate('<t:Req xmlns:t="urn:t"/>'), 'ERR_WSDL_INVALID');
});

test('cost of one validate call (worker, WebAssembly and schema compilation per call), measured on the eBox contract', async (t) => {
  const model = await readWsdl(join(EBOX_DIR, 'EboxMessage_v1.wsdl'));
  const validator = createXsdValidator(model);
  const xml = requestTemplate(model, 'publishEboxMessage');
  await validator.validate(xml);
  const runs = 5;
  const start = performance.now();
  for (let i = 0; i < runs; i++) assert.equal((await validator.validate(xml)).valid, true);
  const perCall = (performance.now() - start) / runs;
  t.diagnostic(`createXsdValidator.validate: ${perCall.toFixed(0)} ms per call (eBox publishEboxMessage)`);
  assert.ok(perCall < 10_000, `${perCall} ms`);
});
