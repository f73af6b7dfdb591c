import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeList } from '../../src/xml/dom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import { createDocument, type Element } from '../../src/xml/node.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { serializeXml } from '../../src/xml/serialize.ts';

const domError = (name: string) => (e: unknown) => e instanceof DOMException && e.name === name;

test('the parsed tree has DOM names, values and links', () => {
  const doc = parseXml('<p:a xmlns:p="urn:p" x="1" p:y="2">t<b/><!--c--><![CDATA[d]]></p:a>');
  const a = doc.documentElement!;
  assert.equal(a.nodeName, 'p:a');
  assert.deepEqual([a.prefix, a.localName, a.namespaceURI], ['p', 'a', 'urn:p']);
  assert.deepEqual(
    [...a.attributes].map((x) => [x.name, x.prefix, x.localName, x.namespaceURI, x.value]),
    [
      ['xmlns:p', 'xmlns', 'p', NS.xmlns, 'urn:p'],
      ['x', null, 'x', null, '1'],
      ['p:y', 'p', 'y', 'urn:p', '2'],
    ],
  );
  assert.equal(a.getAttribute('p:y'), '2');
  assert.equal(a.getAttributeNS('urn:p', 'y'), '2');
  assert.equal(a.getAttributeNS(null, 'missing'), null);
  assert.deepEqual(
    a.childNodes.map((n) => [n.nodeType, n.nodeName, n.nodeValue]),
    [
      [3, '#text', 't'],
      [1, 'b', null],
      [8, '#comment', 'c'],
      [4, '#cdata-section', 'd'],
    ],
  );
  assert.equal(a.textContent, 'td');
  assert.equal(a.firstChild!.nextSibling!.previousSibling, a.firstChild);
  assert.equal(a.lastChild!.parentNode, a);
  assert.equal(a.ownerDocument, doc);
  assert.equal(doc.getElementsByTagNameNS('*', 'b').length, 1);
});

test('tree mutations keep links consistent; misuse throws the DOM error names', () => {
  const doc = createDocument('urn:x', 'x:r');
  const root = doc.documentElement!;
  const [a, b, c] = ['a', 'b', 'c'].map((n) => doc.createElementNS('urn:x', `x:${n}`)) as [
    Element,
    Element,
    Element,
  ];
  root.appendChild(a);
  root.appendChild(c);
  root.insertBefore(b, c);
  assert.deepEqual(
    root.childNodes.map((n) => n.nodeName),
    ['x:a', 'x:b', 'x:c'],
  );
  root.replaceChild(c, a);
  assert.deepEqual(
    root.childNodes.map((n) => n.nodeName),
    ['x:c', 'x:b'],
  );
  assert.equal(a.parentNode, null);
  b.appendChild(c);
  assert.deepEqual(
    root.childNodes.map((n) => n.nodeName),
    ['x:b'],
  );
  assert.equal(c.parentNode, b);
  assert.throws(() => c.appendChild(root), domError('HierarchyRequestError'));
  assert.throws(() => c.appendChild(c), domError('HierarchyRequestError'));
  assert.throws(() => doc.appendChild(a), domError('HierarchyRequestError'));
  assert.throws(() => doc.appendChild(doc.createTextNode('t')), domError('HierarchyRequestError'));
  assert.throws(() => root.removeChild(c), domError('NotFoundError'));
  assert.throws(() => root.insertBefore(a, c), domError('NotFoundError'));
  assert.throws(() => doc.createElementNS('urn:x', '1x'), domError('InvalidCharacterError'));
  assert.throws(() => doc.createElementNS(null, 'p:x'), domError('NamespaceError'));
  assert.throws(() => doc.createElementNS('urn:x', 'xml:x'), domError('NamespaceError'));
  assert.throws(() => root.setAttributeNS('urn:x', 'xmlns:p', 'u'), domError('NamespaceError'));
  assert.throws(() => root.setAttribute('a b', 'v'), domError('InvalidCharacterError'));
});

test('attributes: setAttributeNS updates in place, removal, clone and import copy them', () => {
  const doc = createDocument(null, 'r');
  const r = doc.documentElement!;
  r.setAttributeNS(NS.xmlns, 'xmlns:p', 'urn:p');
  r.setAttributeNS('urn:p', 'p:k', '1');
  r.setAttributeNS('urn:p', 'p:k', '2');
  assert.deepEqual(
    [...r.attributes].map((a) => `${a.name}=${a.value}`),
    ['xmlns:p=urn:p', 'p:k=2'],
  );
  r.appendChild(doc.createTextNode('t'));
  const clone = r.cloneNode(true);
  r.removeAttributeNS('urn:p', 'k');
  assert.equal(serializeXml(r), '<r xmlns:p="urn:p">t</r>');
  assert.equal(serializeXml(clone), '<r xmlns:p="urn:p" p:k="2">t</r>');
  const other = createDocument(null, 'o');
  const imported = other.importNode(clone, true);
  assert.equal(imported.ownerDocument, other);
  assert.equal(imported.firstChild!.ownerDocument, other);
  assert.equal(imported.attributes.item(1)!.ownerDocument, other);
  // The NamedNodeMap is a live view; attributeList gives the current array without making one.
  const e = doc.createElement('e');
  const map = e.attributes;
  assert.deepEqual(attributeList(e), []);
  e.setAttribute('a', '1');
  assert.equal(map.length, 1);
  assert.deepEqual(
    attributeList(e).map((a) => a.name),
    ['a'],
  );
  assert.equal(map.item(0), attributeList(e)[0]);
});

test('serializeXml declares what the DOM uses but lacks only when asked', () => {
  const doc = createDocument('urn:a', 'a:r');
  const child = doc.createElementNS('urn:b', 'b:c');
  child.setAttributeNS('urn:d', 'd:k', 'v');
  child.appendChild(doc.createElementNS(null, 'plain'));
  doc.documentElement!.appendChild(child);
  assert.equal(serializeXml(doc), '<a:r><b:c d:k="v"><plain/></b:c></a:r>');
  assert.equal(
    serializeXml(doc, { declareNamespaces: true }),
    '<a:r xmlns:a="urn:a"><b:c d:k="v" xmlns:b="urn:b" xmlns:d="urn:d"><plain/></b:c></a:r>',
  );
  const round = parseXml(serializeXml(doc, { declareNamespaces: true }));
  assert.equal(round.getElementsByTagNameNS('urn:b', 'c')[0]!.getAttributeNS('urn:d', 'k'), 'v');
});
