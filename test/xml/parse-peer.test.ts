import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { requirePeer } from '../_support/peers.ts';
import { seededRandom } from '../_support/seeded.ts';
import { compare } from './_libxml2.ts';

/** Hand-written cases: every well-formedness and namespace rule the parser enforces, both ways. */
const CASES: readonly string[] = [
  '<a/>',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<a/>',
  "<?xml version='1.0'?><a/>",
  '<?xml version="1.0" ?><a/>',
  '<?xml  version="1.0"encoding="UTF-8"?><a/>',
  '<?xml encoding="UTF-8"?><a/>',
  ' <?xml version="1.0"?><a/>',
  '<a></a >',
  '<a></ a>',
  '<a ></a>',
  '<a/ >',
  '<a b="1"c="2"/>',
  '<a b = "1" c=\'2\'/>',
  '<a b="1" b="2"/>',
  '<a b=1/>',
  '<a b="<"/>',
  '<a b=">"/>',
  '<a b="x\ty\nz\r\nw"/>',
  '<a b="&#9;&#10;&#13;&#32;"/>',
  '<a b="&lt;&gt;&amp;&apos;&quot;"/>',
  '<a b="&foo;"/>',
  '<a b="&#0;"/>',
  '<a b="&#xD800;"/>',
  '<a b="&#x1F600;"/>',
  '<a b="&#xFFFE;"/>',
  '<a b="& "/>',
  '<a>&#x;</a>',
  '<a>&#12a;</a>',
  '<a>&amp</a>',
  '<a>a]]>b</a>',
  '<a>a]]b]>c</a>',
  '<a><![CDATA[x]]>y]]></a>',
  '<a><![CDATA[<&>]]]]><![CDATA[>]]></a>',
  '<a><!-- x --></a>',
  '<a><!-- x -- y --></a>',
  '<a><!-- x ---></a>',
  '<a><!----></a>',
  '<!-- before --><a/><!-- after -->',
  '<a/>text',
  '<a/><b/>',
  'x<a/>',
  '<a>',
  '<a></b>',
  '<a><b></a></b>',
  '</a>',
  '<1a/>',
  '<-a/>',
  '<.a/>',
  '<a-b.c_d/>',
  '<é/>',
  '<a\u00B7b/>',
  '<\u00B7a/>',
  '<a\u0300/>',
  '<\u0300a/>',
  '<a\u037E/>',
  '<\u4E2D\u6587 \u5C5E\u6027="\u503C"/>',
  '<a>\u0001</a>',
  '<a>\uFFFE</a>',
  '<a>\uD83D\uDE00</a>',
  '<a>\uD83D</a>',
  '<a>\uDE00</a>',
  '<a>\u0085\u2028</a>',
  '<a>x\r\ny\rz</a>',
  '<p:a xmlns:p="urn:p"/>',
  '<p:a/>',
  '<a p:b="1"/>',
  '<a xmlns:p="urn:p" p:b="1" xmlns:q="urn:p" q:b="2"/>',
  '<a xmlns:p="urn:p" p:b="1" b="2"/>',
  '<a xmlns:p=""/>',
  '<a xmlns=""/>',
  '<a xmlns="urn:d"><b xmlns=""><c/></b></a>',
  '<a:b:c xmlns:a="urn:a"/>',
  '<:a/>',
  '<a: xmlns:a="urn:a"/>',
  '<a xmlns:a:b="urn:x"/>',
  '<a xmlns:1="urn:x"/>',
  '<xmlns:a/>',
  '<a xmlns:xmlns="urn:x"/>',
  '<a xmlns:xml="http://www.w3.org/XML/1998/namespace"/>',
  '<a xmlns:xml="urn:other"/>',
  '<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>',
  '<a xmlns:p="http://www.w3.org/2000/xmlns/"/>',
  '<a xmlns="http://www.w3.org/2000/xmlns/"/>',
  '<a xml:lang="fr" xml:space="preserve"/>',
  '<a xmlns:p="urn:1"><p:b xmlns:p="urn:2" p:c="x"/></a>',
  '<a xmlns:b="urn:b" xmlns:a="urn:z"><x b:k="1" a:k="2" z="3" a="4"/></a>',
  '<a>\t\n </a>',
  '<a><b/>text<c/>&amp;<![CDATA[cd]]><!--c-->tail</a>',
  '<a>\u0009\u000A\u0020\u00A0</a>',
  // Characters outside the BMP (surrogate pairs in UTF-16) and high BMP characters.
  '<\u{10400}/>',
  '<\u{10400}:r xmlns:\u{10400}="urn:a"/>',
  '<a x\u{10400}="1" \u{1F600}="2" b="\u{10FFFD}">\u{F0000}\uE000\u{1D11E}</a>',
  '<\u{F0000}/>',
  '<a \uE000="1"/>',
  '<a b="\uD801"/>',
  // Attributes and namespace declarations in code-point order: U+FF21 before U+10400, whose
  // UTF-16 code units (D801 DC00) sort before FF21.
  '<r \u{10400}="4" \uFF21="3"/>',
  '<\u{10400}:r xmlns:\u{10400}="urn:a" xmlns:\uFF21="urn:b" \uFF21:k="1" \u{10400}:k="2" \uFF21="3" \u{10400}="4"/>',
  '<r xmlns:\u{10400}="urn:a" xmlns:\uFF21="urn:a" \u{10400}:k="1" \uFF21:l="2"/>',
  // Relative namespace URIs: libxml2 parses them (with a warning) and its c14n refuses them.
  '<a xmlns="foo"/>',
  '<a xmlns:p="foo"/>',
  '<a xmlns="urn:x"><b xmlns="rel/x"/></a>',
  '<a xmlns="#frag"/>',
  '<a xmlns="//host/x"/>',
  '<a xmlns:p="http://x/../y"/>',
  '<a xmlns:p="1a:b"/>',
  '<a xmlns:p="\u{10400}"/>',
  '<a xmlns:p="urn:\u{10400}"/>',
];

const INSERTS = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '=',
  ':',
  ' ',
  '/',
  ']]>',
  '--',
  '&amp;',
  '&#0;',
  '&#x41;',
  '&#x10400;',
  '\u0001',
  'é',
  '\u{10400}',
  '\uFF21',
  'xmlns:z="urn:z" ',
  'xmlns:r="rel/r" ',
  'xmlns="" ',
  'z:',
  '<!---->',
  '<![CDATA[',
  '\r',
];

/** Characters outside the BMP (name characters or not), and U+FF21, which UTF-16 orders after them. */
const WIDE = ['\u{10400}', '\u{1F600}', '\u{E0100}', '\u{F0000}', '\u{10FFFD}', '\uFF21'];

/**
 * Where a character is inserted to land in an element name, attribute name, value, text, or a
 * namespace URI (before its scheme: relative; after it: an absolute IRI).
 */
const SPOTS = [
  /<(?=[A-Za-z])/g,
  / (?=[A-Za-z:]+=)/g,
  /="/g,
  />(?=[^<])/g,
  /xmlns(?::[A-Za-z0-9]+)?="/g,
  /xmlns(?::[A-Za-z0-9]+)?="[a-z]+:/g,
];

/** The end of a random match of a random SPOTS pattern in `doc`, or -1. */
function spot(doc: string, rnd: () => number): number {
  const ends = [...doc.matchAll(SPOTS[Math.floor(rnd() * SPOTS.length)]!)].map((m) => m.index + m[0].length);
  return ends.length === 0 ? -1 : ends[Math.floor(rnd() * ends.length)]!;
}

/**
 * Mutations of real platform messages: deletions, insertions of markup characters, duplications,
 * and characters outside the BMP put into names, values, text and namespace URIs.
 */
function mutated(bases: readonly string[], count: number): string[] {
  const rnd = seededRandom(0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let doc = bases[i % bases.length]!;
    const edits = 1 + Math.floor(rnd() * 3);
    for (let e = 0; e < edits; e++) {
      let at = Math.floor(rnd() * doc.length);
      const kind = rnd();
      if (kind < 0.3) doc = doc.slice(0, at) + doc.slice(at + 1 + Math.floor(rnd() * 4));
      else if (kind < 0.65) doc = doc.slice(0, at) + pick(INSERTS) + doc.slice(at);
      else if (kind < 0.85) {
        at = spot(doc, rnd);
        if (at >= 0) doc = doc.slice(0, at) + pick(WIDE) + doc.slice(at);
      } else {
        const len = 1 + Math.floor(rnd() * 12);
        doc = doc.slice(0, at) + doc.slice(at, at + len) + doc.slice(at);
      }
    }
    out.push(doc);
  }
  return out;
}

test('the parser and exc-c14n accept and refuse exactly what libxml2 does on the rule cases, with the same canonical form', (t) => {
  if (!requirePeer(t, 'python3-xmlsec')) return;
  const n = compare(CASES);
  t.diagnostic(JSON.stringify(n));
  assert.ok(n.policy + n.exempt <= 3, `only ${n.compared} of ${CASES.length} cases compared`);
  assert.ok(n.c14nRefused >= 5 && n.sameWide >= 5, JSON.stringify(n));
});

test('differential against libxml2 on 6,000 mutations of platform messages (seeded)', (t) => {
  if (!requirePeer(t, 'python3-xmlsec')) return;
  const vectors = new URL('../vectors/', import.meta.url);
  const bases = [
    readFileSync(new URL('soap/soa-01001-fault.xml', vectors), 'utf8'),
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="urn:be:fgov:test:v1"><soapenv:Header><wsse:Security xmlns:wsse="urn:wsse" xmlns:wsu="urn:wsu" soapenv:mustUnderstand="1"><wsu:Timestamp wsu:Id="TS-1"><wsu:Created>2026-06-15T10:00:00.000Z</wsu:Created></wsu:Timestamp></wsse:Security></soapenv:Header><soapenv:Body wsu:Id="id-1" xmlns:wsu="urn:wsu"><v1:request lang=\'fr\'>Dupont &amp; fils<![CDATA[<x>]]><!-- c --></v1:request></soapenv:Body></soapenv:Envelope>',
    '<Assertion xmlns="urn:oasis:names:tc:SAML:1.0:assertion" AssertionID="_a1" IssueInstant="2026-06-15T10:00:00Z"><Conditions NotBefore="2026-06-15T10:00:00Z"/><AttributeStatement><Attribute AttributeName="urn:be:fgov:kbo-bce:organization:cbe-number" AttributeNamespace="urn:be:fgov:identification-namespace"><AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">0123456749</AttributeValue></Attribute></AttributeStatement></Assertion>',
    '<\u{10400}:r xmlns:\u{10400}="urn:a" xmlns:\uFF21="urn:b" \uFF21:k="1" \u{10400}:k="2" \uFF21="3" \u{10400}="4"><\uFF21 a="\u{1F600}">\u{10400} &#x10400; \uFF21</\uFF21></\u{10400}:r>',
  ];
  const docs = mutated(bases, 6000);
  const n = compare(docs);
  t.diagnostic(JSON.stringify(n));
  assert.ok(n.compared > 5000, `only ${n.compared} documents compared`);
  assert.ok(n.c14nRefused >= 20 && n.sameWide >= 300, JSON.stringify(n));
});
