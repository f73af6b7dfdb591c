import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPasserelleError } from '../../errors.ts';
import { validateInss } from '../../pki/ids/inss.ts';
import { decodeUtf8 } from '../../utf8.ts';
import type { _AuthResult } from '../_bearer-auth.ts';
import { _sendJson } from '../_json.ts';
import { _readRequestBody } from '../_request-body.ts';
import type { SandboxRestContract } from '../contracts/index.ts';
import { type _ContractDeps, _contractRoute } from './_contract-route.ts';
import { _fakePerson } from './_person.ts';
import { _sendProblem } from './_respond.ts';

export type HealthState = 'UP' | 'DEGRADED' | 'DOWN';
export const HEALTH_STATES: readonly HealthState[] = ['UP', 'DEGRADED', 'DOWN'];
/** Scope the demo person resource requires. */
export const DEMO_CONSULT_SCOPE = 'scope:demo:consult';

export interface _RouteDeps {
  readonly apis: ReadonlySet<string>;
  readonly health: Map<string, HealthState>;
  authorize(req: IncomingMessage, scope: string | undefined): Promise<_AuthResult>;
  /** Called for every authorized call (per-token counters). */
  authorized(result: Extract<_AuthResult, { ok: true }>): void;
  refused(result: Extract<_AuthResult, { ok: false }>, path: string, req: IncomingMessage): void;
  /** APIs served from contracts, by API name (none by default). */
  readonly contracts?: ReadonlyMap<string, SandboxRestContract>;
  /** What the contract APIs need besides the above. */
  readonly contractDeps?: _ContractDeps;
}

/** A small JSON body: ERR_SANDBOX_REQUEST_TOO_LARGE past 4 KiB, ERR_SANDBOX_REQUEST_TIMEOUT if it stalls. */
async function _readJson(req: IncomingMessage): Promise<unknown> {
  const body = await _readRequestBody(req, {
    maxBytes: 4096,
    idleMs: 5_000,
    totalMs: 10_000,
    drainBytes: 64 * 1024,
  });
  return JSON.parse(decodeUtf8(body));
}

/** `/_control/health`: GET the states, POST `{ "status": "DOWN", "api"?: "demo" }` to switch them. */
async function _control(req: IncomingMessage, res: ServerResponse, deps: _RouteDeps): Promise<void> {
  if (req.method === 'GET') return _sendJson(res, 200, Object.fromEntries(deps.health));
  if (req.method !== 'POST') return _sendProblem(res, { status: 405, title: 'Method Not Allowed' });
  let body: unknown;
  try {
    body = await _readJson(req);
  } catch (error) {
    if (
      isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TOO_LARGE') ||
      isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TIMEOUT')
    ) {
      res.setHeader('connection', 'close');
      const tooLarge = error.code === 'ERR_SANDBOX_REQUEST_TOO_LARGE';
      return _sendProblem(res, {
        status: tooLarge ? 413 : 408,
        title: tooLarge ? 'Content Too Large' : 'Request Timeout',
        detail: error.message,
      });
    }
    if (isPasserelleError(error, 'ERR_SANDBOX_REQUEST_ABORTED')) return;
    return _sendProblem(res, { status: 400, title: 'Bad Request', detail: 'Send a JSON object.' });
  }
  const { status, api } = (typeof body === 'object' && body !== null ? body : {}) as {
    status?: unknown;
    api?: unknown;
  };
  if (!HEALTH_STATES.includes(status as HealthState) || (api !== undefined && !deps.apis.has(String(api)))) {
    return _sendProblem(res, {
      status: 400,
      title: 'Bad Request',
      detail: `status is one of ${HEALTH_STATES.join(', ')}; api one of ${[...deps.apis].join(', ')}`,
    });
  }
  for (const name of api === undefined ? deps.apis : [String(api)])
    deps.health.set(name, status as HealthState);
  return _sendJson(res, 200, Object.fromEntries(deps.health));
}

async function _guarded(
  req: IncomingMessage,
  res: ServerResponse,
  deps: _RouteDeps,
  path: string,
  scope: string | undefined,
  then: () => void,
): Promise<void> {
  const result = await deps.authorize(req, scope);
  if (!result.ok) {
    deps.refused(result, path, req);
    return _sendProblem(res, result.problem, path);
  }
  deps.authorized(result);
  then();
}

/** Routes one request of the sandbox REST APIs. */
export async function _route(req: IncomingMessage, res: ServerResponse, deps: _RouteDeps): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/_control/health') return _control(req, res, deps);
  const [, api = '', ...rest] = path.split('/');
  const contract = deps.contracts?.get(api);
  if (contract !== undefined && deps.contractDeps !== undefined)
    return _contractRoute(req, res, deps.contractDeps, contract, `/${rest.join('/')}`);
  if (!deps.apis.has(api))
    return _sendProblem(
      res,
      { status: 404, title: 'Not Found', detail: 'No such API.', type: 'not-found' },
      path,
    );
  const sub = `/${rest.join('/')}`;
  if (req.method !== 'GET') return _sendProblem(res, { status: 405, title: 'Method Not Allowed' }, path);
  if (sub === '/health') {
    return _guarded(req, res, deps, path, undefined, () => {
      const state = deps.health.get(api) ?? 'UP';
      if (state === 'DOWN') return _sendJson(res, 503, { status: 'DOWN' });
      return _sendJson(
        res,
        200,
        state === 'UP'
          ? { status: 'UP' }
          : { status: 'DEGRADED', details: { backend: 'slow (sandbox switch)' } },
      );
    });
  }
  const person = /^\/v1\/persons\/([^/]+)$/.exec(sub);
  if (api === 'demo' && person !== null) {
    return _guarded(req, res, deps, path, DEMO_CONSULT_SCOPE, () => {
      try {
        _sendJson(res, 200, _fakePerson(validateInss(decodeURIComponent(person[1] ?? ''))));
      } catch (error) {
        if (!isPasserelleError(error, 'ERR_IDS_INSS_INVALID')) throw error;
        _sendProblem(
          res,
          {
            status: 400,
            title: 'Bad Request',
            detail: 'The SSIN is not valid (11 digits, mod-97 check).',
            type: 'invalid-ssin',
          },
          path,
        );
      }
    });
  }
  return _sendProblem(
    res,
    { status: 404, title: 'Not Found', detail: 'No such resource.', type: 'not-found' },
    path,
  );
}
