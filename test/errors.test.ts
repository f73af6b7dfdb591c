import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as errors from '../src/errors.ts';

const SRC = new URL('../src/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every code of every `*_CODES` list exported by errors.ts (read from the module, not its text). */
function declaredCodes(): string[] {
  return Object.entries(errors)
    .filter(([name, value]) => name.endsWith('_CODES') && Array.isArray(value))
    .flatMap(([, value]) => value as readonly string[]);
}

test('errors.ts declares its codes in *_CODES lists, each code once', () => {
  const codes = declaredCodes();
  assert.ok(codes.length > 50, `only ${codes.length} codes found: the *_CODES lists have moved?`);
  assert.equal(new Set(codes).size, codes.length, 'a code is declared twice');
  for (const code of codes) assert.match(code, /^ERR_[A-Z0-9_]+$/);
});

test('every declared code is used somewhere in src/ outside errors.ts (as a string literal)', () => {
  const text = sources(SRC)
    .filter((path) => path !== join(SRC, 'errors.ts'))
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
  const used = new Set(text.match(/(?<=['"`])ERR_[A-Z0-9_]+(?=['"`])/g) ?? []);
  const unused = declaredCodes().filter((code) => !used.has(code));
  assert.deepEqual(unused, [], `declared in src/errors.ts but never used in src/: ${unused.join(', ')}`);
});
