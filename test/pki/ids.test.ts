import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import {
  formatCbe,
  formatInss,
  isValidCbe,
  isValidInss,
  normalizeCbe,
  validateInss,
} from '../../src/pki/ids/index.ts';

// Check digits computed by hand per PROTOCOLS.md §2: 97 − (01234567 mod 97) = 97 − 48 = 49.
test('CBE: valid numbers normalise and format', () => {
  assert.equal(normalizeCbe('0123456749'), '0123456749');
  assert.equal(normalizeCbe('0123.456.749'), '0123456749');
  assert.equal(normalizeCbe('BE 0123 456 749'), '0123456749');
  assert.equal(normalizeCbe('123456749'), '0123456749', 'old 9-digit numbers get a leading 0');
  assert.equal(formatCbe('123456749'), '0123.456.749');
  assert.ok(isValidCbe('0123.456.749'));
});

test('CBE: wrong check digits say which were expected', () => {
  assert.throws(
    () => normalizeCbe('0123456748'),
    (e) =>
      isPasserelleError(e, 'ERR_IDS_CBE_INVALID') &&
      /expected 49/.test(e.message) &&
      e.details['expected'] === '49',
  );
  for (const bad of ['2123456749', '12345', 'abc', '01234567490']) {
    assert.throws(
      () => normalizeCbe(bad),
      (e) => isPasserelleError(e, 'ERR_IDS_CBE_INVALID'),
      bad,
    );
  }
  assert.equal(isValidCbe('0123456748'), false);
});

test('INSS: before and after 2000, BIS, formatting', () => {
  // 850730 033: 97 − (850730033 mod 97) = 28.
  assert.deepEqual(validateInss('85073003328'), {
    inss: '85073003328',
    register: 'rn',
    born2000OrLater: false,
  });
  // 2000+: the check runs over "2" + 9 digits: 97 − (2010203001 mod 97) = 70.
  assert.deepEqual(validateInss('01020300170'), {
    inss: '01020300170',
    register: 'rn',
    born2000OrLater: true,
  });
  // BIS: month + 40. 97 − (854730033 mod 97) = 17.
  assert.equal(validateInss('85473003317').register, 'bis');
  assert.equal(formatInss('85073003328'), '85.07.30-033.28');
  assert.ok(isValidInss('85.07.30-033.28'));
});

test('INSS: errors give both expected check values and never the full number', () => {
  assert.throws(
    () => validateInss('85073003329'),
    (e) =>
      isPasserelleError(e, 'ERR_IDS_INSS_INVALID') &&
      /expected 28 \(born before 2000\) or \d\d/.test(e.message) &&
      !e.message.includes('85073003329'),
  );
  for (const bad of ['1234', '85993003328', 'x5073003328']) {
    assert.throws(
      () => validateInss(bad),
      (e) => isPasserelleError(e, 'ERR_IDS_INSS_INVALID'),
      bad,
    );
  }
});
