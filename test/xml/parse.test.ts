import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';
import { DEFAULT_XML_LIMITS, parseXml, serializeXml } from '../../src/xml/index.ts';
import { type CharacterData, createDocument, type Element } from '../../src/xml/node.ts';
import { throwsCode } from '../_support/assert-code.ts';

const rejects = (xml: string, code: ErrorCode, limits?: Parameters<typeof parseXml>[1]) =>
  throwsCode(() => parseXml(xml, limits), code);

test('accepts an XML declaration, comments, CDATA, a BOM and surrounding whitespace', () => {
  const doc = parseXml(
    '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><r a="1"><![CDATA[<x>]]><!-- in --></r>\n',
  );
  assert.equal(doc.documentElement?.localName, 'r');
  // Unchanged since parsed: written back as read.
  assert.equal(serializeXml(doc), '<r a="1"><![CDATA[<x>]]><!-- in --></r>');
  doc.documentElement!.setAttribute('a', '2');
  assert.equal(serializeXml(doc), '<r a="2">&lt;x&gt;<!-- in --></r>');
});

test('serializeXml writes unchanged parsed elements as read, and any change from the DOM', () => {
  const xml = '<r xmlns:p="urn:p"><p:a k = \'1\'>x&#62;<b>y</b></p:a><c/><d>\tz\r\nw</d></r>';
  const fresh = () => parseXml(xml);
  assert.equal(serializeXml(fresh()), xml.replace('\r\n', '\n'));
  const edits: [string, (r: Element) => void, string][] = [
    [
      'text data',
      (r) => {
        (r.getElementsByTagName('b')[0]!.firstChild as CharacterData).data = 'Y';
      },
      '<b>Y</b>',
    ],
    [
      'nodeValue',
      (r) => {
        r.getElementsByTagName('b')[0]!.firstChild!.nodeValue = 'Q';
      },
      '<b>Q</b>',
    ],
    [
      'attribute value',
      (r) => {
        r.getElementsByTagName('p:a')[0]!.attributes.item(0)!.value = '2';
      },
      '<p:a k="2">',
    ],
    [
      'setAttributeNS',
      (r) => r.getElementsByTagName('c')[0]!.setAttributeNS('urn:p', 'p:n', 'v'),
      '<c p:n="v"/>',
    ],
    ['removeAttribute', (r) => r.getElementsByTagName('p:a')[0]!.removeAttribute('k'), '<p:a>x&gt;'],
    [
      'appendChild',
      (r) => r.getElementsByTagName('c')[0]!.appendChild(r.ownerDocument!.createTextNode('t')),
      '<c>t</c>',
    ],
    [
      'removeChild',
      (r) => {
        const b = r.getElementsByTagName('b')[0]!;
        b.parentNode!.removeChild(b);
      },
      'x&gt;</p:a>',
    ],
    [
      'move',
      (r) => {
        r.getElementsByTagName('c')[0]!.appendChild(r.getElementsByTagName('b')[0]!);
      },
      '<c><b>y</b></c>',
    ],
  ];
  for (const [what, edit, expected] of edits) {
    const doc = fresh();
    edit(doc.documentElement!);
    const out = serializeXml(doc);
    assert.ok(out.includes(expected), `${what}: ${out}`);
    assert.equal(serializeXml(parseXml(out)), out, `${what}: the output re-reads to itself`);
  }
  const other = createDocument(null, 'o');
  other.documentElement!.appendChild(other.importNode(fresh().documentElement!.firstChild!, true));
  assert.equal(serializeXml(other), '<o><p:a k="1">x&gt;<b>y</b></p:a></o>');
});

test('DOCTYPE in any form is refused before parsing: ERR_XML_DOCTYPE', () => {
  rejects('<!DOCTYPE r><r/>', 'ERR_XML_DOCTYPE');
  rejects('<!DOCTYPE r SYSTEM "http://evil.example/x.dtd"><r/>', 'ERR_XML_DOCTYPE');
  rejects('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', 'ERR_XML_DOCTYPE');
  rejects(
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>',
    'ERR_XML_DOCTYPE',
  );
  rejects('<r><!DOCTYPE r></r>', 'ERR_XML_DOCTYPE');
  rejects('<r><!ENTITY x "y"></r>', 'ERR_XML_DOCTYPE');
  rejects('<!-- x --><!doctype r><r/>', 'ERR_XML_DOCTYPE');
});

test('"<!DOCTYPE" inside a comment, CDATA or attribute is data, not a declaration', () => {
  parseXml('<r a="&lt;!DOCTYPE"><!-- <!DOCTYPE x> --><![CDATA[<!DOCTYPE x><?pi?>]]></r>');
});

test('undeclared entities are malformed: ERR_XML_MALFORMED', () => {
  rejects('<r>&xxe;</r>', 'ERR_XML_MALFORMED');
  rejects('<r a="&xxe;"/>', 'ERR_XML_MALFORMED');
});

test('processing instructions other than the XML declaration: ERR_XML_PROCESSING_INSTRUCTION', () => {
  rejects('<?xml-stylesheet href="a.xsl"?><r/>', 'ERR_XML_PROCESSING_INSTRUCTION');
  rejects('<r><?php echo 1 ?></r>', 'ERR_XML_PROCESSING_INSTRUCTION');
  rejects('<r/><?pi?>', 'ERR_XML_PROCESSING_INSTRUCTION');
  rejects(' <?xml version="1.0"?><r/>', 'ERR_XML_PROCESSING_INSTRUCTION');
});

test('more than one root, or content beside it: ERR_XML_MULTIPLE_ROOTS', () => {
  rejects('<a/><b/>', 'ERR_XML_MULTIPLE_ROOTS');
  rejects('<a/>text', 'ERR_XML_MULTIPLE_ROOTS');
  rejects('text<a/>', 'ERR_XML_MULTIPLE_ROOTS');
  rejects('<a/><![CDATA[x]]>', 'ERR_XML_MULTIPLE_ROOTS');
});

test('malformed input, with every parser warning fatal: ERR_XML_MALFORMED', () => {
  for (const xml of [
    '',
    '   ',
    '<r>',
    '<r></s>',
    '</r>',
    '<r a="1" a="2"/>',
    '<p:r/>',
    '<r a=1/>',
    '<r xmlns:p=""/>',
    '<r xmlns:xml="urn:x"/>',
    '<r><!-- x</r>',
    '<r>]]></r>x',
  ]) {
    assert.throws(
      () => parseXml(xml),
      (e) => isPasserelleError(e) && e.code.startsWith('ERR_XML_'),
      xml,
    );
  }
  rejects('<r xmlns:p=""/>', 'ERR_XML_MALFORMED');
  rejects('<p:r/>', 'ERR_XML_MALFORMED');
  rejects('<r a="1" a="2"/>', 'ERR_XML_MALFORMED');
});

test('limits: size, depth, attributes, namespace declarations: ERR_XML_LIMIT', () => {
  assert.equal(DEFAULT_XML_LIMITS.maxDepth, 64);
  rejects(`<r>${'x'.repeat(100)}</r>`, 'ERR_XML_LIMIT', { limits: { maxSize: 50 } });
  parseXml(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`);
  rejects(`${'<a>'.repeat(65)}${'</a>'.repeat(65)}`, 'ERR_XML_LIMIT');
  const attrs = (n: number) => Array.from({ length: n }, (_, i) => ` a${i}="${i}"`).join('');
  parseXml(`<r${attrs(64)}/>`);
  rejects(`<r${attrs(65)}/>`, 'ERR_XML_LIMIT');
  const ns = (n: number) => Array.from({ length: n }, (_, i) => ` xmlns:p${i}="urn:${i}"`).join('');
  parseXml(`<r${ns(32)}/>`);
  rejects(`<r${ns(33)}/>`, 'ERR_XML_LIMIT');
  rejects(`<r${attrs(3)}/>`, 'ERR_XML_LIMIT', { limits: { maxAttributesPerElement: 2 } });
  // Refused as soon as the limit is passed: the repeated-attribute check never goes quadratic.
  rejects(`<r${attrs(200_000)}/>`, 'ERR_XML_LIMIT', { limits: { maxSize: 1e8 } });
});

test('line ends follow XML 1.0 (CR LF and CR become LF; NEL and LS are kept)', () => {
  const doc = parseXml('<r>a\r\nb\rc\u0085d\u2028e</r>');
  assert.equal(doc.documentElement?.firstChild?.nodeValue, 'a\nb\nc\u0085d\u2028e');
});

test('serializeXml round-trips values that a naive serialiser would normalise away', () => {
  const doc = parseXml('<r a="x&#9;y&#10;z&#13;" b="&quot;&lt;&gt;&amp;">t&#13;&amp;&lt;&gt;</r>');
  const again = parseXml(serializeXml(doc));
  assert.equal(again.documentElement?.getAttribute('a'), 'x\ty\nz\r');
  assert.equal(again.documentElement?.getAttribute('b'), '"<>&');
  assert.equal(again.documentElement?.firstChild?.nodeValue, 't\r&<>');
});

test('an XML declaration naming another encoding than UTF-8 is ERR_XML_UNSUPPORTED_ENCODING, whatever the caller', () => {
  for (const xml of [
    '<?xml version="1.0" encoding="ISO-8859-1"?><a/>',
    "\ufeff<?xml version='1.0' encoding='windows-1252' standalone='yes'?><a/>",
    '<?xml version="1.0"\n encoding = "UTF-16"?><a/>',
  ]) {
    throwsCode(() => parseXml(xml), 'ERR_XML_UNSUPPORTED_ENCODING');
  }
  for (const xml of [
    '<?xml version="1.0" encoding="utf-8"?><a/>',
    '<?xml version="1.0"?><a encoding="x"/>',
    '<a/>',
  ]) {
    assert.equal(parseXml(xml).documentElement?.localName, 'a');
  }
});
