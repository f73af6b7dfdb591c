import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { MssSession } from '../../src/mss/session.ts';
import { loadSession, persistSession, saveSession } from '../../src/mss/token-store.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';
import { sampleTokens } from './_psc-fixtures.ts';

test('saveSession then loadSession: the same tokens, mode 0600, lastActivityAt kept', async (t) => {
  const file = join(tempDir(t), 'sub', 'mss-token.json');
  const tokens = { ...sampleTokens(TEST_NOW), idToken: 'id.token.here', extra: 'not stored' };
  await saveSession(file, tokens, { lastActivityAt: TEST_NOW + 5_000 });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(!readFileSync(file, 'utf8').includes('not stored'));
  const loaded = await loadSession(file);
  const { extra: _extra, ...expected } = tokens;
  assert.deepEqual(loaded, { ...expected, lastActivityAt: TEST_NOW + 5_000 });
});

test('without lastActivityAt, a stored session keeps its own, and plain tokens use the login time', async (t) => {
  const dir = tempDir(t);
  const a = join(dir, 'a.json');
  await saveSession(a, sampleTokens(TEST_NOW));
  assert.equal((await loadSession(a)).lastActivityAt, TEST_NOW);
  const b = join(dir, 'b.json');
  await saveSession(b, { ...sampleTokens(TEST_NOW), lastActivityAt: TEST_NOW + 7 } as never);
  assert.equal((await loadSession(b)).lastActivityAt, TEST_NOW + 7);
});

test('persistSession stores the session after use: the next process sees its activity (idle rule)', async (t) => {
  const file = join(tempDir(t), 'token.json');
  const clock = new FrozenClock(TEST_NOW);
  const first = new MssSession({ tokens: sampleTokens(TEST_NOW, 60 * 60_000), clock });
  clock.advance(10 * 60_000);
  await first.accessToken();
  await persistSession(file, first);
  clock.advance(10 * 60_000); // 10 min after the last use, 20 after the login
  const second = new MssSession({ tokens: await loadSession(file), clock });
  assert.ok(await second.accessToken());
  clock.advance(15 * 60_000);
  const third = new MssSession({ tokens: await loadSession(file), clock });
  await rejectsCode(third.accessToken(), 'ERR_MSS_SESSION_IDLE');
});

test('a missing file is ERR_MSS_LOGIN_REQUIRED', async (t) => {
  const e = await rejectsCode(loadSession(join(tempDir(t), 'none.json')), 'ERR_MSS_LOGIN_REQUIRED');
  assert.match(e.message, /none\.json/);
});

test('a directory is ERR_FILE_UNREADABLE; a corrupt file ERR_FILE_UNREADABLE (corrupt), no content in the error', async (t) => {
  const dir = tempDir(t);
  const sub = join(dir, 'dir');
  mkdirSync(sub);
  await rejectsCode(loadSession(sub), 'ERR_FILE_UNREADABLE');
  const cases: Record<string, string> = {
    'not-json': '{"accessToken": "secret-abc"',
    array: '[]',
    'other-format': JSON.stringify({ format: 'x', version: 1 }),
    'other-version': JSON.stringify({ format: 'passerelle-mss-session', version: 2 }),
    'no-expiry': JSON.stringify({
      format: 'passerelle-mss-session',
      version: 1,
      tokens: { accessToken: 'secret-abc', loggedInAt: 1 },
      lastActivityAt: 1,
    }),
    'bad-refresh': JSON.stringify({
      format: 'passerelle-mss-session',
      version: 1,
      tokens: { accessToken: 'secret-abc', expiresAt: 2, loggedInAt: 1, refreshToken: 5 },
      lastActivityAt: 1,
    }),
  };
  for (const [name, text] of Object.entries(cases)) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, text);
    const e = await rejectsCode(loadSession(file), 'ERR_FILE_UNREADABLE');
    assert.equal(e.details['reason'], 'corrupt', name);
    assert.ok(!JSON.stringify(e.toJSON()).includes('secret-abc'), name);
  }
});

test('an unwritable place is ERR_FILE_UNWRITABLE, without the token in the error', async (t) => {
  const dir = tempDir(t);
  const blocker = join(dir, 'file');
  writeFileSync(blocker, 'x');
  const tokens = sampleTokens(TEST_NOW);
  const e = await rejectsCode(saveSession(join(blocker, 'token.json'), tokens), 'ERR_FILE_UNWRITABLE');
  assert.ok(!JSON.stringify(e.toJSON()).includes(tokens.accessToken));
});
