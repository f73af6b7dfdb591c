import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { _xsdFileSet } from '../../src/wsdl/_xsd-files.ts';
import type { WsdlModel } from '../../src/wsdl/types.ts';
import { runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { writeFiles } from './_helpers.ts';

type After = { after: (fn: () => void) => void };

/** The contract's schemas as standalone files (inline WSDL schemas extracted) in a temp dir; returns the main schema's path. */
export function writeXsdSet(t: After, model: WsdlModel): string {
  const dir = tempDir(t);
  const set = _xsdFileSet(model.schemas);
  writeFiles(dir, Object.fromEntries([set.main, ...set.files].map((f) => [f.fileName, f.contents])));
  return join(dir, set.main.fileName);
}

/** Debian's xmllint (native libxml2) on `xml` against `schema`: its exit status and messages. */
export function cliValidate(t: After, schema: string, xml: string): { valid: boolean; output: string } {
  const file = join(tempDir(t), 'doc.xml');
  writeFileSync(file, xml);
  const r = runPeer('xmllint', ['--noout', '--nonet', '--schema', schema, file]);
  assert.ok(r.status === 0 || r.status === 3 || r.status === 4, `xmllint failed (${r.status}): ${r.stderr}`);
  return { valid: r.status === 0, output: r.stderr };
}
