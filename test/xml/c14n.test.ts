import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excC14n } from '../../src/xml/c14n.ts';
import type { Element } from '../../src/xml/node.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { DEBIAN_PYTHON, requirePeer, runPeer } from '../_support/peers.ts';

/** Documents that exercise the exclusive c14n rules; the subtree to canonicalise carries id="t". */
const CASES: readonly { name: string; xml: string; prefixes?: string[] }[] = [
  {
    name: 'unused ancestor namespaces are dropped',
    xml: '<a:r xmlns:a="urn:a" xmlns:b="urn:b"><a:x id="t"><a:y/></a:x></a:r>',
  },
  {
    name: 'PrefixList pulls ancestor namespaces in',
    xml: '<a:r xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:d"><a:x id="t"><y/></a:x></a:r>',
    prefixes: ['b'],
  },
  { name: 'default namespace undeclared below', xml: '<r xmlns="urn:d"><x id="t" xmlns=""><y/></x></r>' },
  {
    name: 'default namespace on apex, xmlns="" below',
    xml: '<r xmlns="urn:d"><x id="t"><y xmlns=""><z xmlns="urn:e"/></y></x></r>',
  },
  {
    name: 'attribute order: unqualified first, then by namespace URI',
    xml: '<r xmlns:b="urn:b" xmlns:a="urn:z"><x id="t" b:k="1" a:k="2" z="3" a="4"/></r>',
  },
  {
    name: 'escaping in text and attributes',
    xml: '<r><x id="t" v="a&#9;b&#10;c&#13;d&quot;e&lt;f&gt;g&amp;">x&amp;y&lt;z&gt;w&#13;v "q"</x></r>',
  },
  {
    name: 'CDATA becomes text, comments vanish',
    xml: '<r><x id="t"><![CDATA[a<b>&c]]><!-- gone --></x></r>',
  },
  {
    name: 'xml:lang is not inherited, prefix redeclared with another URI',
    xml: '<r xml:lang="fr" xmlns:p="urn:1"><p:x id="t" xml:space="preserve"><p:y xmlns:p="urn:2"/></p:x></r>',
  },
  {
    name: 'namespace already output by an ancestor is not repeated',
    xml: '<r><p:x id="t" xmlns:p="urn:1"><p:y xmlns:p="urn:1"><q:z xmlns:q="urn:1"/></p:y></p:x></r>',
  },
  {
    name: 'inclusive prefix declared lower is output where in scope',
    xml: '<r xmlns:s="urn:s"><x id="t"><y xmlns:q="urn:q"><z/></y></x></r>',
    prefixes: ['q', 's'],
  },
  { name: 'non-ASCII text and names', xml: '<r><x id="t" é="ü">Ça va — 日本 😀</x></r>' },
  {
    name: 'attributes by code point: U+FF21 before U+10400 (UTF-16 code units order them the other way)',
    xml: '<r><x id="t" \u{10400}="2" \uFF21="1" \u{1F600}="3" \uFFFD="0"/></r>',
  },
  {
    name: 'namespace declarations and attribute namespaces by code point',
    xml: '<r xmlns:\u{10400}="urn:b" xmlns:\uFF21="urn:a"><x id="t" \u{10400}:k="1" \uFF21:k="2"><\u{10400}:y \uFF21:z=""/></x></r>',
  },
  { name: 'relative default namespace on the apex is refused', xml: '<r><x id="t" xmlns="rel"/></r>' },
  {
    name: 'relative namespace inside the subtree is refused',
    xml: '<r><x id="t"><y xmlns:p="a/b"/></x></r>',
  },
  { name: 'relative namespace inherited by the apex is refused', xml: '<r xmlns:p="rel"><x id="t"/></r>' },
  {
    name: 'relative namespace inherited through a PrefixList is refused',
    xml: '<r xmlns:p="rel"><x id="t"/></r>',
    prefixes: ['p'],
  },
  {
    name: 'relative default namespace undeclared on the apex',
    xml: '<r xmlns="rel"><x id="t" xmlns=""/></r>',
  },
  { name: 'relative namespace out of the subtree', xml: '<r><x id="t"/><y xmlns:p="rel"/></r>' },
  {
    name: 'relative namespace redeclared absolute on the apex',
    xml: '<r xmlns:p="rel"><p:x id="t" xmlns:p="urn:p"/></r>',
  },
];

function target(xml: string): Element {
  const doc = parseXml(xml);
  const stack: Element[] = [doc.documentElement!];
  while (stack.length > 0) {
    const el = stack.pop()!;
    if (el.getAttribute('id') === 't') return el;
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
  throw new Error('no target');
}

const LXML = [
  'import sys, json',
  'from lxml import etree',
  'cases = json.loads(sys.stdin.read())',
  'out = []',
  'for c in cases:',
  '    el = etree.fromstring(c["xml"].encode()).xpath("//*[@id=\'t\']")[0]',
  '    try:',
  '        out.append(etree.tostring(el, method="c14n", exclusive=True, with_comments=False, inclusive_ns_prefixes=c.get("prefixes") or None).decode())',
  '    except etree.C14NError:',
  '        out.append(None)',
  'print(json.dumps(out))',
].join('\n');

test('exclusive c14n matches libxml2 (python lxml) on every rule case', (t) => {
  if (!requirePeer(t, 'python3-xmlsec')) return;
  const r = runPeer(
    DEBIAN_PYTHON,
    ['-c', LXML],
    JSON.stringify(CASES.map((c) => ({ xml: c.xml, prefixes: c.prefixes }))),
  );
  assert.equal(r.status, 0, r.stderr);
  const expected = JSON.parse(r.stdout) as (string | null)[];
  CASES.forEach((c, i) => {
    const run = () => excC14n(target(c.xml), { inclusivePrefixes: c.prefixes ?? [] });
    const want = expected[i];
    // libxml2's c14n refuses (C14N 1.0 §2.1, relative namespace URIs): so must ours.
    if (want === null) throwsCode(run, 'ERR_XML_RELATIVE_NAMESPACE');
    else assert.equal(run(), want, c.name);
  });
  assert.equal(expected.filter((e) => e === null).length, 4, 'libxml2 refuses the 4 relative cases');
});

test('exclusive c14n: fixed vectors (no peer needed)', () => {
  assert.equal(
    excC14n(target('<a:r xmlns:a="urn:a" xmlns:b="urn:b"><a:x id="t" b:z="1"><a:y/></a:x></a:r>')),
    '<a:x xmlns:a="urn:a" xmlns:b="urn:b" id="t" b:z="1"><a:y></a:y></a:x>',
  );
  assert.equal(
    excC14n(target('<r xmlns="urn:d"><x id="t"><y xmlns=""/></x></r>')),
    '<x xmlns="urn:d" id="t"><y xmlns=""></y></x>',
  );
  // "#default" (lxml's tostring does not pass it through; libxml2's c14n, which xmlsec1 uses, does:
  // the default-namespace envelopes of peers.test.ts carry it in the Timestamp PrefixList).
  assert.equal(
    excC14n(target('<a:r xmlns:a="urn:a" xmlns="urn:d"><a:x id="t"><y/></a:x></a:r>'), {
      inclusivePrefixes: ['#default'],
    }),
    '<a:x xmlns="urn:d" xmlns:a="urn:a" id="t"><y></y></a:x>',
  );
  const el = target('<r><x id="t"><s/><e/></x></r>');
  assert.equal(excC14n(el, { exclude: el.firstChild }), '<x id="t"><e></e></x>');
});

test('exclusive c14n orders attributes and namespace declarations by code point (no peer needed)', () => {
  assert.equal(
    excC14n(
      target(
        '<r><x id="t" \u{10400}="2" \uFF21="1" \uFFFD:a="" xmlns:\uFFFD="urn:\u{10400}" \u{10400}:a="" xmlns:\u{10400}="urn:\uFF21"/></r>',
      ),
    ),
    '<x xmlns:\uFFFD="urn:\u{10400}" xmlns:\u{10400}="urn:\uFF21" id="t" \uFF21="1" \u{10400}="2" \u{10400}:a="" \uFFFD:a=""></x>',
  );
});

test('exclusive c14n refuses relative namespace URIs: ERR_XML_RELATIVE_NAMESPACE (C14N 1.0 §2.1)', () => {
  for (const uri of ['rel', 'a/b:c', '#f', '//host/x', '?q', '1a:b', '\u{10400}', ':x'])
    throwsCode(() => excC14n(target(`<r><x id="t" xmlns:p="${uri}"/></r>`)), 'ERR_XML_RELATIVE_NAMESPACE');
  throwsCode(() => excC14n(target('<r xmlns="rel"><x id="t"/></r>')), 'ERR_XML_RELATIVE_NAMESPACE');
  // Built with the DOM, without any xmlns attribute: refused where the declaration would be output.
  const doc = parseXml('<r/>');
  const el = doc.createElementNS('rel', 'p:x');
  doc.documentElement!.appendChild(el);
  throwsCode(() => excC14n(doc.documentElement!), 'ERR_XML_RELATIVE_NAMESPACE');
  // Absolute URIs of any scheme, the undeclaration xmlns="", and a relative one out of the subtree.
  for (const uri of ['urn:x', 'a+b-c.d:x', 'http://x/../y', 'urn:\u{10400}'])
    assert.equal(
      excC14n(target(`<r><p:x id="t" xmlns:p="${uri}"/></r>`)),
      `<p:x xmlns:p="${uri}" id="t"></p:x>`,
    );
  assert.equal(excC14n(target('<r xmlns="rel"><x id="t" xmlns=""/></r>')), '<x id="t"></x>');
  assert.equal(excC14n(target('<r><x id="t"/><y xmlns:p="rel"/></r>')), '<x id="t"></x>');
  // Parsing accepts them (as libxml2 does, with a warning): the refusal is canonicalisation's.
  assert.equal(parseXml('<r xmlns="rel"/>').documentElement?.namespaceURI, 'rel');
});
