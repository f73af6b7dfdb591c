/**
 * Debian's poppler-utils as the independent reader of the form PDFs: `pdftotext -layout` for
 * the text a person would read, `pdftoppm` for the rendered page. Same rule as
 * test/_support/peers.ts: missing locally, the test is skipped; missing under CI=true, it fails.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { peerPresent, requirePeer, runPeer } from '../../_support/peers.ts';

/** For a test that is all about the rendered PDF: true when poppler is there, else the test is skipped. */
export const requirePoppler = (t: TestContext): boolean => requirePeer(t, 'poppler');

/** For a test with checks of its own besides the PDF text: the poppler part is left out, with a note. */
export const popplerPresent = (t: TestContext): boolean => peerPresent(t, 'poppler');

/** Writes the PDF into `dir` and returns what `pdftotext -layout` reads from it. */
export function pdfText(pdf: Uint8Array, dir: string, name: string): string {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  const r = runPeer('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-']);
  assert.equal(r.status, 0, `pdftotext failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * The text in content-stream order (`pdftotext -raw`), all white space collapsed: a wrapped
 * table cell reads as one phrase, where the layout mode interleaves it with its neighbours.
 */
export function pdfRawText(pdf: Uint8Array, dir: string, name: string): string {
  const path = join(dir, `${name}-raw.pdf`);
  writeFileSync(path, pdf);
  const r = runPeer('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-']);
  assert.equal(r.status, 0, `pdftotext failed: ${r.stderr}`);
  return r.stdout.replace(/\s+/g, ' ');
}

/** Renders page 1 with `pdftoppm -png -r 60` and returns the PNG's width and height. */
export function renderFirstPage(
  pdf: Uint8Array,
  dir: string,
  name: string,
): { width: number; height: number } {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  const r = runPeer('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    path,
    join(dir, name),
  ]);
  assert.equal(r.status, 0, `pdftoppm failed: ${r.stderr}`);
  const png = readFileSync(join(dir, `${name}.png`));
  assert.deepEqual(
    [...png.subarray(0, 8)],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    'a PNG signature',
  );
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** pdftotext lays a form out in columns: compare with runs of spaces collapsed. */
export function squeeze(text: string): string {
  return text.replace(/[ \t]+/g, ' ');
}
