import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { excC14n } from '../../src/xml/c14n.ts';
import { Document, type Element } from '../../src/xml/node.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { seededRandom } from '../_support/seeded.ts';

// excC14n writes a pristine parsed element whose source text is canonical as written
// (Element.sourceCanonical) as that text. These tests hold it to the DOM walk: the same document
// imported node by node (no source text) must canonicalise to the same string, element by element.

/** Start tags with attributes, canonical as written or not (marks in the test below). */
const ATTRIBUTES =
  '<r><a k="1">t</a><b k=\'1\'>t</b><c  k="1">t</c><d k = "1">t</d><e k="1" >t</e><f b="1" a="2">t</f>' +
  '<g a="1" b="2">t</g><h k="a&amp;b">t</h><i k="a\tb">t</i><j xmlns:p="urn:p" p:k="1">t</j>' +
  '<l xml:lang="fr">t</l><m k="&gt;">t</m><n k=">">t</n><o k="1"/><q a="1"  b="2">t</q>' +
  '<s \uFF21="1" \u{10400}="2">t</s><u \u{10400}="2" \uFF21="1">t</u><v xmlns="urn:v">t</v>' +
  '<w a="1" a:b="2" xmlns:a="urn:a">t</w><x k="a\nb">t</x><y k="">t<z a="1">u</z></y>' +
  '<a1\tk="1">t</a1><a2\nk="1">t</a2><a3 k="1"\n>t</a3></r>';

/** References C14N writes as they are, or not (marks in the test below). */
const REFERENCES =
  '<r><a>x &amp; y &lt; z &gt; w &#xD;</a><b>&#xd;</b><c>&#38;</c><d>&quot;</d><e>&apos;</e>' +
  '<f k="&amp;&lt;&quot;&#x9;&#xA;&#xD;">t</f><g k="&gt;">t</g><h k="&apos;">t</h><i k="&#x26;">t</i>' +
  '<j k="&#xa;">t</j><l>&#x3E;</l><m>&amp;amp;</m><n k="&amp;amp;">&lt;&#xD;&#xD;</n></r>';

/** Sources near the edge of "canonical as written": each differs from its canonical form in one way, or not. */
const DOCS: readonly string[] = [
  '<r><a>x</a><b >y</b><c>z</c ><d/><e></e></r>',
  '<r><a>x&gt;</a><b>x>y</b><c>&#65;</c><d>&amp;</d><e>\r\nq</e><f>\rq</f></r>',
  '<r><a><!--c--></a><b><![CDATA[x]]></b><c><![CDATA[<&>]]></c><d><e>t</e><f><g>u</g></f></d></r>',
  '<p:r xmlns:p="urn:p" xmlns:q="urn:q"><q:a><q:b>t</q:b><p:c>u</p:c></q:a><p:d><p:e>v</p:e></p:d></p:r>',
  '<r xmlns="urn:d"><x:y xmlns:x="urn:x"><a>t</a><x:b>u</x:b></x:y><z><a>w</a></z></r>',
  '<r xmlns="urn:d"><a xmlns=""><b>t</b></a><c><d>u</d></c></r>',
  '<r xmlns:p="urn:p"><a><p:b>t</p:b></a><a p:k="1"><c>u</c></a><a k="1"><c>u</c></a></r>',
  '<r xmlns:xml="http://www.w3.org/XML/1998/namespace"><a xml:lang="fr"><b>t</b></a><c>\t\u00e9\u{10400}</c></r>',
  ATTRIBUTES,
  REFERENCES,
  '<?xml version="1.0"?>\n<!--lead--><r>\n  <a>\n    <b>t</b>\n  </a>\n</r>',
];

function elements(root: Element): Element[] {
  return [root, ...root.getElementsByTagName('*')];
}

/** The document copied node by node: the same tree with no source text behind it. */
function copy(doc: Document): Document {
  const out = new Document();
  out.appendChild(out.importNode(doc.documentElement!, true));
  return out;
}

test('exc-c14n of a parsed subtree written from its source equals the DOM walk, for every element, PrefixList and exclusion', () => {
  let verbatim = 0;
  for (const xml of DOCS) {
    const parsed = parseXml(xml);
    const built = copy(parsed);
    const a = elements(parsed.documentElement!);
    const b = elements(built.documentElement!);
    assert.equal(a.length, b.length);
    verbatim += a.filter((el) => el.sourceCanonical).length;
    assert.ok(b.every((el) => !el.sourceCanonical));
    for (const prefixes of [[], ['#default'], ['p', 'q', 'x']]) {
      for (let i = 0; i < a.length; i++) {
        const [pa, pb] = [a[i]!, b[i]!];
        assert.equal(
          excC14n(pa, { inclusivePrefixes: prefixes }),
          excC14n(pb, { inclusivePrefixes: prefixes }),
          `${xml} #${i} ${prefixes}`,
        );
        for (let j = 0; j < a.length; j++) {
          const options = { inclusivePrefixes: prefixes, exclude: a[j]! };
          assert.equal(
            excC14n(pa, options),
            excC14n(pb, { ...options, exclude: b[j]! }),
            `${xml} #${i} without #${j}`,
          );
        }
      }
    }
  }
  assert.ok(verbatim >= 25, `only ${verbatim} elements were canonical as written`);
});

test('the parser marks as canonical as written exactly the elements whose source text is', () => {
  const doc = parseXml(DOCS[0]!);
  const marked = elements(doc.documentElement!).map((el) => [el.localName, el.sourceCanonical]);
  assert.deepEqual(marked, [
    ['r', false], // holds <b >, </c > and <d/>
    ['a', true],
    ['b', false],
    ['c', false],
    ['d', false],
    ['e', true],
  ]);
  const attributes = parseXml(ATTRIBUTES);
  assert.deepEqual(
    elements(attributes.documentElement!)
      .filter((el) => el.sourceCanonical)
      .map((el) => el.localName),
    ['a', 'g', 'h', 'n', 's', 'y', 'z'],
  );
  assert.deepEqual(
    elements(parseXml(REFERENCES).documentElement!)
      .filter((el) => el.sourceCanonical)
      .map((el) => el.localName),
    ['a', 'f', 'm', 'n'],
  );
  const refs = parseXml(DOCS[1]!);
  assert.deepEqual(
    elements(refs.documentElement!).map((el) => el.sourceCanonical),
    // Line ends are normalised before the source text is kept: \r\n and \r are canonical as read.
    [false, true, false, false, true, true, true],
  );
});

test('a change inside a subtree canonical as written is canonicalised from the DOM', () => {
  const doc = parseXml('<r><a><b>x</b><c>y</c></a></r>');
  const root = doc.documentElement!;
  const [a, b, c] = ['a', 'b', 'c'].map((n) => root.getElementsByTagName(n)[0]!) as [
    Element,
    Element,
    Element,
  ];
  b.firstChild!.nodeValue = 'x>';
  assert.equal(excC14n(root), '<r><a><b>x&gt;</b><c>y</c></a></r>');
  c.setAttribute('k', 'v');
  assert.equal(excC14n(a), '<a><b>x&gt;</b><c k="v">y</c></a>');
  c.removeAttribute('k');
  c.appendChild(doc.createComment('gone'));
  c.appendChild(doc.createElementNS('urn:n', 'n:d'));
  assert.equal(excC14n(root), '<r><a><b>x&gt;</b><c>y<n:d xmlns:n="urn:n"></n:d></c></a></r>');
  const moved = parseXml('<s xmlns:m="urn:m"><m:e>t</m:e></s>');
  a.appendChild(doc.importNode(moved.documentElement!.firstChild!, true));
  assert.match(excC14n(root), /<m:e xmlns:m="urn:m">t<\/m:e><\/a><\/r>$/);
});

/** Random documents near the canonical-as-written rules: tags, attributes, references, namespaces. */
function randomDocument(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const texts = [
    't',
    'a b',
    '&amp;',
    '&lt;',
    '&gt;',
    '>',
    '&#xD;',
    '&#13;',
    '&#x9;',
    '\t',
    '\r\n',
    '\r',
    '&quot;',
    '"',
    "'",
    '&apos;',
    '&#x10400;',
    '\u{10400}',
    '\uFF21',
    ' ',
    '&#38;',
    ']]',
    '<![CDATA[x>]]>',
    '<!--c-->',
    '&#x20;',
  ];
  const values = [
    '1',
    '',
    'a b',
    '&amp;',
    '&lt;',
    '&gt;',
    '>',
    '&#xD;',
    '&#x9;',
    '\t',
    '\n',
    '&#xA;',
    '&quot;',
    '&apos;',
    '&#34;',
    '&#39;',
    '\u{10400}',
    '\uFF21',
    '  ',
    '&#x20;',
  ];
  const names = ['a', 'b', 'Z', 'é', '\uFF21', '\u{10400}', 'aa', 'A'];
  const spaces = [' ', ' ', ' ', '  ', '\t', '\n'];
  const element = (depth: number, pInScope: boolean): string => {
    const name = pick(['x', 'y', 'p:z', 'w']);
    let declarations = '';
    if ((name.startsWith('p:') && !pInScope) || random() < 0.15)
      declarations = `${pick(spaces)}xmlns:p="urn:p"`;
    if (random() < 0.12) declarations += `${pick(spaces)}xmlns="${pick(['urn:d', ''])}"`;
    const scope = pInScope || declarations.includes('xmlns:p');
    const used = new Set<string>();
    let attributes = '';
    for (let i = Math.floor(random() * 4); i > 0; i--) {
      const attr = scope && random() < 0.2 ? `p:${pick(names)}` : pick(names);
      if (used.has(attr)) continue;
      used.add(attr);
      const quote = random() < 0.7 ? '"' : "'";
      attributes += `${pick(spaces)}${attr}${pick(['=', '=', ' = '])}${quote}${pick(values)}${quote}`;
    }
    const open = `<${name}${declarations}${attributes}${pick(['', '', ' ', '\n'])}`;
    if (random() < 0.2) return `${open}/>`;
    let body = '';
    for (let i = depth > 3 ? 0 : Math.floor(random() * 4); i > 0; i--)
      body += random() < 0.5 ? pick(texts) : element(depth + 1, scope);
    if (random() < 0.5) body += pick(texts);
    return `${open}>${body}</${name}${pick(['', '', ' '])}>`;
  };
  return `<r xmlns:p="urn:p">${element(0, true)}${element(0, true)}</r>`;
}

test('seeded random documents: every element canonicalises from its source as the DOM walk does', () => {
  const random = seededRandom(17);
  let verbatim = 0;
  let compared = 0;
  let refused = 0;
  for (let n = 0; n < 2500; n++) {
    let parsed: Document;
    try {
      parsed = parseXml(randomDocument(random));
    } catch (e) {
      // "]]" then ">" makes "]]>" in character data: not XML, nothing to canonicalise
      assert.ok(isPasserelleError(e, 'ERR_XML_MALFORMED'), String(e));
      refused++;
      continue;
    }
    const a = elements(parsed.documentElement!);
    const b = elements(copy(parsed).documentElement!);
    verbatim += a.filter((el) => el.sourceCanonical).length;
    for (let i = 0; i < a.length; i++) {
      for (const inclusivePrefixes of [[], ['p'], ['#default']]) {
        compared++;
        assert.equal(excC14n(a[i]!, { inclusivePrefixes }), excC14n(b[i]!, { inclusivePrefixes }));
      }
    }
  }
  assert.ok(refused < 100, `${refused} of 2,500 random documents were not XML`);
  assert.ok(verbatim >= 100 && compared >= 20_000, `${verbatim} canonical as written, ${compared} compared`);
});
