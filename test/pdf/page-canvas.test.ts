import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PDFDocument, type PDFPage, StandardFonts } from 'pdf-lib';
import { createDocument, embedStandardFonts, PageCanvas, type PageFormat } from '../../src/pdf/index.ts';

const FORMAT: PageFormat = { size: [400, 300], margin: 20, footer: 10 };
const DATE = new Date('2026-12-03T10:00:00Z');

class TestCanvas extends PageCanvas {
  static async make(): Promise<TestCanvas> {
    return new TestCanvas(await createDocument({ title: 't', subject: 's', language: 'en' }), FORMAT);
  }
  bytes(draw: (page: PDFPage, index: number, count: number) => void): Promise<Uint8Array> {
    return this.finish(draw);
  }
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

test('createDocument: title, subject, keywords, language, Passerelle as creator and producer, the given date', async () => {
  const doc = await createDocument({
    title: 'Rapport',
    subject: 'Conformité',
    keywords: ['a', 'b'],
    language: 'fr-FR',
    date: DATE,
  });
  doc.addPage();
  const back = await PDFDocument.load(await doc.save(), { updateMetadata: false });
  assert.equal(back.getTitle(), 'Rapport');
  assert.equal(back.getSubject(), 'Conformité');
  assert.equal(back.getKeywords(), 'a b');
  assert.equal(back.getCreator(), 'Passerelle');
  assert.equal(back.getProducer(), 'Passerelle (pdf-lib)');
  assert.equal(back.getCreationDate()?.toISOString(), DATE.toISOString());
  assert.equal(back.getModificationDate()?.toISOString(), DATE.toISOString());
  assert.match(latin1(await back.save({ useObjectStreams: false })), /\/Lang \(fr-FR\)/);
});

test('createDocument: no date and no keywords unless given (the clock is never read)', async () => {
  const doc = await createDocument({ title: 'Form', subject: 'S', language: 'nl-BE' });
  doc.addPage();
  const raw = latin1(await doc.save({ useObjectStreams: false }));
  assert.ok(!raw.includes('/CreationDate') && !raw.includes('/ModDate') && !raw.includes('/Keywords'));
  assert.match(raw, /\/Lang \(nl-BE\)/);
});

test('embedStandardFonts: one font per key, embedded in the order of the keys', async () => {
  const doc = await createDocument({ title: 't', subject: 's', language: 'en' });
  const fonts = await embedStandardFonts(doc, {
    mono: StandardFonts.Courier,
    regular: StandardFonts.Helvetica,
  });
  assert.deepEqual(Object.keys(fonts), ['mono', 'regular']);
  assert.equal(fonts.mono.name, 'Courier');
  assert.equal(fonts.regular.name, 'Helvetica');
  assert.ok(fonts.mono.ref.objectNumber < fonts.regular.ref.objectNumber);
});

test('PageCanvas: starts with one page of the format, the cursor at the top margin', async () => {
  const c = await TestCanvas.make();
  assert.equal(c.pages.length, 1);
  assert.deepEqual(c.page.getSize(), { width: 400, height: 300 });
  assert.equal(c.y, 20);
  assert.equal(c.left, 20);
  assert.equal(c.width, 360);
  assert.equal(c.bottom, 270);
});

test('PageCanvas: ensure turns the page only when the height does not fit, and never from the top', async () => {
  const c = await TestCanvas.make();
  c.ensure(250);
  assert.equal(c.pages.length, 1, 'exactly fits');
  c.ensure(1000);
  assert.equal(c.pages.length, 1, 'taller than a page: no blank page from the top');
  c.y = 200;
  c.ensure(70);
  assert.equal(c.pages.length, 1);
  c.ensure(71);
  assert.equal(c.pages.length, 2);
  assert.equal(c.y, 20);
  assert.equal(c.page, c.pages[1]);
});

test('PageCanvas: finish draws on every page in turn, each the current page, then gives the bytes', async () => {
  const c = await TestCanvas.make();
  c.addPage();
  c.addPage();
  const calls: [number, number, boolean][] = [];
  const bytes = await c.bytes((page, i, n) => calls.push([i, n, page === c.page && page === c.pages[i]]));
  assert.deepEqual(calls, [
    [0, 3, true],
    [1, 3, true],
    [2, 3, true],
  ]);
  assert.equal((await PDFDocument.load(bytes)).getPageCount(), 3);
  assert.ok(!latin1(bytes).includes('/ObjStm'), 'no object streams: plain objects poppler and diff can read');
});
