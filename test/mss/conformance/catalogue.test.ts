import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOGUE, CATALOGUE_VERSION, findCase } from '../../../src/mss/conformance/index.ts';

/** Every case issue 14 lists, by id: changing this list is a catalogue change. */
const ISSUE_14_CASES = [
  'imap.tls12-accepted',
  'imap.tls10-refused',
  'imap.tls11-refused',
  'smtp.tls12-accepted',
  'smtp.tls10-refused',
  'smtp.tls11-refused',
  'both.server-certificate',
  'both.server-hostname',
  'imap.xoauth2-advertised-after-tls',
  'smtp.xoauth2-advertised-after-tls',
  'both.no-auth-before-tls',
  'both.no-plaintext-login-before-tls',
  'imap.psc-token-accepted',
  'smtp.psc-token-accepted',
  'both.expired-token-refused',
  'both.foreign-issuer-token-refused',
  'both.other-professional-token-refused',
  'both.malformed-xoauth2-refused',
  'both.rfc7628-failure-exchange',
  'both.client-certificate-accepted',
  'both.untrusted-client-certificate-refused',
  'both.smtp-imap-round-trip',
  'operator-interface.inbound-delivery',
  'psc.introspection-used',
  'both.session-idle-timeout',
];

test('catalogue: the exact id list, versioned', () => {
  assert.deepEqual(
    CATALOGUE.map((c) => c.id),
    ISSUE_14_CASES,
  );
  assert.match(CATALOGUE_VERSION, /^\d{4}\.\d{2}-\d+$/);
});

test('catalogue: ids unique, kebab-case with a protocol prefix', () => {
  assert.equal(new Set(CATALOGUE.map((c) => c.id)).size, CATALOGUE.length);
  for (const c of CATALOGUE) {
    assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/, c.id);
    assert.ok(c.id.startsWith(`${c.protocol}.`), `${c.id} does not start with ${c.protocol}`);
  }
});

test('catalogue: every case has a requirement with a source and a rationale', () => {
  for (const c of CATALOGUE) {
    assert.match(c.requirement, /\((?:[^()]*)(seed 004|PROTOCOLS §9|RFC \d+)/, `${c.id}: no source`);
    assert.ok(c.rationale.length > 40, `${c.id}: rationale too short`);
    assert.ok(['blocking', 'major', 'minor', 'informational'].includes(c.severity), c.id);
    assert.ok(['psc', 'client-certificate', 'any'].includes(c.accessMode), c.id);
  }
});

test('catalogue: dependsOn refers to existing ids, no self-dependency, no cycle', () => {
  const byId = new Map(CATALOGUE.map((c) => [c.id, c]));
  for (const c of CATALOGUE)
    for (const d of c.dependsOn) {
      assert.ok(byId.has(d), `${c.id} depends on unknown ${d}`);
      assert.notEqual(d, c.id);
    }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    assert.notEqual(state.get(id), 'visiting', `cycle: ${[...path, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const d of byId.get(id)?.dependsOn ?? []) visit(d, [...path, id]);
    state.set(id, 'done');
  };
  for (const c of CATALOGUE) visit(c.id, []);
});

test('catalogue: the severities the issue asks for', () => {
  const sev = (id: string) => findCase(id)?.severity;
  for (const id of [
    'both.expired-token-refused',
    'both.foreign-issuer-token-refused',
    'both.other-professional-token-refused',
    'both.untrusted-client-certificate-refused',
  ])
    assert.equal(sev(id), 'blocking', id);
  for (const id of ['imap.tls10-refused', 'smtp.tls10-refused', 'imap.tls11-refused', 'smtp.tls11-refused'])
    assert.equal(sev(id), 'major', id);
  assert.equal(sev('both.session-idle-timeout'), 'informational');
  assert.equal(findCase('no.such-case'), undefined);
});

test('catalogue: a case is listed after every case it depends on (a runner can go in order)', () => {
  const index = new Map(CATALOGUE.map((c, i) => [c.id, i]));
  for (const c of CATALOGUE)
    for (const d of c.dependsOn)
      assert.ok((index.get(d) ?? Infinity) < (index.get(c.id) ?? -1), `${c.id} listed before ${d}`);
});
