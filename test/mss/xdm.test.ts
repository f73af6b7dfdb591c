import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCda } from '../../src/mss/cda.ts';
import { buildXdm } from '../../src/mss/xdm.ts';
import { childElements, parseXml } from '../../src/xml/index.ts';
import { DEBIAN_PYTHON, requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { sampleCda } from './cda-sample.ts';

const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';

test('xdm: Python zipfile reads the archive back byte-exact (CRC checked); METADATA.XML describes each document', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const docs = [
    parseCda(Buffer.from(sampleCda())),
    parseCda(Buffer.from(sampleCda({ code: '34133-9', ins: false }))),
  ];
  const { zip, documents } = buildXdm(docs, { date: new Date('2026-06-15T10:00:00Z') });
  assert.deepEqual(documents, ['IHE_XDM/SUBSET01/DOC0001.XML', 'IHE_XDM/SUBSET01/DOC0002.XML']);
  const file = join(tempDir(t), 'IHE_XDM.ZIP');
  writeFileSync(file, zip);
  const script = [
    'import hashlib, json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'assert z.testzip() is None',
    'print(json.dumps([[i.filename, i.compress_type, hashlib.sha256(z.read(i)).hexdigest(), list(i.date_time)] for i in z.infolist()]))',
  ].join('\n');
  const r = runPeer(DEBIAN_PYTHON, ['-c', script, file]);
  assert.equal(r.status, 0, r.stderr);
  const entries = JSON.parse(r.stdout) as [string, number, string, number[]][];
  assert.deepEqual(
    entries.map((e) => e[0]),
    ['INDEX.HTM', 'README.TXT', 'IHE_XDM/SUBSET01/METADATA.XML', ...documents],
  );
  assert.ok(
    entries.every((e) => e[1] === 0),
    'stored entries',
  );
  assert.deepEqual(entries[0]![3], [2026, 6, 15, 10, 0, 0]);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  assert.equal(entries[3]![2], sha(docs[0]!.bytes));
  assert.equal(entries[4]![2], sha(docs[1]!.bytes));

  const meta = runPeer(DEBIAN_PYTHON, [
    '-c',
    'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("IHE_XDM/SUBSET01/METADATA.XML").decode())',
    file,
  ]);
  const root = parseXml(meta.stdout).documentElement!;
  const list = childElements(root, RIM, 'RegistryObjectList')[0]!;
  const objects = childElements(list, RIM, 'ExtrinsicObject');
  assert.equal(objects.length, 2);
  const slots = (el: (typeof objects)[0]) =>
    Object.fromEntries(
      childElements(el, RIM, 'Slot').map((s) => [s.getAttribute('name'), s.textContent?.trim()]),
    );
  const first = slots(objects[0]!);
  assert.equal(first['hash'], createHash('sha1').update(docs[0]!.bytes).digest('hex'));
  assert.equal(first['size'], String(docs[0]!.bytes.length));
  assert.equal(first['URI'], 'DOC0001.XML');
  assert.equal(objects[0]!.getAttribute('mimeType'), 'text/xml');
  const codes = childElements(objects[1]!, RIM, 'Classification').map((c) =>
    c.getAttribute('nodeRepresentation'),
  );
  assert.deepEqual(codes, ['34133-9', '34133-9'], 'classCode and typeCode from the CDA code');
  assert.equal(childElements(list, RIM, 'Association').length, 2);
});
