import assert from 'node:assert/strict';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPasserelleError } from '../src/errors.ts';
import { writeSecretFile } from '../src/secret-file.ts';
import { tempDir } from './_support/tmp.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

test('a new secret file is 0600 with the data, and nothing else is left in the directory', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'token');
  await writeSecretFile(path, 'secret-value');
  assert.equal(readFileSync(path, 'utf8'), 'secret-value');
  assert.equal(mode(path), 0o600);
  assert.deepEqual(readdirSync(dir), ['token']);
});

test('overwriting a 0644 file leaves a 0600 file with the new data', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'key.pem');
  writeFileSync(path, 'old', { mode: 0o644 });
  chmodSync(path, 0o644);
  await writeSecretFile(path, Buffer.from('new'));
  assert.equal(readFileSync(path, 'utf8'), 'new');
  assert.equal(mode(path), 0o600);
  assert.deepEqual(readdirSync(dir), ['key.pem']);
});

test('a missing directory is created 0700', async (t) => {
  const dir = join(tempDir(t), 'state', 'tokens');
  await writeSecretFile(join(dir, 'a.json'), '{}');
  assert.equal(mode(dir), 0o700);
  assert.equal(mode(join(dir, 'a.json')), 0o600);
});

test('a symlink at the target is replaced, the file it points to is not written', async (t) => {
  const dir = tempDir(t);
  const elsewhere = join(dir, 'elsewhere');
  writeFileSync(elsewhere, 'untouched', { mode: 0o644 });
  symlinkSync(elsewhere, join(dir, 'token'));
  await writeSecretFile(join(dir, 'token'), 'secret-value');
  assert.equal(readFileSync(elsewhere, 'utf8'), 'untouched');
  assert.ok(!lstatSync(join(dir, 'token')).isSymbolicLink());
  assert.equal(mode(join(dir, 'token')), 0o600);
});

test('a failed write (the target is a directory) is ERR_FILE_UNWRITABLE and leaves no temp file', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'token'));
  writeFileSync(join(dir, 'token', 'inside'), 'x');
  await assert.rejects(writeSecretFile(join(dir, 'token'), 'secret-value'), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_FILE_UNWRITABLE'), String(e));
    assert.equal(e.details['path'], join(dir, 'token'));
    assert.doesNotMatch(JSON.stringify(e.toJSON()), /secret-value/);
    return true;
  });
  assert.deepEqual(readdirSync(dir), ['token'], 'the temp file holding the secret is removed');
  assert.deepEqual(readdirSync(join(dir, 'token')), ['inside']);
});

test('a parent path that is a file is ERR_FILE_UNWRITABLE', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'file'), 'x');
  await assert.rejects(writeSecretFile(join(dir, 'file', 'token'), 'v'), (e) =>
    isPasserelleError(e, 'ERR_FILE_UNWRITABLE'),
  );
  assert.deepEqual(readdirSync(dir), ['file']);
});
