/**
 * The part of oidc-provider 9 (untyped JavaScript) the sandbox authorization server uses.
 * Kept minimal and narrow on purpose: only what `_provider.ts` touches.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface AdapterPayload {
    readonly [key: string]: unknown;
    readonly grantId?: string;
    readonly userCode?: string;
    readonly uid?: string;
    consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ProviderClient {
    readonly clientId: string;
    readonly scope?: string;
  }

  export interface KoaContextWithOIDC {
    readonly oidc: {
      readonly route: string;
      readonly params: Record<string, string | undefined>;
      readonly client?: ProviderClient;
    };
    readonly method: string;
    readonly path: string;
  }

  export interface ResourceServerInfo {
    readonly scope: string;
    readonly audience?: string;
    readonly accessTokenTTL?: number;
    readonly accessTokenFormat?: 'opaque' | 'jwt';
    readonly jwt?: { readonly sign?: { readonly alg: string } };
  }

  export interface Configuration {
    readonly [key: string]: unknown;
    readonly adapter?: new (name: string) => Adapter;
    readonly assertJwtClientAuthClaimsAndHeader?: (
      ctx: KoaContextWithOIDC,
      claims: Record<string, unknown>,
      header: Record<string, unknown>,
      client: ProviderClient,
    ) => Promise<void>;
  }

  export class OIDCProviderError extends Error {
    readonly error: string;
    readonly error_description?: string;
    readonly error_detail?: string;
    readonly status: number;
    readonly statusCode: number;
  }

  export const errors: {
    readonly InvalidClientAuth: new (detail: string) => OIDCProviderError;
    readonly InvalidTarget: new (description: string) => OIDCProviderError;
    readonly InvalidScope: new (description: string, scope?: string) => OIDCProviderError;
    readonly OIDCProviderError: typeof OIDCProviderError;
  };

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
  export default Provider;
}
