import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXml } from '../../src/xml/parse.ts';
import { collectIds } from '../../src/xmldsig/ids.ts';
import { throwsCode } from '../_support/assert-code.ts';

const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const SAML_ID = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID';

const doc = (inner: string) =>
  parseXml(
    `<r xmlns:wsu="${WSU}" xmlns:wsse="${WSSE}" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:x="urn:x">${inner}</r>`,
  );

test('repeated ID values nothing points at are indexed: has() knows them, get() refuses them (ERR_WSS_DUPLICATE_ID)', () => {
  const ids = collectIds(
    doc('<x:item ID="1"/><x:item ID="1"/><x:item Id="2"/><x:o AssertionID="2"/><x:one ID="3"/>'),
  );
  assert.equal(ids.has('1'), true);
  assert.equal(ids.has('2'), true);
  throwsCode(() => ids.get('1'), 'ERR_WSS_DUPLICATE_ID');
  throwsCode(() => ids.get('2'), 'ERR_WSS_DUPLICATE_ID');
  assert.equal(ids.get('3')?.localName, 'one');
  assert.equal(ids.get('4'), undefined);
  assert.equal(ids.has('4'), false);
});

test('one element carrying one value in several id attributes is not a duplicate', () => {
  const ids = collectIds(doc('<x:a wsu:Id="a" Id="a" ID="a"/>'));
  assert.equal(ids.get('a')?.localName, 'a');
});

test('a wsu:Id value is unique in the whole document, whatever attribute repeats it and in either order', () => {
  throwsCode(() => collectIds(doc('<x:a wsu:Id="a"/><x:b wsu:Id="a"/>')), 'ERR_WSS_DUPLICATE_ID');
  throwsCode(() => collectIds(doc('<x:a wsu:Id="a"/><x:b ID="a"/>')), 'ERR_WSS_DUPLICATE_ID');
  throwsCode(() => collectIds(doc('<x:b ID="a"/><x:a wsu:Id="a"/>')), 'ERR_WSS_DUPLICATE_ID');
  throwsCode(() => collectIds(doc('<x:b Id="a"><x:a wsu:Id="a"/></x:b>')), 'ERR_WSS_DUPLICATE_ID');
  throwsCode(() => collectIds(doc('<x:b ID="a"/><x:c ID="a"/><x:a wsu:Id="a"/>')), 'ERR_WSS_DUPLICATE_ID');
});

test('a ds:Reference anywhere pointing at a repeated value: ERR_WSS_DUPLICATE_ID at collection, before or after the carriers', () => {
  const ref = '<ds:Reference URI="#1"/>';
  throwsCode(() => collectIds(doc(`${ref}<x:item ID="1"/><x:item ID="1"/>`)), 'ERR_WSS_DUPLICATE_ID');
  throwsCode(() => collectIds(doc(`<x:item ID="1"/><x:item ID="1"/>${ref}`)), 'ERR_WSS_DUPLICATE_ID');
  throwsCode(
    () => collectIds(doc(`<x:w>${ref}</x:w><x:item ID="1"/><x:i AssertionID="1"/>`)),
    'ERR_WSS_DUPLICATE_ID',
  );
  // The same shapes with the reference elsewhere are fine.
  const ids = collectIds(doc('<ds:Reference URI="#2"/><x:item ID="1"/><x:item ID="1"/><x:t ID="2"/>'));
  assert.equal(ids.get('2')?.localName, 't');
  // A Reference of another vocabulary points at nothing we resolve.
  collectIds(doc('<x:Reference URI="#1"/><x:item ID="1"/><x:item ID="1"/>'));
});

test('a wsse:Reference or a SAML KeyIdentifier pointing at a repeated value: ERR_WSS_DUPLICATE_ID', () => {
  throwsCode(
    () => collectIds(doc('<wsse:Reference URI="#t"/><x:a Id="t"/><x:b Id="t"/>')),
    'ERR_WSS_DUPLICATE_ID',
  );
  throwsCode(
    () =>
      collectIds(
        doc(
          `<wsse:KeyIdentifier ValueType="${SAML_ID}"> _a1 </wsse:KeyIdentifier><x:A AssertionID="_a1"/><x:B AssertionID="_a1"/>`,
        ),
      ),
    'ERR_WSS_DUPLICATE_ID',
  );
  // A KeyIdentifier of another type (a SubjectKeyIdentifier) names no element by id.
  collectIds(
    doc('<wsse:KeyIdentifier ValueType="urn:ski">_a1</wsse:KeyIdentifier><x:A ID="_a1"/><x:B ID="_a1"/>'),
  );
});
