import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { _csvRecords } from '../../src/batch/_csv.ts';
import { _jsonlRecords } from '../../src/batch/_jsonl.ts';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The text cut into chunks of `size` characters: a record or a "" may straddle two chunks. */
async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const CSV =
  '\uFEFFrecipient,title,file\r\n' +
  '85073003328,"Relevé, ""mai""",a.pdf\r\n' +
  '\r\n' +
  '05031212360,"two\r\nlines",b.pdf\n' +
  '91451545659,,c.pdf';

describe('CSV (RFC 4180), streamed', () => {
  it('quotes, doubled quotes, commas and line breaks inside quotes, CRLF and LF, BOM, empty lines: the same whatever the chunking', async () => {
    const expected = [
      { line: 1, fields: ['recipient', 'title', 'file'] },
      { line: 2, fields: ['85073003328', 'Relevé, "mai"', 'a.pdf'] },
      { line: 4, fields: ['05031212360', 'two\r\nlines', 'b.pdf'] },
      { line: 6, fields: ['91451545659', '', 'c.pdf'] },
    ];
    for (const size of [1, 2, 3, 7, 1000])
      assert.deepEqual(await collect(_csvRecords(chunks(CSV, size))), expected, `chunks of ${size}`);
  });

  it('a malformed record is reported with its line and reading goes on', async () => {
    const text = 'a,b\n1,x"y\n2,"z"w\n3,ok\n4,"never closed\n5,x\n';
    const records = await collect(_csvRecords(chunks(text, 4)));
    assert.deepEqual(
      records.map((r) => [r.line, r.error ?? null]),
      [
        [1, null],
        [2, 'a quote inside an unquoted field'],
        [3, 'text after a closing quote'],
        [4, null],
        [5, 'a quoted field is never closed'],
      ],
    );
  });

  it('a quote closing the last field at the very end of the input', async () => {
    assert.deepEqual(await collect(_csvRecords(chunks('a,"b"', 1))), [{ line: 1, fields: ['a', 'b'] }]);
    assert.deepEqual(await collect(_csvRecords(chunks('"a"""', 2))), [{ line: 1, fields: ['a"'] }]);
  });
});

describe('JSON Lines, streamed', () => {
  it('one object per line, CRLF, blank lines and a BOM; a line that is not a JSON object is reported by line', async () => {
    const text = '\uFEFF{"a":1}\r\n\r\n{"b":"x\\ny"}\nnot json\n[1]\n{"c":true}';
    for (const size of [1, 5, 1000]) {
      const records = await collect(_jsonlRecords(chunks(text, size)));
      assert.deepEqual(records, [
        { line: 1, value: { a: 1 } },
        { line: 3, value: { b: 'x\ny' } },
        { line: 4, error: 'the line is not valid JSON' },
        { line: 5, error: 'the line is not a JSON object' },
        { line: 6, value: { c: true } },
      ]);
    }
  });
});
