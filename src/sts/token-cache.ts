import { createHash } from 'node:crypto';
import { type Clock, systemClock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';
import { CBE_CLAIMS } from '../saml/constants.ts';
import { readTokenFile, tokenFilePath, writeTokenFile } from './_token-file.ts';
import type { StsToken } from './types.ts';

export interface StsTokenRequest {
  /** The holder-of-key credential: the identity part of the cache key (certificate fingerprint). */
  readonly credential: Credential;
  /** Default: the enterprise CBE claims. */
  readonly claims?: readonly string[];
}

export interface StsTokenCacheOptions {
  /** Gets a new token from the STS, e.g. `(r) => requestToken({ transport, url, ...r })`. */
  readonly fetch: (request: {
    readonly credential: Credential;
    readonly claims: readonly string[];
  }) => Promise<StsToken>;
  readonly clock?: Clock;
  /** A token is used until NotOnOrAfter minus this margin, seconds. Default 60. */
  readonly marginSeconds?: number;
  /** Within this many seconds of the margin, the next use also renews in the background. Default 300. */
  readonly renewAheadSeconds?: number;
  /** Persist tokens under `<stateDir>/sts-tokens/` (files 0600) so a later process reuses them. */
  readonly stateDir?: string;
  /**
   * What the tokens are obtained and verified under (the STS address and the trust their
   * assertions were checked against): part of every key, so a token saved under one STS or
   * one `trust.sts` is never served under another (another environment, a changed pin).
   */
  readonly scope?: string;
  readonly logger?: Logger;
}

/** Where a token came from: this process, the state directory, or a new STS request. */
export type StsTokenSource = 'memory' | 'file' | 'sts';

/**
 * A cache of STS tokens per identity (holder certificate SHA-256) and claim set. A token is reused
 * until NotOnOrAfter − margin; within `renewAheadSeconds` of that point a use still returns it and
 * starts a renewal in the background. Concurrent callers for one key share ONE in-flight request
 * (single flight), so a burst with an empty cache makes exactly one STS request.
 *
 * Persistence (optional `stateDir`): the token — assertion included — is written to a JSON file
 * of mode 0600 in a 0700 directory. The assertion is bound to the holder-of-key: it is useless
 * without the private key, but together with that key it authenticates until NotOnOrAfter, so
 * treat the state directory like the keystore (same owner, same protection). Files readable by
 * others are ignored.
 */
export class StsTokenCache {
  readonly #options: StsTokenCacheOptions;
  readonly #tokens = new Map<string, StsToken>();
  readonly #inflight = new Map<string, Promise<StsToken>>();
  readonly #margin: number;
  readonly #ahead: number;

  constructor(options: StsTokenCacheOptions) {
    if (typeof options?.fetch !== 'function') throw new TypeError('StsTokenCache: `fetch` is required');
    const { marginSeconds = 60, renewAheadSeconds = 300 } = options;
    if (!(marginSeconds >= 0) || !(renewAheadSeconds >= 0))
      throw new TypeError('StsTokenCache: margins must be non-negative');
    this.#options = options;
    this.#margin = marginSeconds * 1000;
    this.#ahead = renewAheadSeconds * 1000;
  }

  /** A usable token for this identity and claim set, and where it came from. */
  async get(
    request: StsTokenRequest,
  ): Promise<{ readonly token: StsToken; readonly source: StsTokenSource }> {
    const claims = [...(request.claims ?? CBE_CLAIMS)];
    const fingerprint = request.credential.certificate.fingerprint256;
    const key = createHash('sha256')
      .update(JSON.stringify([this.#options.scope ?? '', fingerprint, [...claims].sort()]))
      .digest('hex');
    const now = (this.#options.clock ?? systemClock).now();
    const usable = (t: StsToken | undefined): t is StsToken =>
      t !== undefined &&
      t.holderFingerprint256 === fingerprint &&
      now < t.notOnOrAfter.getTime() - this.#margin;
    let token = this.#tokens.get(key);
    let source: StsTokenSource = 'memory';
    if (!usable(token) && this.#options.stateDir !== undefined) {
      token = readTokenFile(tokenFilePath(this.#options.stateDir, key));
      source = 'file';
      if (usable(token)) this.#tokens.set(key, token);
    }
    if (usable(token)) {
      if (now >= token.notOnOrAfter.getTime() - this.#margin - this.#ahead && !this.#inflight.has(key)) {
        this.#refresh(key, request.credential, claims).catch((error: unknown) => {
          this.#options.logger?.warn(
            { code: (error as { code?: string })?.code ?? 'error' },
            'STS token renewal failed; the current token is still used',
          );
        });
      }
      return { token, source };
    }
    return { token: await this.#refresh(key, request.credential, claims), source: 'sts' };
  }

  /** Forgets every token held in memory (files stay). */
  clear(): void {
    this.#tokens.clear();
  }

  #refresh(key: string, credential: Credential, claims: readonly string[]): Promise<StsToken> {
    let flight = this.#inflight.get(key);
    if (flight) return flight;
    flight = (async () => {
      try {
        const token = await this.#options.fetch({ credential, claims });
        this.#tokens.set(key, token);
        if (this.#options.stateDir !== undefined) {
          try {
            await writeTokenFile(tokenFilePath(this.#options.stateDir, key), token);
          } catch (error) {
            this.#options.logger?.warn(
              {
                code: (error as { code?: string })?.code ?? 'error',
                reason: String((error as Error)?.message ?? error).slice(0, 120),
              },
              'cannot persist the STS token',
            );
          }
        }
        return token;
      } finally {
        this.#inflight.delete(key);
      }
    })();
    this.#inflight.set(key, flight);
    return flight;
  }
}
