import type { IncomingMessage } from 'node:http';
import {
  createLocalJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { PasserelleError } from '../errors.ts';
import { createHttpClient } from '../oauth/create-http-client.ts';
import { discoverAuthorizationServer } from '../oauth/discover.ts';
import type { HttpClient } from '../oauth/types.ts';
import { decodeUtf8 } from '../utf8.ts';
import type { SandboxModuleContext } from './module.ts';
import { SANDBOX_REST_AUDIENCE } from './oauth/constants.ts';

/** How a refusal is answered: status, problem fields, the Bearer challenge (RFC 6750 §3). */
export interface _ProblemInput {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly type?: string;
  readonly challenge?: Readonly<Record<string, string>>;
}

export type _AuthResult =
  | { readonly ok: true; readonly claims: JWTPayload; readonly token: string }
  | { readonly ok: false; readonly problem: _ProblemInput; readonly reason: string };

interface _Keys {
  readonly issuer: string;
  readonly keySet: ReturnType<typeof createLocalJWKSet>;
  readonly fetchedAt: number;
}

const REFETCH_MS = 10_000;

/**
 * Verifies bearer tokens the way a platform REST API would: a JWT access token (`typ at+jwt`,
 * ES256/RS256/PS256 only) from the sandbox authorization server, found through its RFC 8414
 * metadata (`oauth.metadata` of the running sandbox, or `metadataUrl`), audience
 * SANDBOX_REST_AUDIENCE, not expired (real time, like the authorization server). Keys are
 * fetched from the published JWKS and fetched again (at most every 10 s) for an unknown kid.
 */
export function _authorizer(
  ctx: SandboxModuleContext,
  metadataUrl: string | undefined,
  clockToleranceSeconds: number,
) {
  let http: HttpClient | undefined;
  let keys: Promise<_Keys> | undefined;
  const load = async (): Promise<_Keys> => {
    const url =
      metadataUrl ??
      ctx.sandbox?.modules().find((m) => m.endpoints['oauth.metadata'] !== undefined)?.endpoints[
        'oauth.metadata'
      ];
    if (url === undefined)
      throw new PasserelleError('ERR_CONFIG_ENDPOINT_MISSING', 'The sandbox has no authorization server', {
        hint: 'Start the oauth module before rest, or give rest a metadataUrl.',
        details: { endpoint: 'oauth.metadata' },
      });
    http ??= createHttpClient({ ca: ctx.pki.ca.certPem });
    const meta = await discoverAuthorizationServer({ http, metadataUrl: url });
    if (meta.jwksUri === undefined)
      throw new PasserelleError(
        'ERR_OAUTH_DISCOVERY_FAILED',
        'The authorization server publishes no jwks_uri',
        {
          details: { metadataUrl: url },
        },
      );
    const res = await http.request(meta.jwksUri, { headers: { accept: 'application/json' } });
    const jwks = JSON.parse(decodeUtf8(res.body)) as JSONWebKeySet;
    return { issuer: meta.issuer, keySet: createLocalJWKSet(jwks), fetchedAt: Date.now() };
  };
  const current = (): Promise<_Keys> => {
    keys ??= load().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return keys;
  };
  const verify = async (token: string, k: _Keys) =>
    jwtVerify(token, k.keySet, {
      issuer: k.issuer,
      audience: SANDBOX_REST_AUDIENCE,
      algorithms: ['ES256', 'RS256', 'PS256'],
      typ: 'at+jwt',
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['exp', 'iat', 'client_id'],
    });

  return {
    async authorize(req: IncomingMessage, requiredScope: string | undefined): Promise<_AuthResult> {
      const header = req.headers.authorization;
      const match = header === undefined ? null : /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(header);
      if (header === undefined) {
        return {
          ok: false,
          reason: 'no token',
          problem: {
            status: 401,
            title: 'Unauthorized',
            detail: 'A bearer token is required.',
            type: 'unauthorized',
            challenge: {},
          },
        };
      }
      const invalid = (reason: string): _AuthResult => ({
        ok: false,
        reason,
        problem: {
          status: 401,
          title: 'Unauthorized',
          detail: 'The access token is invalid or expired.',
          type: 'invalid-token',
          challenge: { error: 'invalid_token', error_description: 'The access token is invalid or expired' },
        },
      });
      if (match?.[1] === undefined) return invalid('malformed Authorization header');
      const token = match[1];
      let claims: JWTPayload;
      try {
        let k = await current();
        try {
          claims = (await verify(token, k)).payload;
        } catch (error) {
          if (!(error instanceof joseErrors.JWKSNoMatchingKey) || Date.now() - k.fetchedAt < REFETCH_MS)
            throw error;
          keys = undefined;
          k = await current();
          claims = (await verify(token, k)).payload;
        }
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (typeof code === 'string' && code.startsWith('ERR_J')) return invalid(code);
        throw error;
      }
      const scopes = new Set(typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : []);
      if (requiredScope !== undefined && !scopes.has(requiredScope)) {
        return {
          ok: false,
          reason: `missing scope ${requiredScope}`,
          problem: {
            status: 403,
            title: 'Forbidden',
            detail: `The access token lacks the scope ${requiredScope}.`,
            type: 'insufficient-scope',
            challenge: { error: 'insufficient_scope', scope: requiredScope },
          },
        };
      }
      return { ok: true, claims, token };
    },
    close: async () => http?.close(),
  };
}
