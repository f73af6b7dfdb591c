import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PasserelleError } from '../../errors.ts';
import type { ConformancePsc } from '../../mss/conformance/runner-types.ts';
import { _loadPscState, _STATE_FILE } from './_state.ts';
import { _TokenService } from './_tokens.ts';
import { SANDBOX_PSC_CLIENT_ID } from './professionals.ts';

export interface SandboxPscMintOptions {
  /** The sandbox's state directory (the PSC stub keeps its signing key in `<stateDir>/psc/`). */
  readonly stateDir: string;
  /** The stub's issuer (`mss.psc` in sandbox.json). */
  readonly issuer: string;
  readonly rpps: string;
  /** ms since the epoch; default now (system time, as the stub). */
  readonly issuedAt?: number;
  readonly expiresInSeconds?: number;
  readonly notBefore?: number;
  readonly acr?: string;
}

/**
 * Signs an access token with the key of a sandbox's PSC stub, as the stub would have issued it
 * at `issuedAt`: how the demo and tests hold a token that expired or is not valid yet, which no
 * login can give. Sandbox tooling only: it reads the stub's private key from the state directory.
 */
export async function mintSandboxPscToken(options: SandboxPscMintOptions): Promise<string> {
  const dir = join(options.stateDir, 'psc');
  if (!existsSync(join(dir, _STATE_FILE)))
    throw new PasserelleError('ERR_SANDBOX_STATE', `No PSC stub state in ${options.stateDir}`, {
      hint: 'Name the state directory of a sandbox that ran the mss module.',
      details: { stateDir: options.stateDir },
    });
  const state = await _loadPscState(dir);
  const tokens = new _TokenService(state.signingJwk, options.issuer, () => true);
  return tokens.mint({
    rpps: options.rpps,
    expiresInSeconds: options.expiresInSeconds ?? 300,
    clientId: SANDBOX_PSC_CLIENT_ID,
    ...(options.issuedAt === undefined ? {} : { issuedAt: options.issuedAt }),
    ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
    ...(options.acr === undefined ? {} : { acr: options.acr }),
  });
}

/**
 * The ConformancePsc of a sandbox's own PSC stub, for a conformance run against the sandbox
 * operator in the same process (the demo): tokens minted with the stub's key from the state
 * directory, and `introspections` the stub's total (it does not count per token).
 */
export function sandboxConformancePsc(o: {
  readonly stateDir: string;
  readonly issuer: string;
  readonly introspections: () => number;
}): ConformancePsc {
  return {
    issuer: o.issuer,
    mintToken: (t) =>
      mintSandboxPscToken({
        stateDir: o.stateDir,
        issuer: o.issuer,
        rpps: t.idNat,
        ...(t.issuedAt === undefined ? {} : { issuedAt: t.issuedAt }),
        ...(t.expiresInSeconds === undefined ? {} : { expiresInSeconds: t.expiresInSeconds }),
      }),
    introspectionsOf: async () => o.introspections(),
  };
}
