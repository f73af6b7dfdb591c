import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeReferences, ReferenceScan } from '../../src/xml/_lexical.ts';
import { excC14n } from '../../src/xml/c14n.ts';
import { parseXml } from '../../src/xml/parse.ts';

// The oracles the parser used before decodeReferences reported it: a reference C14N 1.0 (§2.3)
// would not write as is, in text or in an attribute value.
const OTHER_TEXT_REF = /&(?!(?:amp|lt|gt|#xD);)/;
const OTHER_ATTR_REF = /&(?!(?:amp|lt|quot|#x9|#xA|#xD);)/;

const REFS = [
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&apos;',
  '&#xD;',
  '&#xd;',
  '&#13;',
  '&#x9;',
  '&#xA;',
  '&#xa;',
  '&#10;',
  '&#x41;',
  '&#65;',
];

test('decodeReferences tells which references C14N writes as is, as the regexes did (every pair of references)', () => {
  const scan = new ReferenceScan();
  for (const a of REFS) {
    for (const b of ['', ...REFS]) {
      const raw = `x${a}y${b}z`;
      decodeReferences(raw, 0, scan);
      assert.equal(scan.text, !OTHER_TEXT_REF.test(raw), raw);
      assert.equal(scan.attr, !OTHER_ATTR_REF.test(raw), raw);
    }
  }
});

test('text and values with references: the verbatim exc-c14n path gives what the element walk gives', () => {
  for (const r of REFS) {
    for (const xml of [`<a xmlns="urn:a"><b>t${r}u</b></a>`, `<a xmlns="urn:a"><b c="v${r}w">t</b></a>`]) {
      const doc = parseXml(xml);
      const b = doc.documentElement!.firstChild!;
      const verbatim = excC14n(doc.documentElement!);
      // A changed element loses its source text: the walk writes it from the DOM.
      (b as unknown as { sourceEnd: number }).sourceEnd = -1;
      assert.equal(verbatim, excC14n(doc.documentElement!), xml);
    }
  }
});
