import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { listOperations } from '../../src/wsdl/list-operations.ts';
import { readWsdl } from '../../src/wsdl/read-wsdl.ts';
import { requestTemplate } from '../../src/wsdl/request-template.ts';
import { tempDir } from '../_support/tmp.ts';
import { miniWsdl, writeFiles } from './_helpers.ts';

/** Asserts that `promise` rejects with a PasserelleError of `code`; returns the error. */
async function rejectsCode(promise: Promise<unknown>, code: string) {
  let caught: unknown;
  await assert.rejects(promise, (e) => {
    caught = e;
    assert.ok(isPasserelleError(e), `not a PasserelleError: ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    return true;
  });
  return caught as Error & { hint?: string; details: Record<string, unknown> };
}

const importing = (location: string, namespace = 'urn:ext') =>
  miniWsdl({
    types: `<xs:schema targetNamespace="urn:t"><xs:import namespace="${namespace}" schemaLocation="${location}"/><xs:element name="Req" type="xs:string"/></xs:schema>`,
  });

test('a remote schemaLocation is refused with its code, and no connection is ever attempted', async (t) => {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as { port: number };
  const dir = tempDir(t);
  writeFiles(dir, {
    'http.wsdl': importing(`http://127.0.0.1:${port}/ext.xsd`),
    'https.wsdl': importing(`https://127.0.0.1:${port}/ext.xsd`),
    'ftp.wsdl': importing(`ftp://127.0.0.1:${port}/ext.xsd`),
    'file.wsdl': importing('file:///etc/hostname'),
    'wsdl-import.wsdl': miniWsdl({
      head: `<wsdl:import namespace="urn:ext" location="http://127.0.0.1:${port}/ext.wsdl"/>`,
    }),
  });
  for (const file of ['http.wsdl', 'https.wsdl', 'ftp.wsdl', 'file.wsdl', 'wsdl-import.wsdl']) {
    const e = await rejectsCode(readWsdl(join(dir, file)), 'ERR_WSDL_IMPORT_REFUSED');
    assert.match(e.message, /never fetched/);
    assert.ok(e.hint);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(connections, 0);
});

test('a remote location is matched by namespace when a local file declares it; the XML namespace is built in', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'a.wsdl': miniWsdl({
      types: `<xs:schema targetNamespace="urn:t" xmlns:e="urn:ext">
        <xs:import namespace="urn:ext" schemaLocation="ext.xsd"/>
        <xs:import namespace="urn:ext" schemaLocation="https://example.invalid/ext.xsd"/>
        <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="http://www.w3.org/2001/xml.xsd"/>
        <xs:import namespace="urn:ext"/>
        <xs:element name="Req" type="e:T"/>
      </xs:schema>`,
    }),
    'ext.xsd':
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:ext"><xs:simpleType name="T"><xs:restriction base="xs:int"/></xs:simpleType></xs:schema>',
  });
  const model = await readWsdl(join(dir, 'a.wsdl'));
  assert.equal(model.files.length, 2);
  assert.equal(requestTemplate(model, 'op'), '<tns:Req xmlns:tns="urn:t">0</tns:Req>');
});

test('import cycles end: schemas importing each other, a WSDL importing itself, an include loop', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'a.wsdl': miniWsdl({
      head: '<wsdl:import namespace="urn:t" location="./a.wsdl"/>',
      types: '<xs:schema><xs:import namespace="urn:t" schemaLocation="x/a.xsd"/></xs:schema>',
    }),
    'x/a.xsd': `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
      <xs:import namespace="urn:b" schemaLocation="../y/b.xsd"/><xs:include schemaLocation="a2.xsd"/>
      <xs:element name="Req" type="xs:string"/></xs:schema>`,
    'x/a2.xsd':
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"><xs:include schemaLocation="a.xsd"/></xs:schema>',
    'y/b.xsd':
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b"><xs:import namespace="urn:t" schemaLocation="../x/a.xsd"/></xs:schema>',
  });
  const model = await readWsdl(join(dir, 'a.wsdl'));
  assert.deepEqual(
    model.files.map((f) => f.slice(dir.length + 1)),
    ['a.wsdl', 'x/a.xsd', 'y/b.xsd', 'x/a2.xsd'],
  );
  assert.equal(listOperations(model).length, 1);
});

test('a missing imported file is ERR_FILE_NOT_FOUND naming its path and its importer; a missing WSDL too', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'a.wsdl': importing('schemas/gone.xsd') });
  const e = await rejectsCode(readWsdl(join(dir, 'a.wsdl')), 'ERR_FILE_NOT_FOUND');
  assert.ok(e.message.includes(join(dir, 'schemas/gone.xsd')), e.message);
  assert.match(e.message, /imported by a\.wsdl/);
  assert.equal(e.details['path'], join(dir, 'schemas/gone.xsd'));
  assert.equal(e.details['importedBy'], join(dir, 'a.wsdl'));
  const missing = await rejectsCode(readWsdl(join(dir, 'nope.wsdl')), 'ERR_FILE_NOT_FOUND');
  assert.ok(missing.message.includes(join(dir, 'nope.wsdl')));
});

test('malformed, DOCTYPE, not WSDL 1.1, WSDL 2.0, a directory: coded refusals', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'dir.wsdl'));
  writeFiles(dir, {
    'broken.wsdl': miniWsdl().replace('</wsdl:definitions>', '</wsdl:definition>'),
    'doctype.wsdl': `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n${miniWsdl().replace(/^<\?xml[^>]*>\n/, '')}`,
    'schema.wsdl': '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>',
    'two.wsdl': '<description xmlns="http://www.w3.org/ns/wsdl" targetNamespace="urn:x"/>',
    'bad-import.wsdl': importing('broken.xsd'),
    'broken.xsd': '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:ext">',
  });
  const broken = await rejectsCode(readWsdl(join(dir, 'broken.wsdl')), 'ERR_WSDL_INVALID');
  assert.equal(broken.details['xmlCode'], 'ERR_XML_MALFORMED');
  const doctype = await rejectsCode(readWsdl(join(dir, 'doctype.wsdl')), 'ERR_WSDL_INVALID');
  assert.equal(doctype.details['xmlCode'], 'ERR_XML_DOCTYPE');
  assert.match(doctype.hint ?? '', /DOCTYPE/);
  const schema = await rejectsCode(readWsdl(join(dir, 'schema.wsdl')), 'ERR_WSDL_INVALID');
  assert.match(schema.hint ?? '', /XML Schema/);
  await rejectsCode(readWsdl(join(dir, 'two.wsdl')), 'ERR_WSDL_UNSUPPORTED');
  const imported = await rejectsCode(readWsdl(join(dir, 'bad-import.wsdl')), 'ERR_WSDL_INVALID');
  assert.equal(imported.details['file'], join(dir, 'broken.xsd'));
  await rejectsCode(readWsdl(join(dir, 'dir.wsdl')), 'ERR_WSDL_UNREADABLE');
});

test('references to components no file defines, undeclared prefixes, wrong namespaces: ERR_WSDL_INVALID', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'port-type.wsdl': miniWsdl().replace('type="tns:PT"', 'type="tns:Missing"'),
    'binding.wsdl': miniWsdl().replace('binding="tns:B"', 'binding="tns:Missing"'),
    'message.wsdl': miniWsdl().replace('message="tns:In"', 'message="tns:Missing"'),
    'prefix.wsdl': miniWsdl().replace('message="tns:In"', 'message="zz:In"'),
    'import-ns.wsdl': importing('ext.xsd', 'urn:other'),
    'ext.xsd': '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:ext"/>',
    'include-ns.wsdl': miniWsdl({
      types: '<xs:schema targetNamespace="urn:t"><xs:include schemaLocation="ext.xsd"/></xs:schema>',
    }),
  });
  for (const [file, pattern] of [
    ['port-type.wsdl', /Missing/],
    ['binding.wsdl', /Missing/],
    ['message.wsdl', /Missing/],
    ['prefix.wsdl', /zz:In/],
    ['import-ns.wsdl', /urn:other/],
    ['include-ns.wsdl', /urn:ext/],
  ] as const) {
    const e = await rejectsCode(readWsdl(join(dir, file)), 'ERR_WSDL_INVALID');
    assert.match(e.message, pattern, file);
    assert.ok(e.hint, file);
  }
});

test('a chameleon include takes the includer’s namespace', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'a.wsdl': miniWsdl({
      types: '<xs:schema targetNamespace="urn:t"><xs:include schemaLocation="c.xsd"/></xs:schema>',
    }),
    'c.xsd':
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Req" type="xs:boolean"/></xs:schema>',
  });
  assert.equal(
    requestTemplate(await readWsdl(join(dir, 'a.wsdl')), 'op'),
    '<tns:Req xmlns:tns="urn:t">false</tns:Req>',
  );
});

test('bounds: more files than maxFiles, a file larger than maxFileBytes → ERR_WSDL_LIMIT', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'a.wsdl': importing('ext.xsd'),
    'ext.xsd': `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:ext"><!--${'x'.repeat(4096)}--></xs:schema>`,
  });
  await rejectsCode(readWsdl(join(dir, 'a.wsdl'), { limits: { maxFiles: 1 } }), 'ERR_WSDL_LIMIT');
  await rejectsCode(readWsdl(join(dir, 'a.wsdl'), { limits: { maxFileBytes: 4000 } }), 'ERR_WSDL_LIMIT');
  await rejectsCode(readWsdl(join(dir, 'a.wsdl'), { limits: { maxTotalBytes: 5000 } }), 'ERR_WSDL_LIMIT');
  assert.equal((await readWsdl(join(dir, 'a.wsdl'))).files.length, 2);
});

test('a deeply nested (not recursive) type is cut at a bounded depth', async (t) => {
  const dir = tempDir(t);
  const types = Array.from(
    { length: 40 },
    (_, i) =>
      `<xs:complexType name="T${i}"><xs:sequence><xs:element name="e${i}" type="${i === 39 ? 'xs:string' : `tns:T${i + 1}`}"/></xs:sequence></xs:complexType>`,
  ).join('');
  writeFiles(dir, {
    'a.wsdl': miniWsdl({
      types: `<xs:schema targetNamespace="urn:t"><xs:element name="Req" type="tns:T0"/>${types}</xs:schema>`,
    }),
  });
  const template = requestTemplate(await readWsdl(join(dir, 'a.wsdl')), 'op');
  assert.match(template, /nested deeper than 24: not expanded/);
  assert.doesNotMatch(template, /<e39>/);
});
