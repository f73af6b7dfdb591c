import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { importJWK, type JWK, SignJWT } from 'jose';
import { FrozenClock } from '../../../src/clock.ts';
import { MemoryLogger } from '../../../src/log.ts';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/host.ts';
import { type MssModuleOptions, mssModule } from '../../../src/sandbox/mss/module.ts';
import { mintSandboxPscToken } from '../../../src/sandbox/psc/mint.ts';
import { DEFAULT_PSC_PROFESSIONALS } from '../../../src/sandbox/psc/professionals.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { DEBIAN_PYTHON } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';

export const [CAMILLE, LOUIS] = DEFAULT_PSC_PROFESSIONALS as unknown as [
  { rpps: string; mailboxes: [string] },
  { rpps: string; mailboxes: [string, string] },
];
export const APPLICATION = 'application@sandbox.mssante.fr';

export interface TokenClaims {
  readonly rpps: string;
  /** Seconds relative to now (system time: the PSC stub runs on real time). */
  readonly iatOffset?: number;
  readonly ttl?: number;
  readonly nbfOffset?: number;
  readonly acr?: string;
  readonly issuer?: string;
  /** Sign with another key than the stub's (or give `issuer`): what no PSC stub would issue. */
  readonly foreignKey?: boolean;
}

export interface MssSandbox {
  readonly sandbox: RunningSandbox;
  readonly log: MemoryLogger;
  readonly dir: string;
  readonly caFile: string;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly issuer: string;
  port(name: string): number;
  /** An access token as PSC signs them (the stub's key, read from its state file), or a hostile variant. */
  token(claims: TokenClaims): Promise<string>;
  stats(): Readonly<Record<string, number>>;
}

/** A sandbox with only the mss module (fresh state, ephemeral ports). */
export async function startMss(t: TestContext, options: MssModuleOptions = {}): Promise<MssSandbox> {
  const dir = tempDir(t, 'passerelle-mss-');
  const log = new MemoryLogger();
  const sandbox = await startSandbox({
    stateDir: join(dir, 'state'),
    clock: new FrozenClock(TEST_NOW),
    log,
    modules: [mssModule(options)],
  });
  t.after(() => sandbox.close());
  const endpoints = sandbox.endpoints;
  const issuer = endpoints['mss.psc'] as string;
  const state = JSON.parse(readFileSync(join(dir, 'state', 'psc', 'psc-stub.json'), 'utf8')) as {
    signingJwk: JWK;
  };
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, sandbox.pki.ca.certPem);
  return {
    sandbox,
    log,
    dir,
    caFile,
    endpoints,
    issuer,
    port: (name) => Number(new URL(endpoints[name] as string).port),
    async token(c) {
      const now = Date.now();
      if (!c.foreignKey && c.issuer === undefined)
        return mintSandboxPscToken({
          stateDir: join(dir, 'state'),
          issuer,
          rpps: c.rpps,
          issuedAt: now + (c.iatOffset ?? 0) * 1000,
          expiresInSeconds: c.ttl ?? 300,
          ...(c.nbfOffset === undefined ? {} : { notBefore: now + c.nbfOffset * 1000 }),
          ...(c.acr === undefined ? {} : { acr: c.acr }),
        });
      const iat = Math.floor(now / 1000) + (c.iatOffset ?? 0);
      return new SignJWT({
        iss: c.issuer ?? issuer,
        sub: c.rpps,
        preferred_username: c.rpps,
        typ: 'Bearer',
        azp: 'passerelle-lps',
        scope: 'openid scope_all',
        acr: c.acr ?? 'eidas1',
        iat,
        auth_time: iat,
        exp: iat + (c.ttl ?? 300),
        jti: randomUUID(),
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: String(state.signingJwk.kid) })
        .sign(c.foreignKey ? foreign : await importJWK(state.signingJwk, 'RS256'));
    },
    stats: () => sandbox.modules['mss']?.stats?.() ?? {},
  };
}

/**
 * Runs a Python script (stdin) with `env` (tokens go through the environment, not argv) and
 * parses the JSON it prints last.
 */
export function runPython(script: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, ['-'], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`python exited ${code}: ${stderr.slice(-2000)} ${stdout.slice(-500)}`));
      }
    });
    child.stdin.end(script);
  });
}
