import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPasserelleError } from '../src/errors.ts';
import { checkInputFile, describeFileFailure, readInputFile } from '../src/input-file.ts';
import { tempDir } from './_support/tmp.ts';

test('a missing input file is ERR_FILE_NOT_FOUND with the path in message and details, and the flag in the hint', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'nope.xml');
  for (const read of [readInputFile, checkInputFile]) {
    await assert.rejects(read(path, { what: 'file to upload', setting: '--file' }), (e) => {
      assert.ok(isPasserelleError(e, 'ERR_FILE_NOT_FOUND'), String(e));
      assert.equal(e.message, `Cannot read the file to upload ${path}: it does not exist`);
      assert.deepEqual(e.details, { path, errno: 'ENOENT', setting: '--file' });
      assert.match(e.hint, /--file .*current directory/);
      assert.doesNotMatch(e.message, /ENOENT|no such file/);
      return true;
    });
  }
});

test('a directory or an unreadable file is ERR_FILE_UNREADABLE; a configuration key resolves from the configuration', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'sub'));
  for (const read of [readInputFile, checkInputFile]) {
    await assert.rejects(read(join(dir, 'sub'), { what: 'trust file', setting: '--pin' }), (e) => {
      assert.ok(isPasserelleError(e, 'ERR_FILE_UNREADABLE'), String(e));
      assert.match(e.message, /: it is a directory$/);
      assert.equal(e.details['errno'], 'EISDIR');
      assert.match(e.hint, /--pin must name a file, not a directory/);
      return true;
    });
  }
  const locked = join(dir, 'locked.pem');
  writeFileSync(locked, 'x');
  chmodSync(locked, 0o000);
  // root reads anything: the permission case can only be seen as another user.
  if (process.getuid?.() !== 0) {
    await assert.rejects(readInputFile(locked, { what: 'trust file' }), (e) => {
      assert.ok(isPasserelleError(e, 'ERR_FILE_UNREADABLE'), String(e));
      assert.match(e.message, /permission denied$/);
      return true;
    });
  }
  const fromConfig = describeFileFailure(
    Object.assign(new Error('x'), { code: 'ENOENT' }),
    '/x',
    'environments.acpt.trust.sts',
  );
  assert.equal(fromConfig.missing, true);
  assert.match(fromConfig.hint, /environments\.acpt\.trust\.sts .*configuration file's directory/);
});

test('checkInputFile returns the size of a readable regular file', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'f.bin'), Buffer.alloc(1234));
  assert.equal(await checkInputFile(join(dir, 'f.bin'), { what: 'file' }), 1234);
  assert.equal((await readInputFile(join(dir, 'f.bin'), { what: 'file' })).length, 1234);
});
