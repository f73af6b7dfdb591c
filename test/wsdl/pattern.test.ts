import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { _patternRegExp, _patternSample } from '../../src/wsdl/_pattern.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { cliValidate } from './_xsd.ts';

/** XSD patterns (XSD 1.0 Part 2, appendix F), with strings they match and strings they do not. */
const TABLE: readonly { pattern: string; yes: string[]; no: string[] }[] = [
  { pattern: '[0-9]{10}', yes: ['0123456789'], no: ['012345678', 'a123456789'] },
  { pattern: '[A-Za-z0-9]+', yes: ['Ab9'], no: ['', 'a b'] },
  {
    pattern: '[A-Za-z0-9._%\\-]+@[A-Za-z0-9.\\-]+\\.[A-Za-z]{2,4}',
    yes: ['ann@example.be'],
    no: ['ann@example', '@x.be'],
  },
  { pattern: '\\d{2,4}-\\d?', yes: ['12-', '1234-5'], no: ['1-', '12345-'] },
  { pattern: '\\w+\\s\\w*', yes: ['ab ', 'a b'], no: ['ab', '. b'] },
  { pattern: '(ab|cd)+x', yes: ['abx', 'cdabx'], no: ['x', 'acx'] },
  { pattern: 'BE|FR|NL', yes: ['BE', 'NL'], no: ['DE', 'BEFR'] },
  { pattern: '^\\d+$', yes: ['^12$'], no: ['12'] },
  { pattern: '[a-z-[aeiou]]+', yes: ['bcd'], no: ['bad'] },
  { pattern: '[^0-9]{3}', yes: ['abc'], no: ['ab1'] },
  { pattern: '\\p{Lu}\\p{Ll}*', yes: ['Ann', 'É'], no: ['ann'] },
  { pattern: '\\i\\c*', yes: ['a1', '_x.y'], no: ['1a'] },
  { pattern: '.{3}', yes: ['a b'], no: ['ab', 'a\nb'] },
  { pattern: '[\\-+]?\\d+(\\.\\d{1,2})?', yes: ['-1.25', '+3', '7'], no: ['1.', '1.234'] },
  { pattern: '\\p{IsBasicLatin}+', yes: ['abc'], no: ['é'] },
  { pattern: '[\\p{L}\\d]{2}', yes: ['a1'], no: ['a-'] },
  { pattern: '(0[1-9]|1[0-2])/\\d{4}', yes: ['01/2025', '12/1999'], no: ['13/2025'] },
  { pattern: 'a{0}b', yes: ['b'], no: ['ab'] },
  { pattern: '(|x)y', yes: ['y', 'xy'], no: ['xxy'] },
];

test('pattern sample: matches its pattern (anchored JavaScript equivalent); the equivalent accepts and refuses like the table', () => {
  for (const { pattern, yes, no } of TABLE) {
    const re = _patternRegExp(pattern);
    assert.ok(re, pattern);
    const sample = _patternSample(pattern);
    assert.ok(sample !== undefined, pattern);
    assert.ok(re.test(sample), `${pattern} → ${JSON.stringify(sample)}`);
    for (const s of yes) assert.ok(re.test(s), `${pattern} should match ${JSON.stringify(s)}`);
    for (const s of no) assert.ok(!re.test(s), `${pattern} should not match ${JSON.stringify(s)}`);
  }
  // Deterministic: the first alternative, the fewest repetitions, the first character of a class.
  assert.equal(_patternSample('[0-9]{10}'), '0000000000');
  assert.equal(_patternSample('BE|FR|NL'), 'BE');
  assert.equal(_patternSample('[A-Za-z0-9._%\\-]+@[A-Za-z0-9.\\-]+\\.[A-Za-z]{2,4}'), 'A@A.AA');
});

test('pattern sample: stretched to the length facets, left to right', () => {
  assert.equal(_patternSample('[a-z]+', 4), 'aaaa');
  assert.equal(_patternSample('[a-z]+@[a-z]+', 6, 6), 'aaaa@a');
  assert.equal(_patternSample('[A-Z]{2,8}', 5, 8), 'AAAAA');
  // A fixed-length pattern cannot stretch: its one string.
  assert.equal(_patternSample('[0-9]{3}', 5), '000');
});

test('pattern: syntax XSD refuses, and unsupported block escapes, give no sample and no RegExp', () => {
  for (const p of ['[a-z', '(ab', 'a{2,1}', 'a**', '\\q', '\\$', '\\p{IsTibetan}', ']']) {
    assert.equal(_patternRegExp(p), undefined, p);
    assert.equal(_patternSample(p), undefined, p);
  }
});

test('pattern samples are accepted by libxml2 (xmllint), and the table strings agree with it', (t) => {
  if (!requirePeer(t, 'xmllint')) return;
  const dir = tempDir(t);
  const types = TABLE.map(
    ({ pattern }, i) =>
      `<xs:element name="p${i}"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="${pattern.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"/></xs:restriction></xs:simpleType></xs:element>`,
  ).join('');
  const schema = join(dir, 'p.xsd');
  writeFileSync(schema, `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">${types}</xs:schema>`);
  const escapeText = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
  TABLE.forEach(({ pattern, yes, no }, i) => {
    const doc = (s: string) => `<p${i}>${escapeText(s)}</p${i}>`;
    const sample = _patternSample(pattern)!;
    const r = cliValidate(t, schema, doc(sample));
    assert.ok(r.valid, `${pattern} → ${JSON.stringify(sample)}: ${r.output}`);
    for (const s of yes) assert.ok(cliValidate(t, schema, doc(s)).valid, `${pattern} ${JSON.stringify(s)}`);
    for (const s of no) assert.ok(!cliValidate(t, schema, doc(s)).valid, `${pattern} ${JSON.stringify(s)}`);
  });
});
