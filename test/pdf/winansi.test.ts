import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PasserelleError } from '../../src/errors.ts';
import { isWinAnsi, mapWinAnsi, standIn } from '../../src/pdf/index.ts';
import { throwsCode } from '../_support/assert-code.ts';

test('isWinAnsi: printable ASCII, Latin-1 from U+00A0, and the 27 characters WinAnsi puts in 0x80–0x9F', () => {
  for (const cp of [0x20, 0x41, 0x7e, 0xa0, 0xe9, 0xff, 0x20ac, 0x2019, 0x2014, 0x0152, 0x0178, 0x2122]) {
    assert.equal(isWinAnsi(cp), true, `U+${cp.toString(16)}`);
  }
  for (const cp of [
    0x00, 0x09, 0x0a, 0x1f, 0x7f, 0x80, 0x85, 0x9f, 0x0100, 0x0142, 0x2192, 0x4e2d, 0x1f642,
  ]) {
    assert.equal(isWinAnsi(cp), false, `U+${cp.toString(16)}`);
  }
});

test('standIn: the shared table, then the letter without its marks', () => {
  assert.equal(standIn('ł'), 'l');
  assert.equal(standIn('Ł'), 'L');
  assert.equal(standIn('\u2192'), '->');
  assert.equal(standIn('\u2265'), '>=');
  assert.equal(standIn('\u2212'), '-');
  assert.equal(standIn('\u202f'), ' ');
  assert.equal(standIn('\u200b'), '');
  assert.equal(standIn('ő'), 'o');
  assert.equal(standIn('ć'), 'c');
  assert.equal(standIn('Ş'), 'S');
});

test("standIn: a producer's own entries come first, and add to the table", () => {
  assert.equal(standIn('ĸ'), undefined);
  assert.equal(standIn('ĸ', { ĸ: 'k' }), 'k');
  assert.equal(standIn('ł', { ł: 'l/' }), 'l/');
  assert.equal(standIn('\u2060', { '\u2060': '' }), '', 'an empty stand-in is a stand-in');
});

test('standIn: nothing for what has no WinAnsi stand-in (CJK, emoji, musical symbol, a lone mark)', () => {
  for (const char of ['中', '🙂', '𝄞', '\u0301', '\u21d2', 'Ω']) assert.equal(standIn(char), undefined, char);
});

test('mapWinAnsi: WinAnsi kept as is, text in NFC, CR LF and CR folded to "\\n" before `other` sees it', () => {
  const seen: [string, number][] = [];
  const out = mapWinAnsi('Zoe\u0301 € ’ a\r\nb\rc 🙂', (char, cp) => {
    seen.push([char, cp]);
    return char === '\n' ? '|' : '?';
  });
  assert.equal(out, 'Zoé € ’ a|b|c ?');
  assert.deepEqual(seen, [
    ['\n', 0x0a],
    ['\n', 0x0a],
    ['🙂', 0x1f642],
  ]);
});

test('mapWinAnsi: what `other` throws refuses the text', () => {
  const refuse = (): string => {
    throw new PasserelleError('ERR_ONBOARD_FORM_INVALID', 'cannot be printed');
  };
  throwsCode(() => mapWinAnsi('ok 中', refuse), 'ERR_ONBOARD_FORM_INVALID');
  assert.equal(mapWinAnsi('all WinAnsi: déjà vu', refuse), 'all WinAnsi: déjà vu');
});
