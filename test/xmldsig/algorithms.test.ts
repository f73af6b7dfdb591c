import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DIGEST_HASH,
  digestHashOf,
  SIGNATURE_SCHEME,
  signatureSchemeOf,
} from '../../src/xmldsig/algorithms.ts';

// A URI read from a message is a fresh string, not the constant itself.
const fresh = (s: string): string => ` ${s}`.slice(1);

test('digestHashOf and signatureSchemeOf answer as the tables for every entry, given a fresh string', () => {
  for (const [uri, hash] of Object.entries(DIGEST_HASH)) assert.equal(digestHashOf(fresh(uri)), hash);
  for (const [uri, scheme] of Object.entries(SIGNATURE_SCHEME))
    assert.equal(signatureSchemeOf(fresh(uri)), scheme);
});

test('digestHashOf and signatureSchemeOf know only the own entries (no prototype names, no near misses)', () => {
  for (const uri of ['', 'constructor', 'toString', '__proto__', 'http://www.w3.org/2000/09/xmldsig#sha1']) {
    assert.equal(digestHashOf(uri), undefined);
    assert.equal(signatureSchemeOf(uri), undefined);
  }
  assert.equal(digestHashOf('http://www.w3.org/2001/04/xmlenc#sha256 '), undefined);
  assert.equal(signatureSchemeOf('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256#'), undefined);
});
