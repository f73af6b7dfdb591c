import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { PasserelleError } from '../../errors.ts';
import { writeSecretFile } from '../../secret-file.ts';

/** What the PSC stub keeps in its state directory (one file, 0600). */
export interface _PscState {
  /** Private RSA JWK (RS256, with `kid`) signing ID tokens and access tokens. */
  readonly signingJwk: JWK;
  /** Keys of oidc-provider's signed cookies. */
  readonly cookieKeys: readonly string[];
  /** The default introspection client's secret (used when the options give none). */
  readonly introspectionSecret: string;
}

export const _STATE_FILE = 'psc-stub.json';

async function _fresh(): Promise<_PscState> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk: JWK = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };
  jwk.kid = await calculateJwkThumbprint(jwk);
  return {
    signingJwk: jwk,
    cookieKeys: [randomBytes(32).toString('base64url')],
    introspectionSecret: randomBytes(24).toString('base64url'),
  };
}

function _valid(value: unknown): value is _PscState {
  const v = value as Partial<_PscState> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.signingJwk === 'object' &&
    v.signingJwk?.kty === 'RSA' &&
    typeof v.signingJwk.d === 'string' &&
    typeof v.signingJwk.kid === 'string' &&
    Array.isArray(v.cookieKeys) &&
    v.cookieKeys.length > 0 &&
    v.cookieKeys.every((k) => typeof k === 'string') &&
    typeof v.introspectionSecret === 'string' &&
    v.introspectionSecret.length >= 16
  );
}

/**
 * The stub's state from `stateDir`, made (and written 0600) on first use, so the signing key,
 * hence every token issued, survives a restart. A file that cannot be parsed is an error
 * (ERR_SANDBOX_STATE, naming the path), never silently replaced: replacing it would invalidate
 * tokens the operator still holds.
 */
export async function _loadPscState(stateDir: string): Promise<_PscState> {
  const path = join(stateDir, _STATE_FILE);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text === undefined) {
    const state = await _fresh();
    await writeSecretFile(path, `${JSON.stringify(state)}\n`);
    return state;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!_valid(parsed)) {
    throw new PasserelleError('ERR_SANDBOX_STATE', `The PSC stub state file ${path} is not valid`, {
      hint: 'Remove the file to make a new signing key (tokens issued before become invalid).',
      details: { path },
    });
  }
  return parsed;
}
