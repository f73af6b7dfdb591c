import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { PasserelleError } from '../../src/errors.ts';
import type { PscTokens } from '../../src/mss/psc-tokens.ts';
import { tokensFromAccessToken } from '../../src/mss/psc-tokens.ts';
import { MssSession, sessionLimitsFromConfig } from '../../src/mss/session.ts';
import { rejectsCode, throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { sampleTokens, unsignedJwt } from './_psc-fixtures.ts';

const MIN = 60_000;

/** A refresh that counts its calls and gives tokens valid `ttlMs` from the clock's now. */
function refresher(clock: FrozenClock, ttlMs = 2 * MIN) {
  const calls: PscTokens[] = [];
  const refresh = async (t: PscTokens): Promise<PscTokens> => {
    calls.push(t);
    const now = clock.now();
    const fresh = { accessToken: `access-${calls.length}`, expiresAt: now + ttlMs, loggedInAt: now };
    return { ...t, ...fresh, refreshExpiresAt: now + 30 * MIN };
  };
  return { calls, refresh };
}

test('a token far from its expiry is returned as is, without a refresh', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const tokens = sampleTokens(clock.now());
  const { calls, refresh } = refresher(clock);
  const session = new MssSession({ tokens, clock, refresh });
  assert.equal(await session.accessToken(), tokens.accessToken);
  clock.advance(89_000); // 31 s left
  assert.equal(await session.accessToken(), tokens.accessToken);
  assert.equal(calls.length, 0);
});

test('a token within refreshBeforeMs of its expiry is refreshed first; onTokens gets the new tokens; the login time stays', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const tokens = sampleTokens(clock.now());
  const { calls, refresh } = refresher(clock);
  const persisted: PscTokens[] = [];
  const session = new MssSession({ tokens, clock, refresh, onTokens: (t) => void persisted.push(t) });
  clock.advance(90_000); // 30 s left: refresh
  assert.equal(await session.accessToken(), 'access-1');
  assert.equal(calls.length, 1);
  assert.equal(persisted.length, 1);
  assert.equal(persisted[0]?.accessToken, 'access-1');
  assert.equal(session.tokens.loggedInAt, TEST_NOW, 'a refresh does not restart the 4-hour count');
  assert.equal(await session.accessToken(), 'access-1');
  assert.equal(calls.length, 1);
});

test('15 minutes without activity close the session, for good', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const session = new MssSession({ tokens: sampleTokens(clock.now(), 60 * MIN), clock });
  await session.accessToken();
  clock.advance(15 * MIN - 1);
  await session.accessToken(); // activity at 14:59.999
  clock.advance(15 * MIN);
  const e = await rejectsCode(session.accessToken(), 'ERR_MSS_SESSION_IDLE');
  assert.equal(e.details['idleMinutes'], 15);
  session.touch();
  await rejectsCode(session.accessToken(), 'ERR_MSS_SESSION_IDLE');
  assert.equal(session.closed, true);
  assert.equal(session.state().closedReason, 'idle');
});

test('touch() counts as activity', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const session = new MssSession({ tokens: sampleTokens(clock.now(), 60 * MIN), clock, idleMs: 10 * MIN });
  clock.advance(9 * MIN);
  session.touch();
  clock.advance(9 * MIN);
  assert.ok(await session.accessToken());
});

test('an active session stops 4 hours after the login, refreshes or not', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const { calls, refresh } = refresher(clock);
  const session = new MssSession({ tokens: sampleTokens(clock.now()), clock, refresh });
  for (let elapsed = 0; elapsed < 4 * 60 * MIN - MIN; elapsed += MIN) {
    await session.accessToken();
    clock.advance(MIN);
  }
  await session.accessToken(); // 3 h 59
  assert.ok(calls.length > 100);
  clock.advance(MIN);
  const e = await rejectsCode(session.accessToken(), 'ERR_MSS_SESSION_EXPIRED');
  assert.equal(e.details['reason'], 'max');
  assert.equal(session.state().open, false);
});

test('an expired token is never returned', async (t) => {
  await t.test('no refresh function', async () => {
    const clock = new FrozenClock(TEST_NOW);
    const session = new MssSession({ tokens: sampleTokens(clock.now(), MIN), clock });
    clock.advance(MIN);
    await rejectsCode(session.accessToken(), 'ERR_MSS_TOKEN_EXPIRED');
  });
  await t.test('refresh token expired: no refresh call', async () => {
    const clock = new FrozenClock(TEST_NOW);
    const { calls, refresh } = refresher(clock);
    const tokens = sampleTokens(clock.now(), 5 * MIN, { refreshExpiresAt: clock.now() + 4 * MIN });
    const session = new MssSession({ tokens, clock, refresh });
    clock.advance(5 * MIN);
    await rejectsCode(session.accessToken(), 'ERR_MSS_TOKEN_EXPIRED');
    assert.equal(calls.length, 0);
  });
  await t.test('the refresh answers an already expired token', async () => {
    const clock = new FrozenClock(TEST_NOW);
    const session = new MssSession({
      tokens: sampleTokens(clock.now(), MIN),
      clock,
      refresh: async (old) => ({ ...old, accessToken: 'stale', expiresAt: clock.now() - 1 }),
    });
    clock.advance(MIN);
    await rejectsCode(session.accessToken(), 'ERR_MSS_TOKEN_EXPIRED');
  });
  await t.test('a refused refresh propagates, and the next call tries again', async () => {
    const clock = new FrozenClock(TEST_NOW);
    let attempts = 0;
    const session = new MssSession({
      tokens: sampleTokens(clock.now(), MIN),
      clock,
      refresh: async () => {
        attempts++;
        throw new PasserelleError('ERR_MSS_TOKEN_EXPIRED', 'refused');
      },
    });
    clock.advance(MIN);
    await rejectsCode(session.accessToken(), 'ERR_MSS_TOKEN_EXPIRED');
    await rejectsCode(session.accessToken(), 'ERR_MSS_TOKEN_EXPIRED');
    assert.equal(attempts, 2);
  });
});

test('concurrent callers share one refresh', async () => {
  const clock = new FrozenClock(TEST_NOW);
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const session = new MssSession({
    tokens: sampleTokens(clock.now(), MIN),
    clock,
    refresh: async (old) => {
      calls++;
      await gate;
      return { ...old, accessToken: 'fresh', expiresAt: clock.now() + 2 * MIN };
    },
  });
  clock.advance(45_000);
  const pending = [session.accessToken(), session.accessToken(), session.accessToken()];
  release();
  assert.deepEqual(await Promise.all(pending), ['fresh', 'fresh', 'fresh']);
  assert.equal(calls, 1);
});

test('a token handed in by the application works until it expires, then ERR_MSS_TOKEN_EXPIRED', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const exp = Math.floor(clock.now() / 1000) + 300;
  const token = unsignedJwt({ exp, iat: exp - 300, preferred_username: '10009876540', acr: 'eidas1' });
  const tokens = tokensFromAccessToken(`${token}\n`, clock);
  assert.equal(tokens.accessToken, token);
  assert.equal(tokens.rpps, '10009876540');
  assert.equal(tokens.expiresAt, exp * 1000);
  assert.equal(tokens.refreshToken, undefined);
  const session = new MssSession({ tokens, clock });
  clock.advance(290_000); // 10 s left: within refreshBeforeMs, nothing to refresh with
  assert.equal(await session.accessToken(), token);
  clock.advance(10_000);
  await rejectsCode(session.accessToken(), 'ERR_MSS_TOKEN_EXPIRED');
});

test('tokensFromAccessToken refuses what is not a JWT with exp, and an expired token', () => {
  const clock = new FrozenClock(TEST_NOW);
  const now = Math.floor(clock.now() / 1000);
  throwsCode(() => tokensFromAccessToken('opaque-token', clock), 'ERR_MSS_TOKEN_EXPIRED');
  throwsCode(() => tokensFromAccessToken('a.b.c', clock), 'ERR_MSS_TOKEN_EXPIRED');
  throwsCode(() => tokensFromAccessToken(unsignedJwt({ sub: 'x' }), clock), 'ERR_MSS_TOKEN_EXPIRED');
  throwsCode(() => tokensFromAccessToken(unsignedJwt({ exp: now }), clock), 'ERR_MSS_TOKEN_EXPIRED');
  try {
    tokensFromAccessToken(unsignedJwt({ exp: now - 10 }), clock);
  } catch (e) {
    assert.ok(!JSON.stringify((e as PasserelleError).toJSON()).includes('eyJ'), 'no token in the error');
  }
});

test('the last activity of an earlier process counts (idle rule across CLI invocations)', async () => {
  const clock = new FrozenClock(TEST_NOW + 20 * MIN);
  const stored = { ...sampleTokens(TEST_NOW, 60 * MIN), lastActivityAt: TEST_NOW + 4 * MIN };
  await rejectsCode(new MssSession({ tokens: stored, clock }).accessToken(), 'ERR_MSS_SESSION_IDLE');
  const recent = { ...stored, lastActivityAt: TEST_NOW + 6 * MIN };
  const session = new MssSession({ tokens: recent, clock });
  assert.ok(await session.accessToken());
  assert.equal(session.lastActivityAt, clock.now());
});

test('close() ends the session; state() shows times and identity, never a token', async () => {
  const clock = new FrozenClock(TEST_NOW);
  const tokens = sampleTokens(clock.now());
  const session = new MssSession({ tokens, clock, refresh: refresher(clock).refresh });
  const state = session.state();
  assert.deepEqual(state, {
    open: true,
    closedReason: null,
    rpps: '10001234565',
    acr: 'eidas1',
    loggedInAt: '2026-06-15T10:00:00.000Z',
    lastActivityAt: '2026-06-15T10:00:00.000Z',
    tokenExpiresAt: '2026-06-15T10:02:00.000Z',
    refreshable: true,
    refreshExpiresAt: '2026-06-15T10:30:00.000Z',
    idleDeadline: '2026-06-15T10:15:00.000Z',
    totalDeadline: '2026-06-15T14:00:00.000Z',
  });
  assert.ok(!JSON.stringify(state).includes(tokens.accessToken));
  session.close();
  const e = await rejectsCode(session.accessToken(), 'ERR_MSS_SESSION_EXPIRED');
  assert.equal(e.details['reason'], 'closed');
  assert.equal(session.state().closedReason, 'closed');
});

test('invalid limits are refused', () => {
  const clock = new FrozenClock(TEST_NOW);
  throwsCode(() => new MssSession({ tokens: sampleTokens(TEST_NOW), clock, idleMs: 0 }), 'ERR_USAGE');
  throwsCode(() => new MssSession({ tokens: sampleTokens(TEST_NOW), clock, maxMs: Number.NaN }), 'ERR_USAGE');
});

test('sessionLimitsFromConfig: the MSSanté defaults, or the configured minutes, hours and seconds', () => {
  assert.deepEqual(sessionLimitsFromConfig(undefined), {
    idleMs: 900_000,
    maxMs: 14_400_000,
    refreshBeforeMs: 30_000,
  });
  assert.deepEqual(sessionLimitsFromConfig({ idleMinutes: 5, maxHours: 1, refreshBeforeSeconds: 0 }), {
    idleMs: 300_000,
    maxMs: 3_600_000,
    refreshBeforeMs: 0,
  });
});
