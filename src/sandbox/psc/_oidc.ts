import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.ts';

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

export interface _OidcAdapterPayload {
  readonly [key: string]: unknown;
  readonly grantId?: string;
  readonly userCode?: string;
  readonly uid?: string;
  consumed?: number;
}

export interface _OidcAdapter {
  upsert(id: string, payload: _OidcAdapterPayload, expiresIn: number): Promise<void>;
  find(id: string): Promise<_OidcAdapterPayload | undefined>;
  findByUserCode(userCode: string): Promise<_OidcAdapterPayload | undefined>;
  findByUid(uid: string): Promise<_OidcAdapterPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
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

let loaded: Promise<_OidcModule> | undefined;

const ESC = String.fromCharCode(27);
/** The text without ANSI colour codes (oidc-provider colours its notices on a TTY). */
const _plain = (text: string): string =>
  text
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[[\d;]*m/, '')))
    .join('');

/**
 * Imports oidc-provider once. On import it writes notices (e.g. "Unsupported runtime" on Node 20)
 * straight to the console: while the import runs, console lines that start with "oidc-provider"
 * go to the log instead; any other line passes.
 */
export function _importOidc(log: Logger): Promise<_OidcModule> {
  if (loaded !== undefined) return loaded;
  const { warn, info } = console;
  const ours = (args: unknown[]) =>
    typeof args[0] === 'string' && _plain(args[0]).startsWith('oidc-provider ');
  const divert =
    (original: (...a: unknown[]) => void) =>
    (...args: unknown[]): void => {
      if (ours(args)) log.warn({ notice: _plain(String(args[0])) }, 'oidc-provider notice');
      else original(...args);
    };
  console.warn = divert(warn);
  console.info = divert(info);
  loaded = (import('oidc-provider') as Promise<unknown> as Promise<_OidcModule>).finally(() => {
    console.warn = warn;
    console.info = info;
  });
  return loaded;
}
