import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ErrorCode } from '../src/errors.ts';
import { checkXmlDeclaration, decodeUtf8, decodeXml } from '../src/utf8.ts';
import { throwsCode } from './_support/assert-code.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const BOM = [0xef, 0xbb, 0xbf];

test('decodeXml: UTF-8 text as is, multi-byte characters included; one leading BOM dropped', () => {
  assert.equal(decodeXml(bytes('<a>é€𝄞</a>')), '<a>é€𝄞</a>');
  assert.equal(decodeXml(bytes(BOM, '<a/>')), '<a/>');
  const declared = '<?xml version="1.0" encoding="UTF-8"?><a/>';
  assert.equal(decodeXml(bytes(declared)), declared);
  assert.equal(decodeXml(bytes(BOM, "<?xml version='1.0' encoding='utf-8'?><a/>")).charAt(0), '<');
  assert.equal(decodeXml(bytes('<?xml version="1.0"?><a/>')), '<?xml version="1.0"?><a/>');
  assert.equal(decodeXml(new Uint8Array(0)), '');
});

test('decodeXml: bytes that are not UTF-8 are ERR_XML_ENCODING (never U+FFFD)', () => {
  const cases: [string, number[]][] = [
    ['a Latin-1 é', [0xe9]],
    ['a lone continuation byte', [0x80]],
    ['0xFF', [0xff]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ];
  for (const [what, bad] of cases) {
    assert.throws(
      () => decodeXml(bytes('<a>', bad, '</a>')),
      (e: unknown) => (e as { code?: string }).code === 'ERR_XML_ENCODING',
      what,
    );
  }
  throwsCode(() => decodeXml(bytes('<a>', [0xe2, 0x82])), 'ERR_XML_ENCODING');
});

test('decodeXml: two byte order marks are ERR_XML_ENCODING', () => {
  throwsCode(() => decodeXml(bytes(BOM, BOM, '<a/>')), 'ERR_XML_ENCODING');
});

test('decodeXml: UTF-16 and UTF-32, with or without a BOM, are ERR_XML_UNSUPPORTED_ENCODING', () => {
  const utf16le = Buffer.from('<a/>', 'utf16le');
  const utf16be = Buffer.from(utf16le).swap16();
  const cases: Buffer[] = [
    Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]),
    Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]),
    utf16le,
    utf16be,
    Buffer.from([0x00, 0x00, 0xfe, 0xff, 0, 0, 0, 0x3c]),
    Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x3c, 0, 0, 0]),
    Buffer.from([0x3c, 0, 0, 0, 0x61, 0, 0, 0]),
  ];
  for (const b of cases) throwsCode(() => decodeXml(b), 'ERR_XML_UNSUPPORTED_ENCODING');
});

test('an XML declaration naming another encoding than UTF-8 is ERR_XML_UNSUPPORTED_ENCODING', () => {
  const refused: [string, ErrorCode][] = [
    ['<?xml version="1.0" encoding="ISO-8859-1"?><a/>', 'ERR_XML_UNSUPPORTED_ENCODING'],
    ["<?xml version='1.0' encoding='windows-1252' standalone='yes'?><a/>", 'ERR_XML_UNSUPPORTED_ENCODING'],
    ['<?xml version="1.0" encoding="US-ASCII"?><a/>', 'ERR_XML_UNSUPPORTED_ENCODING'],
    ['<?xml version="1.0" encoding="UTF-16"?><a/>', 'ERR_XML_UNSUPPORTED_ENCODING'],
    ['<?xml version="1.0" encoding="UTF8"?><a/>', 'ERR_XML_UNSUPPORTED_ENCODING'],
    ['<?xml version="1.0"\r\n  encoding = "latin1"?><a/>', 'ERR_XML_UNSUPPORTED_ENCODING'],
    ['\ufeff<?xml version="1.0" encoding="ISO-8859-1"?><a/>', 'ERR_XML_UNSUPPORTED_ENCODING'],
  ];
  for (const [text, code] of refused) {
    throwsCode(() => checkXmlDeclaration(text), code);
    throwsCode(() => decodeXml(bytes(text)), code);
  }
  for (const text of [
    '<?xml version="1.0" encoding="UTF-8"?><a/>',
    '<?xml version="1.0" encoding="utf-8"?><a/>',
    '<?xml version="1.0"?><a encoding="ISO-8859-1"/>',
    '<a/><!-- <?xml version="1.0" encoding="ISO-8859-1"?> -->',
    '<a/>',
  ]) {
    checkXmlDeclaration(text);
  }
});

test('decodeUtf8 (JSON bodies): strict, one BOM dropped; invalid bytes throw for the caller to map', () => {
  assert.equal(decodeUtf8(bytes(BOM, '{"a":"é"}')), '{"a":"é"}');
  assert.throws(() => decodeUtf8(bytes('{"a":"', [0xe9], '"}')), {
    name: 'TypeError',
    code: 'ERR_ENCODING_INVALID_ENCODED_DATA',
  });
});
