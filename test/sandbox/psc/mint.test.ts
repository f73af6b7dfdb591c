import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { mintSandboxPscToken } from '../../../src/sandbox/psc/mint.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { tempDir } from '../../_support/tmp.ts';
import { startMss } from '../mss/_mss.ts';

test('mintSandboxPscToken signs as the stub would have at the time given (expired tokens for the demo and tests)', async (t) => {
  const m = await startMss(t);
  const issuedAt = Date.parse('2026-01-01T00:00:00Z');
  const token = await mintSandboxPscToken({
    stateDir: m.sandbox.stateDir,
    issuer: m.issuer,
    rpps: '10001234565',
    issuedAt,
    expiresInSeconds: 120,
  });
  const claims = decodeJwt(token);
  assert.equal(claims.iss, m.issuer);
  assert.equal(claims['preferred_username'], '10001234565');
  assert.equal(claims['acr'], 'eidas1');
  assert.equal(claims.exp, issuedAt / 1000 + 120);
  assert.equal(decodeProtectedHeader(token).alg, 'RS256');
});

test('mintSandboxPscToken without a PSC stub state: ERR_SANDBOX_STATE, and nothing written', async (t) => {
  const dir = tempDir(t);
  await rejectsCode(
    mintSandboxPscToken({ stateDir: dir, issuer: 'https://localhost/x', rpps: '10001234565' }),
    'ERR_SANDBOX_STATE',
  );
});
