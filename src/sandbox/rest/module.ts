import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import { isPasserelleError } from '../../errors.ts';
import { tokenFingerprint } from '../../oauth/token-fingerprint.ts';
import { _authorizer } from '../_bearer-auth.ts';
import { _checkTimeouts, _guardConnections, _serverTimeouts } from '../_client-error.ts';
import { closeServer, listenRole } from '../_listen.ts';
import { listenerUrl } from '../_url.ts';
import type { SandboxContracts } from '../contracts/index.ts';
import type { SandboxModule, StartedSandboxModule } from '../module.ts';
import { _rawProblem, _sendProblem } from './_respond.ts';
import { _route, DEMO_CONSULT_SCOPE, type HealthState } from './_routes.ts';

export { DEMO_CONSULT_SCOPE, HEALTH_STATES, type HealthState } from './_routes.ts';

export interface RestModuleOptions {
  /** API names served under `/{api}` (default `demo`); each has `/health`. */
  readonly apis?: readonly string[];
  /** Require a client certificate from the dev CA, as the extranet port 4543 does; default true. */
  readonly mutualTls?: boolean;
  /** Where the token issuer's metadata is; default: the `oauth` module of the same sandbox. */
  readonly metadataUrl?: string;
  /** Leeway on token expiry, seconds; default 5. */
  readonly clockToleranceSeconds?: number;
  /** Largest request line and headers, bytes (Node's maxHeaderSize); default 16 KiB, larger → 431. */
  readonly maxHeaderBytes?: number;
  /** Longest time for the TLS handshake and the request headers, ms; default 10000 (then 408). */
  readonly headersTimeoutMs?: number;
  /**
   * OpenAPI/Swagger contracts served beside the APIs, each under `/{its API name}` with the
   * platform's checks (bearer token, the operation's scopes, the request against the contract)
   * and scenario or generated replies (see loadSandboxContracts).
   */
  readonly contracts?: SandboxContracts;
}

/**
 * Sandbox module `rest`: the KSZ-BCSS REST APIs on port-base + 43 (the platform's 4543), base
 * `cbss.rest` = `https://host:port/{api}`. Every API requires a bearer JWT from the sandbox
 * authorization server: `/{api}/health` (any valid token; UP, DEGRADED or 503 DOWN, switched
 * with POST `/_control/health`) and, for `demo`, `GET /demo/v1/persons/{ssin}` (scope
 * `scope:demo:consult`, SSIN checked, fake data). Errors are problem+json with a Bearer
 * WWW-Authenticate challenge. Requests are counted per token. Token times use real time, like
 * the authorization server.
 */
export function restModule(options: RestModuleOptions = {}): SandboxModule {
  const {
    apis = ['demo'],
    mutualTls = true,
    metadataUrl,
    clockToleranceSeconds = 5,
    maxHeaderBytes = 16 * 1024,
    headersTimeoutMs = 10_000,
  } = options;
  _checkTimeouts('restModule', { maxHeaderBytes, headersTimeoutMs });
  const timeouts = {
    headersTimeoutMs,
    bodyIdleTimeoutMs: 5_000,
    requestBackstopMs: Math.max(30_000, headersTimeoutMs + 1),
  };
  if (apis.length === 0 || apis.some((a) => !/^[a-z][a-z0-9-]*$/.test(a))) {
    throw new TypeError('restModule: apis are lower-case names');
  }
  const contracts = new Map((options.contracts?.rest ?? []).map((c) => [c.api, c]));
  const clash = [...contracts.keys()].find((api) => apis.includes(api) || api === '_control');
  if (clash !== undefined) throw new TypeError(`restModule: the contract API ${clash} is already served`);
  return {
    name: 'rest',
    ports: { https: 43 },
    async start(ctx): Promise<StartedSandboxModule> {
      const perToken = new Map<string, number>();
      const stats = { requests: 0, authorized: 0, unauthorized: 0, forbidden: 0, headersTooLarge: 0 };
      const contractStats: Record<string, number> =
        contracts.size === 0
          ? {}
          : { contractCalls: 0, contractScenarioReplies: 0, contractInvalid: 0, contractNotFound: 0 };
      const closing = new AbortController();
      const health = new Map<string, HealthState>(apis.map((a) => [a, 'UP']));
      const auth = _authorizer(ctx, metadataUrl, clockToleranceSeconds);
      const common = {
        health,
        authorize: auth.authorize,
        authorized: (r: { token: string }) => {
          stats.authorized++;
          const fp = tokenFingerprint(r.token);
          perToken.set(fp, (perToken.get(fp) ?? 0) + 1);
        },
        refused: (r: { problem: { status: number }; reason: string }, path: string, req: IncomingMessage) => {
          ctx.journal?.note(req, { reason: r.reason });
          if (r.problem.status === 401) stats.unauthorized++;
          else stats.forbidden++;
          ctx.log.info(
            { path: path.slice(0, 200), status: r.problem.status, reason: r.reason },
            'rest call refused',
          );
        },
      };
      const deps = {
        apis: new Set(apis),
        ...common,
        contracts,
        contractDeps: {
          ...common,
          ctx,
          count: (key: string) => {
            contractStats[key] = (contractStats[key] ?? 0) + 1;
          },
          signal: closing.signal,
        },
      };
      const server = createServer(
        {
          key: ctx.pki.server.keyPem,
          cert: ctx.pki.server.certPem,
          minVersion: 'TLSv1.2',
          maxHeaderSize: maxHeaderBytes,
          ..._serverTimeouts(timeouts),
          ...(mutualTls ? { ca: ctx.pki.ca.certPem, requestCert: true, rejectUnauthorized: true } : {}),
        },
        (req, res) => {
          ctx.journal?.observe('rest', req, res);
          stats.requests++;
          _route(req, res, deps).catch((error: unknown) => {
            ctx.log.error(
              {
                code: isPasserelleError(error) ? error.code : 'internal',
                reason: String((error as Error)?.message ?? error).slice(0, 200),
              },
              'rest request failed',
            );
            if (!res.headersSent) _sendProblem(res, { status: 500, title: 'Internal Server Error' });
            else res.destroy();
          });
        },
      );
      _guardConnections(
        server,
        timeouts,
        ctx.log,
        (reason) => _rawProblem(reason, maxHeaderBytes),
        (reason) => {
          if (reason === 'header-too-large') stats.headersTooLarge++;
        },
      );
      const port = await listenRole(ctx, server, 'https', (error) =>
        ctx.log.warn({ reason: error.message.slice(0, 200) }, 'rest TLS handshake refused'),
      );
      const base = listenerUrl('https', ctx.host, port);
      ctx.log.info({ base, apis, contracts: [...contracts.keys()] }, 'rest APIs listening');
      return {
        endpoints: { 'cbss.rest': `${base}/{api}`, 'rest.control': `${base}/_control/health` },
        info: {
          apis: [...apis],
          mutualTls,
          demoResource: '/demo/v1/persons/{ssin}',
          demoScope: DEMO_CONSULT_SCOPE,
          ...(contracts.size === 0
            ? {}
            : {
                contracts: (options.contracts?.describe() ?? []).filter((d) => d.kind === 'rest'),
              }),
        },
        stats: () => ({
          ...stats,
          ...contractStats,
          tokensSeen: perToken.size,
          maxRequestsPerToken: Math.max(0, ...perToken.values()),
        }),
        close: async () => {
          closing.abort();
          await closeServer(server);
          await auth.close();
        },
      };
    },
  };
}
