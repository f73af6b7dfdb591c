import { createContractValidator, matchOperation, sampleResponse } from '../../openapi/index.ts';
import type {
  ContractMethod,
  ContractOperation,
  ContractResponseData,
  OpenApiContract,
} from '../../openapi/types.ts';
import { _compileRestScenarios, _isJson, type _RestOutcome, type _RestSubject } from './_rest-scenarios.ts';
import { type _ScenarioFile, _ScenarioSet } from './_scenarios.ts';
import type { SandboxRestContract, SandboxRestMatch, SandboxRestReply } from './types.ts';

const METHODS: readonly ContractMethod[] = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/** The bytes of a generated response body: JSON serialised, bytes as they are, text as UTF-8. */
function _bytes(data: ContractResponseData): Uint8Array {
  const { body, contentType } = data;
  if (body === undefined) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string' && !_isJson(contentType)) return new TextEncoder().encode(body);
  return new TextEncoder().encode(JSON.stringify(body));
}

/** Whether `granted` holds every scope of at least one of the operation's requirements. */
function _missingScopes(
  operation: ContractOperation,
  granted: ReadonlySet<string>,
): readonly string[] | undefined {
  if (operation.security.length === 0) return undefined;
  const scopesOf = (req: (typeof operation.security)[number]) => req.flatMap((scheme) => scheme.scopes);
  if (operation.security.some((req) => scopesOf(req).every((s) => granted.has(s)))) return undefined;
  return scopesOf(operation.security[0] ?? []);
}

/**
 * A REST contract as the sandbox serves it: operations matched by method and path, the
 * contract's validator, the scenarios of the files `pair(names)` gives (checked against
 * `names` and the operationIds) and the contract's sample responses.
 */
export function _restContract(
  contract: OpenApiContract,
  api: string,
  names: readonly string[],
  pair: (names: readonly string[]) => readonly _ScenarioFile[],
): { served: SandboxRestContract; scenarios: _ScenarioSet<_RestSubject, _RestOutcome> | undefined } {
  const validator = createContractValidator(contract);
  const ids = new Set(contract.operations.map((o) => o.operationId));
  const files = pair(names);
  const scenarios =
    files.length === 0
      ? undefined
      : new _ScenarioSet(files.flatMap((f) => _compileRestScenarios(f.file, f.raw, names, ids)));
  const served: SandboxRestContract = {
    kind: 'rest',
    api,
    file: contract.file,
    contract,
    match(method, path): SandboxRestMatch {
      const upper = method.toUpperCase() as ContractMethod;
      const found = METHODS.includes(upper) ? matchOperation(contract, upper, path) : undefined;
      if (found !== undefined)
        return { found: true, operation: found.operation, pathParams: found.pathParams };
      return { found: false, allow: METHODS.filter((m) => matchOperation(contract, m, path) !== undefined) };
    },
    missingScopes: _missingScopes,
    validate: (operation, request) => validator.request(operation, request),
    reply(operation, request): SandboxRestReply {
      const subject = {
        path: request.pathParams,
        query: request.query,
        headers: request.headers,
        body: request.body,
      };
      const picked = scenarios?.pick(operation.operationId, subject);
      if (picked !== undefined) return { ...picked.outcome, delayMs: picked.delayMs, scenario: picked.name };
      const sample = sampleResponse(contract, operation);
      return {
        status: sample.status,
        headers: {},
        contentType: sample.contentType,
        body: _bytes(sample),
        delayMs: 0,
        scenario: undefined,
      };
    },
  };
  return { served, scenarios };
}
