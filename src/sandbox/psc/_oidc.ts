import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.ts';
import { _importOidcProvider } from '../_import-oidc-provider.ts';

/**
 * The part of oidc-provider 9 (untyped JavaScript) the PSC stub touches, typed here on purpose
 * narrow and local (the module is cast to it on import, so no ambient declaration is shared).
 */
export interface _OidcModule {
  readonly default: new (issuer: string, configuration: Record<string, unknown>) => _OidcProvider;
  readonly errors: {
    readonly InvalidRequest: new (description: string) => Error;
  };
}

export interface _OidcClient {
  readonly clientId: string;
  redirectUriAllowed(value: string): boolean;
}

export interface _OidcGrant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}

export interface _OidcInteraction {
  readonly uid: string;
  readonly prompt: { readonly name: string };
  readonly params: Readonly<Record<string, unknown>>;
  readonly grantId?: string;
  readonly session?: { readonly accountId?: string };
}

/** The token entities the stub reads after oidc-provider answers a token request. */
export interface _OidcTokenEntity {
  readonly accountId: string;
  readonly clientId: string;
  readonly scope?: string;
  readonly acr?: string;
  readonly authTime?: number;
}

export interface _OidcKoaContext {
  readonly path: string;
  status: number;
  body: unknown;
  readonly oidc?: {
    readonly route?: string;
    readonly entities: Readonly<Record<string, _OidcTokenEntity | undefined>>;
  };
}

export interface _OidcProvider {
  readonly Client: { readonly prototype: _OidcClient };
  readonly Grant: new (init: { accountId: string; clientId: string }) => _OidcGrant;
  use(middleware: (ctx: _OidcKoaContext, next: () => Promise<void>) => Promise<void>): void;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  on(event: string, listener: (...args: unknown[]) => void): this;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<_OidcInteraction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
}

/** oidc-provider, imported once for the whole sandbox (its console notices go to the log). */
export async function _importOidc(log: Logger): Promise<_OidcModule> {
  return (await _importOidcProvider(log)) as unknown as _OidcModule;
}
