import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { _manifestRows } from '../../src/batch/_manifest-rows.ts';
import { tempDir } from '../_support/tmp.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

it('a manifest of 200,000 rows is read row by row: the heap stays flat, the file is never held whole', async (t) => {
  const path = join(tempDir(t), 'big.csv');
  const out = createWriteStream(path);
  out.write('recipient,messageType,title,file,ticket\r\n');
  for (let i = 0; i < 200_000; i++) {
    const line = `85073003328,PASSERELLE_PAYMENT_STATEMENT,"Relevé n° ${i}, ""décembre"" ${'x'.repeat(20)}",docs/${i}.pdf,T-${i}\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const size = statSync(path).size;
  assert.ok(size > 20 * 1024 * 1024, `the manifest is ${size} bytes`);
  const heap: number[] = [];
  let rows = 0;
  for await (const row of _manifestRows(path, 'csv')) {
    rows++;
    assert.equal(row.error, undefined);
    if (rows % 40_000 === 0) {
      gc();
      heap.push(process.memoryUsage().heapUsed);
    }
  }
  assert.equal(rows, 200_000);
  const growth = Math.max(...heap) - Math.min(...heap);
  t.diagnostic(
    `heap after GC at every 40,000 rows (MB): ${heap.map((h) => (h / 1048576).toFixed(1)).join(' ')}`,
  );
  assert.ok(growth < 4 * 1024 * 1024, `the heap grew by ${growth} bytes while reading ${size}`);
});
