import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError, PasserelleError } from '../../src/errors.ts';
import { MemoryLogger } from '../../src/log.ts';
import type { Credential } from '../../src/pki/credential.ts';
import { StsTokenCache } from '../../src/sts/token-cache.ts';
import type { StsToken } from '../../src/sts/types.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';

const HOUR = 3_600_000;

function fakeSts(clock: FrozenClock, lifetimeMs = HOUR) {
  const calls: { fingerprint: string; claims: readonly string[] }[] = [];
  let fail = false;
  return {
    calls,
    failNext: () => {
      fail = true;
    },
    fetch: async (r: { credential: Credential; claims: readonly string[] }): Promise<StsToken> => {
      calls.push({ fingerprint: r.credential.certificate.fingerprint256, claims: r.claims });
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) {
        fail = false;
        throw new PasserelleError('ERR_STS_FAULT', 'refused');
      }
      const n = calls.length;
      return {
        assertionXml: `<Assertion AssertionID="_t${n}"/>`,
        assertionId: `_t${n}`,
        inheritedNamespaces: {},
        issuer: 'urn:be:fgov:ehealth:sts:1_0',
        subject: 'CN=x',
        notBefore: new Date(clock.now()),
        notOnOrAfter: new Date(clock.now() + lifetimeMs),
        holderFingerprint256: r.credential.certificate.fingerprint256,
        claims: [...r.claims],
      };
    },
  };
}

test('a token is reused until NotOnOrAfter minus the margin, then a new one is requested', async () => {
  const pki = await testPki();
  const clock = new FrozenClock(TEST_NOW);
  const sts = fakeSts(clock);
  const cache = new StsTokenCache({ fetch: sts.fetch, clock, marginSeconds: 60, renewAheadSeconds: 0 });
  const a = await cache.get({ credential: pki.rsa });
  assert.equal(a.source, 'sts');
  clock.advance(HOUR - 61_000);
  assert.equal((await cache.get({ credential: pki.rsa })).source, 'memory');
  clock.advance(1_000);
  const b = await cache.get({ credential: pki.rsa });
  assert.equal(b.source, 'sts');
  assert.notEqual(b.token.assertionId, a.token.assertionId);
  assert.equal(sts.calls.length, 2);
});

test('renewal ahead of time: inside the window the current token is served and ONE renewal runs in the background', async () => {
  const pki = await testPki();
  const clock = new FrozenClock(TEST_NOW);
  const sts = fakeSts(clock);
  const cache = new StsTokenCache({ fetch: sts.fetch, clock, marginSeconds: 60, renewAheadSeconds: 300 });
  const first = await cache.get({ credential: pki.rsa });
  clock.advance(HOUR - 200_000);
  const during = await Promise.all([cache.get({ credential: pki.rsa }), cache.get({ credential: pki.rsa })]);
  assert.deepEqual(
    during.map((d) => d.token.assertionId),
    [first.token.assertionId, first.token.assertionId],
  );
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(sts.calls.length, 2, 'one background renewal');
  assert.equal((await cache.get({ credential: pki.rsa })).token.assertionId, '_t2');
});

test('a failed background renewal keeps serving the current token; a failed blocking request rejects with its code', async () => {
  const pki = await testPki();
  const clock = new FrozenClock(TEST_NOW);
  const sts = fakeSts(clock);
  const cache = new StsTokenCache({ fetch: sts.fetch, clock, renewAheadSeconds: 600 });
  await cache.get({ credential: pki.rsa });
  clock.advance(HOUR - 300_000);
  sts.failNext();
  assert.equal((await cache.get({ credential: pki.rsa })).token.assertionId, '_t1');
  await new Promise((resolve) => setTimeout(resolve, 30));
  sts.failNext();
  await assert.rejects(cache.get({ credential: pki.ec }), (e) => isPasserelleError(e, 'ERR_STS_FAULT'));
  assert.equal((await cache.get({ credential: pki.ec })).source, 'sts', 'a failure is not cached');
});

test('tokens are kept per identity and per claim set (order-insensitive)', async () => {
  const pki = await testPki();
  const clock = new FrozenClock(TEST_NOW);
  const sts = fakeSts(clock);
  const cache = new StsTokenCache({ fetch: sts.fetch, clock });
  await cache.get({ credential: pki.rsa, claims: ['urn:a', 'urn:b'] });
  assert.equal((await cache.get({ credential: pki.rsa, claims: ['urn:b', 'urn:a'] })).source, 'memory');
  assert.equal((await cache.get({ credential: pki.rsa, claims: ['urn:a'] })).source, 'sts');
  assert.equal((await cache.get({ credential: pki.ec, claims: ['urn:a'] })).source, 'sts');
  assert.equal(sts.calls.length, 3);
});

test('100 concurrent callers share one in-flight request', async () => {
  const pki = await testPki();
  const clock = new FrozenClock(TEST_NOW);
  const sts = fakeSts(clock);
  const cache = new StsTokenCache({ fetch: sts.fetch, clock });
  const all = await Promise.all(Array.from({ length: 100 }, () => cache.get({ credential: pki.rsa })));
  assert.equal(sts.calls.length, 1);
  assert.equal(new Set(all.map((r) => r.token.assertionId)).size, 1);
});

/**
 * A state dir holding one persisted token (of pki.rsa): `cache()` opens another cache on it (a
 * later CLI run), `dir`/`file`/`path` name the token file.
 */
async function persisted(t: { after: (fn: () => void) => void }) {
  const pki = await testPki();
  const clock = new FrozenClock(TEST_NOW);
  const sts = fakeSts(clock);
  const stateDir = tempDir(t);
  const cache = (logger?: MemoryLogger) =>
    new StsTokenCache({ fetch: sts.fetch, clock, stateDir, ...(logger ? { logger } : {}) });
  const first = await cache().get({ credential: pki.rsa });
  const dir = join(stateDir, 'sts-tokens');
  const [file] = readdirSync(dir);
  assert.ok(file);
  return { pki, cache, first, dir, file, path: join(dir, file) };
}

test('persistence: a second cache (another CLI run) reuses the token from a 0600 file; a group-readable file is ignored', async (t) => {
  const { pki, cache, first, dir, file } = await persisted(t);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600);
  assert.match(readFileSync(join(dir, file), 'utf8'), /"assertionId":"_t1"/);
  const second = await cache().get({ credential: pki.rsa });
  assert.equal(second.source, 'file');
  assert.equal(second.token.assertionXml, first.token.assertionXml);
  assert.equal(second.token.notOnOrAfter.getTime(), first.token.notOnOrAfter.getTime());
  assert.equal((await cache().get({ credential: pki.ec })).source, 'sts', 'another identity');
  chmodSync(join(dir, file), 0o640);
  assert.equal((await cache().get({ credential: pki.rsa })).source, 'sts');
});

test('a failed cache write (the token file is a directory) leaves no temp file holding the assertion; the token is still served', async (t) => {
  const { pki, cache, dir, file } = await persisted(t);
  rmSync(join(dir, file));
  mkdirSync(join(dir, file), { mode: 0o700 });
  const logger = new MemoryLogger();
  const got = await cache(logger).get({
    credential: pki.rsa,
  });
  assert.equal(got.source, 'sts');
  assert.equal(got.token.assertionId, '_t2');
  assert.deepEqual(readdirSync(dir), [file], 'no temp file left beside the target');
  assert.deepEqual(readdirSync(join(dir, file)), []);
  const warning = logger.entries.find((e) => e.msg === 'cannot persist the STS token');
  assert.equal(warning?.fields['code'], 'ERR_FILE_UNWRITABLE');
});

test('a token file whose dates are not strict xs:dateTime (2026-06-31, no zone) is ignored: a new token is requested', async (t) => {
  const { pki, cache, path } = await persisted(t);
  const original = readFileSync(path, 'utf8');
  for (const [field, value] of [
    ['notOnOrAfter', '2026-06-31T10:00:00.000Z'],
    ['notOnOrAfter', '2026-06-15T12:00:00.000'],
    ['notBefore', '2026-06-15T09:00:00.000z'],
  ] as const) {
    const data = JSON.parse(original);
    data.token[field] = value;
    writeFileSync(path, JSON.stringify(data), { mode: 0o600 });
    const got = await cache().get({ credential: pki.rsa });
    assert.equal(got.source, 'sts', `${field} ${value}`);
  }
  writeFileSync(path, original, { mode: 0o600 });
  const control = await cache().get({ credential: pki.rsa });
  assert.equal(control.source, 'file');
});

test('a token file of format 1 (written by versions that persisted unverified assertions) is ignored: a new token is requested', async (t) => {
  const { pki, cache, path } = await persisted(t);
  const data = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(data.version, 2);
  writeFileSync(path, JSON.stringify({ ...data, version: 1 }), { mode: 0o600 });
  const got = await cache().get({ credential: pki.rsa });
  assert.equal(got.source, 'sts');
  const again = await cache().get({ credential: pki.rsa });
  assert.equal(again.source, 'file', 'the fresh token is persisted in format 2 and reused');
});

test('a saved token is served only under the scope it was obtained in (STS address and trust): another scope requests a new one', async (t) => {
  const pki = await testPki();
  const clock = new FrozenClock(TEST_NOW);
  const sts = fakeSts(clock);
  const stateDir = tempDir(t);
  const cache = (scope: string) => new StsTokenCache({ fetch: sts.fetch, clock, stateDir, scope });
  assert.equal(
    (await cache('["https://sts-a",{"pinned":["AA"]}]').get({ credential: pki.rsa })).source,
    'sts',
  );
  assert.equal(
    (await cache('["https://sts-a",{"pinned":["AA"]}]').get({ credential: pki.rsa })).source,
    'file',
  );
  assert.equal(
    (await cache('["https://sts-a",{"pinned":["BB"]}]').get({ credential: pki.rsa })).source,
    'sts',
  );
  assert.equal(
    (await cache('["https://sts-b",{"pinned":["AA"]}]').get({ credential: pki.rsa })).source,
    'sts',
  );
  assert.equal(sts.calls.length, 3);
});
