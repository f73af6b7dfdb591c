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

test('every code of every list has a default hint, used when an error is created without one', () => {
  const codes = declaredCodes();
  assert.deepEqual(
    Object.keys(errors.DEFAULT_HINTS).sort(),
    [...codes].sort(),
    'hints for exactly the codes',
  );
  for (const code of codes as errors.ErrorCode[]) {
    const hint = errors.DEFAULT_HINTS[code];
    assert.ok(hint.trim().length > 10, `${code}: no real hint`);
    const e = new errors.PasserelleError(code, 'something failed');
    assert.equal(e.hint, hint, `${code}: the default hint applies`);
    assert.deepEqual(e.toJSON(), { code, message: 'something failed', hint, details: {} });
  }
  const specific = new errors.PasserelleError('ERR_USAGE', 'bad', { hint: 'Use --x.', details: { a: 1 } });
  assert.equal(specific.hint, 'Use --x.');
  assert.deepEqual(specific.toJSON(), {
    code: 'ERR_USAGE',
    message: 'bad',
    hint: 'Use --x.',
    details: { a: 1 },
  });
  assert.equal(
    new errors.PasserelleError('ERR_USAGE', 'bad', { hint: '' }).hint,
    errors.DEFAULT_HINTS.ERR_USAGE,
  );
});
