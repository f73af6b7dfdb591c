import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError, PasserelleError } from '../../src/errors.ts';
import { _accessToken } from '../../src/oauth/_access-token.ts';
import { TokenCache } from '../../src/oauth/token-cache.ts';
import { TEST_NOW } from '../_support/credentials.ts';

function counter(clock: FrozenClock, lifetime = 600) {
  let n = 0;
  const fetch = async () => {
    n++;
    await new Promise((r) => setImmediate(r));
    return _accessToken(`token-${n}`, lifetime, 'scope:demo:consult', clock.now());
  };
  return { fetch, count: () => n };
}

test('50 concurrent first callers share one request (single-flight)', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const cache = new TokenCache({ clock });
  const { fetch, count } = counter(clock);
  const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get('k', fetch)));
  assert.equal(count(), 1);
  assert.ok(tokens.every((t) => t.value === 'token-1'));
});

test('a token is reused until the refresh margin, then refreshed ahead of expiry', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const cache = new TokenCache({ clock, refreshMarginSeconds: 60 });
  const { fetch, count } = counter(clock, 600);
  assert.equal((await cache.get('k', fetch)).value, 'token-1');
  clock.advance(539_000);
  for (let i = 0; i < 1000; i++) await cache.get('k', fetch);
  assert.equal(count(), 1);
  clock.advance(2_000); // 59 s left: inside the margin
  assert.equal((await cache.get('k', fetch)).value, 'token-2');
  assert.equal(count(), 2);
});

test('the margin is capped at half a short lifetime', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const cache = new TokenCache({ clock, refreshMarginSeconds: 60 });
  const { fetch, count } = counter(clock, 30);
  await cache.get('k', fetch);
  clock.advance(14_000);
  await cache.get('k', fetch);
  assert.equal(count(), 1);
  clock.advance(2_000);
  await cache.get('k', fetch);
  assert.equal(count(), 2);
});

test('keys are separate; invalidate drops only the token it names; forceRefresh skips the cache', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const cache = new TokenCache({ clock });
  const { fetch, count } = counter(clock);
  const a = await cache.get('a', fetch);
  await cache.get('b', fetch);
  assert.equal(count(), 2);
  cache.invalidate('a', 'not-the-token');
  assert.equal((await cache.get('a', fetch)).value, a.value);
  cache.invalidate('a', a.value);
  assert.equal((await cache.get('a', fetch)).value, 'token-3');
  assert.equal((await cache.get('a', fetch, { forceRefresh: true })).value, 'token-4');
});

test('failures are not cached; a failed early refresh keeps the still-valid token', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const cache = new TokenCache({ clock, refreshMarginSeconds: 60 });
  const fail = async () => {
    throw new PasserelleError('ERR_OAUTH_SERVER_ERROR', 'down');
  };
  await assert.rejects(cache.get('k', fail), (e) => isPasserelleError(e, 'ERR_OAUTH_SERVER_ERROR'));
  const { fetch } = counter(clock, 600);
  const first = await cache.get('k', fetch);
  clock.advance(570_000); // inside the margin, 30 s left
  assert.equal((await cache.get('k', fail)).value, first.value);
  clock.advance(27_000); // 3 s left: no longer usable
  await assert.rejects(cache.get('k', fail), (e) => isPasserelleError(e, 'ERR_OAUTH_SERVER_ERROR'));
});

test('a synchronous throw in the fetcher still clears the in-flight slot', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const cache = new TokenCache({ clock });
  await assert.rejects(
    cache.get('k', () => {
      throw new PasserelleError('ERR_OAUTH_SERVER_ERROR', 'sync');
    }),
    (e) => isPasserelleError(e, 'ERR_OAUTH_SERVER_ERROR'),
  );
  const { fetch, count } = counter(clock);
  await cache.get('k', fetch);
  assert.equal(count(), 1);
});

test('the token value never shows in JSON or inspection', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const token = _accessToken('secret-token-value', 600, undefined, clock.now());
  assert.equal(token.value, 'secret-token-value');
  assert.doesNotMatch(JSON.stringify(token), /secret-token-value/);
  const { inspect } = await import('node:util');
  assert.doesNotMatch(inspect(token), /secret-token-value/);
  assert.deepEqual(Object.keys(token).sort(), [
    'expiresAt',
    'expiresIn',
    'fingerprint',
    'scope',
    'tokenType',
  ]);
  assert.match(token.fingerprint, /^sha256:[0-9a-f]{16}$/);
});
