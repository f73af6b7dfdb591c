import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAssertion } from '../../src/saml/read-assertion.ts';
import { childElements } from '../../src/xml/dom.ts';
import type { Element } from '../../src/xml/node.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { testAssertion } from './_fixtures.ts';

const { xml } = await testAssertion();
/** A fresh copy of the issued assertion (readAssertion verifies nothing: no re-signing needed). */
const assertion = () => parseXml(xml).documentElement as Element;
const conditions = (a: Element) => childElements(a)[0]!;

test('control: the issued assertion reads, its instants as dates', () => {
  const info = readAssertion(assertion());
  assert.equal(info.issueInstant.getTime(), TEST_NOW);
  assert.equal(info.conditions.notOnOrAfter.getTime() - info.conditions.notBefore.getTime() > 0, true);
});

test('an IssueInstant, NotBefore, NotOnOrAfter or AuthenticationInstant that is not a strict UTC xs:dateTime: ERR_SAML_INVALID', () => {
  const bad = [
    '2026-02-31T10:00:00Z',
    '2026-06-15T24:00:01Z',
    '2026-06-15T10:00:00',
    '2026-06-15t10:00:00Z',
    '2026-06-15T10:00:00z',
    '2026-06-15T12:00:00+02:00',
    '2026-06-15T10:61:00Z',
  ];
  const places: [(a: Element, v: string) => void, string][] = [
    [(a, v) => a.setAttribute('IssueInstant', v), '2026-06-15T10:00:00.5Z'],
    [(a, v) => conditions(a).setAttribute('NotBefore', v), '2000-01-01T00:00:00Z'],
    [(a, v) => conditions(a).setAttribute('NotOnOrAfter', v), '2099-12-31T24:00:00Z'],
    [
      (a, v) => {
        const statement = childElements(a).find((c) => c.localName === 'AuthenticationStatement');
        assert.ok(statement, 'fixture: an AuthenticationStatement');
        statement.setAttribute('AuthenticationInstant', v);
      },
      '2026-06-15T10:00:00Z',
    ],
  ];
  for (const [place, good] of places) {
    const control = assertion();
    place(control, good);
    readAssertion(control);
    for (const value of bad) {
      const a = assertion();
      place(a, value);
      throwsCode(() => readAssertion(a), 'ERR_SAML_INVALID');
    }
  }
});
