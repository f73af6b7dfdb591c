import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPasserelleError } from '../../errors.ts';
import type { ContractIssue, ContractMethod, ContractRequest } from '../../openapi/types.ts';
import { decodeUtf8 } from '../../utf8.ts';
import type { _AuthResult } from '../_bearer-auth.ts';
import { _readRequestBody } from '../_request-body.ts';
import type { SandboxRestContract } from '../contracts/index.ts';
import type { SandboxModuleContext } from '../module.ts';
import { _sendProblem } from './_respond.ts';

/** Bounds of a request body sent to a contract operation. */
const BODY_LIMITS = { maxBytes: 10 * 1024 * 1024, idleMs: 5_000, totalMs: 30_000, drainBytes: 1024 * 1024 };

export interface _ContractDeps {
  readonly ctx: SandboxModuleContext;
  authorize(req: IncomingMessage, scope: string | undefined): Promise<_AuthResult>;
  authorized(result: Extract<_AuthResult, { ok: true }>): void;
  refused(result: Extract<_AuthResult, { ok: false }>, path: string, req: IncomingMessage): void;
  /** Counts an event of the contract APIs (`contractCalls`, `contractInvalid`, ...). */
  count(key: string): void;
  /** Aborted when the module closes: pending scenario delays end. */
  readonly signal: AbortSignal;
}

type _Parsed =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly issue: ContractIssue };

/** The body parsed by its type: JSON, form fields (a file as { filename, contentType, bytes }), else bytes. */
async function _parseBody(bytes: Buffer, contentType: string | undefined): Promise<_Parsed> {
  if (bytes.length === 0) return { ok: true, body: undefined };
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type)) {
    try {
      return { ok: true, body: JSON.parse(decodeUtf8(bytes)) };
    } catch {
      return { ok: false, issue: { in: 'body', at: '', message: 'the body is not valid JSON' } };
    }
  }
  if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') {
    let form: FormData;
    try {
      form = await new Response(bytes, { headers: { 'content-type': contentType ?? type } }).formData();
    } catch {
      return { ok: false, issue: { in: 'body', at: '', message: `the body is not valid ${type}` } };
    }
    const fields: Record<string, unknown> = {};
    for (const [name, value] of form.entries()) {
      const field =
        typeof value === 'string'
          ? value
          : {
              filename: value.name,
              contentType: value.type,
              bytes: new Uint8Array(await value.arrayBuffer()),
            };
      const before = fields[name];
      fields[name] =
        before === undefined ? field : Array.isArray(before) ? [...before, field] : [before, field];
    }
    return { ok: true, body: fields };
  }
  return { ok: true, body: new Uint8Array(bytes) };
}

function _query(url: URL): Record<string, string | readonly string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}

function _headers(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The body, or undefined once a refusal (413, 408) was sent or the client went away. */
async function _readBody(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<Buffer | undefined> {
  try {
    return await _readRequestBody(req, BODY_LIMITS);
  } catch (error) {
    if (isPasserelleError(error, 'ERR_SANDBOX_REQUEST_ABORTED')) return undefined;
    if (
      !isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TOO_LARGE') &&
      !isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TIMEOUT')
    )
      throw error;
    res.setHeader('connection', 'close');
    const tooLarge = error.code === 'ERR_SANDBOX_REQUEST_TOO_LARGE';
    _sendProblem(
      res,
      {
        status: tooLarge ? 413 : 408,
        title: tooLarge ? 'Content Too Large' : 'Request Timeout',
        detail: error.message,
      },
      path,
    );
    return undefined;
  }
}

function _invalid(res: ServerResponse, issues: readonly ContractIssue[], path: string): void {
  const [first] = issues;
  const where =
    first === undefined ? '' : `${first.in}${first.at === '' ? '' : ` ${first.at}`}: ${first.message}`;
  _sendProblem(
    res,
    {
      status: 400,
      title: 'Bad Request',
      detail: `The request does not match the contract (${where.slice(0, 300)}).`,
      type: 'request-invalid',
      extensions: { errors: issues.slice(0, 50).map((i) => ({ in: i.in, at: i.at, message: i.message })) },
    },
    path,
  );
}

/**
 * One request to an API served from a contract: any valid bearer token; the operation by method
 * and path (404, or 405 with Allow); the operation's scopes (403 insufficient_scope); the body
 * read (bounded) and parsed by type; the request validated (400 naming the fields); then the
 * matching scenario's reply or the generated sample, after the scenario's delay.
 */
export async function _contractRoute(
  req: IncomingMessage,
  res: ServerResponse,
  deps: _ContractDeps,
  contract: SandboxRestContract,
  sub: string,
): Promise<void> {
  const { ctx } = deps;
  const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
  const path = url.pathname;
  const auth = await deps.authorize(req, undefined);
  if (!auth.ok) {
    deps.refused(auth, path, req);
    return _sendProblem(res, auth.problem, path);
  }
  const method = req.method ?? 'GET';
  const match = contract.match(method, sub);
  if (!match.found) {
    const known = match.allow.length > 0;
    ctx.journal?.note(req, { reason: known ? 'method-not-allowed' : 'unknown-operation' });
    deps.count('contractNotFound');
    if (known) res.setHeader('allow', match.allow.join(', '));
    return _sendProblem(
      res,
      known
        ? { status: 405, title: 'Method Not Allowed', detail: `Allowed: ${match.allow.join(', ')}.` }
        : {
            status: 404,
            title: 'Not Found',
            detail: 'No such operation in the contract.',
            type: 'not-found',
          },
      path,
    );
  }
  const { operation } = match;
  const name = `${contract.api} ${operation.operationId}`;
  ctx.journal?.note(req, { operation: name });
  const granted = new Set(typeof auth.claims['scope'] === 'string' ? auth.claims['scope'].split(' ') : []);
  const missing = contract.missingScopes(operation, granted);
  if (missing !== undefined) {
    const scope = missing.join(' ');
    const problem = {
      status: 403,
      title: 'Forbidden',
      detail: `The access token lacks the scope ${scope}.`,
      type: 'insufficient-scope',
      challenge: { error: 'insufficient_scope', scope },
    };
    deps.refused({ ok: false, reason: `missing scope ${scope}`, problem }, path, req);
    return _sendProblem(res, problem, path);
  }
  deps.authorized(auth);
  const bytes = await _readBody(req, res, path);
  if (bytes === undefined) return;
  const headers = _headers(req);
  const contentType = bytes.length === 0 ? undefined : headers['content-type'];
  const parsed = await _parseBody(bytes, contentType);
  const request: ContractRequest = {
    method: method.toUpperCase() as ContractMethod,
    path: sub,
    pathParams: match.pathParams,
    query: _query(url),
    headers,
    contentType: contentType?.split(';')[0]?.trim(),
    body: parsed.ok ? parsed.body : undefined,
  };
  const issues = parsed.ok ? contract.validate(operation, request) : [parsed.issue];
  if (issues.length > 0) {
    deps.count('contractInvalid');
    ctx.journal?.note(req, { reason: 'request-invalid' });
    ctx.log.info({ operation: name, issues: issues.slice(0, 10) }, 'contract request invalid');
    return _invalid(res, issues, path);
  }
  const reply = contract.reply(operation, request);
  if (reply.delayMs > 0) await sleep(reply.delayMs, undefined, { signal: deps.signal });
  deps.count('contractCalls');
  if (reply.scenario !== undefined) deps.count('contractScenarioReplies');
  ctx.log.info(
    { operation: name, status: reply.status, scenario: reply.scenario ?? null },
    'contract call served',
  );
  res.writeHead(reply.status, {
    ...reply.headers,
    ...(reply.contentType === undefined ? {} : { 'content-type': reply.contentType }),
    'content-length': reply.body.length,
  });
  res.end(method.toUpperCase() === 'HEAD' ? undefined : reply.body);
}
