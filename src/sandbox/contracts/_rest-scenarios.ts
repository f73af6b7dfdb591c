import type { ContractRequest } from '../../openapi/types.ts';
import { _RestScenarioFile, type _RestScenarioInput } from './_scenario-schema.ts';
import { _compileCondition, _compileScenarios, _ProblemError, type _Scenario } from './_scenarios.ts';
import { _compileJsonPath } from './_select.ts';

/** What a REST scenario's conditions read: `$.path`, `$.query`, `$.headers`, `$.body`. */
export interface _RestSubject {
  readonly path: Readonly<Record<string, string>>;
  readonly query: ContractRequest['query'];
  readonly headers: ContractRequest['headers'];
  readonly body: unknown;
}

/** A canned REST reply, serialised once. */
export interface _RestOutcome {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** Headers a scenario may not set: the listener writes them. */
const RESERVED = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'upgrade']);

/** Whether a media type is JSON (`application/json`, `application/problem+json`, ...). */
export function _isJson(mediaType: string | undefined): boolean {
  const type = (mediaType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
}

function _outcome(s: _RestScenarioInput, at: string): _RestOutcome {
  const { status, headers = {}, body } = s.reply;
  const contentType =
    s.reply.contentType ?? (status >= 400 ? 'application/problem+json' : 'application/json');
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (RESERVED.has(key))
      throw new _ProblemError({ at: `${at}.reply.headers.${name}`, message: `${key} is set by the sandbox` });
    lower[key] = value;
  }
  let bytes: Uint8Array;
  if (body === undefined) bytes = new Uint8Array();
  else if (_isJson(contentType)) bytes = new TextEncoder().encode(JSON.stringify(body));
  else if (typeof body === 'string') bytes = new TextEncoder().encode(body);
  else
    throw new _ProblemError({
      at: `${at}.reply.body`,
      message: `a ${contentType} body is text (a JSON value needs a JSON content type)`,
    });
  return { status, headers: lower, contentType, body: bytes };
}

/**
 * Compiles the scenario file (parsed, from `file`) of a REST contract: `contract` one of `names`, each scenario's
 * `operation` an operationId of the contract, conditions JSONPath (`path:`) tests. Any problem
 * is ERR_CONTRACT_SCENARIO_INVALID naming its place in the file.
 */
export function _compileRestScenarios(
  file: string,
  raw: unknown,
  names: readonly string[],
  operationIds: ReadonlySet<string>,
): _Scenario<_RestSubject, _RestOutcome>[] {
  return _compileScenarios(
    file,
    raw,
    _RestScenarioFile,
    { names, operations: operationIds },
    {
      when: (s) => s.when,
      condition: (c, at) => _compileCondition<_RestSubject>(c, () => _compileJsonPath(c.path), at, 'path'),
      outcome: _outcome,
    },
  );
}
