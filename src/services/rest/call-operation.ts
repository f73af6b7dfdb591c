import { PasserelleError } from '../../errors.ts';
import {
  buildRequest,
  type ContractIssue,
  type ContractOperation,
  type ContractRequest,
  type ContractValidator,
  createContractValidator,
  type OpenApiContract,
} from '../../openapi/index.ts';
import type { RestClient } from '../../rest/types.ts';
import { _encodeBody } from './_encode-body.ts';

export interface CallOperationInput {
  /** Parameter values by name (`query.name` when a name exists in two locations). */
  readonly params?: Readonly<Record<string, string | readonly string[]>>;
  /** The body: a JSON value, an object of form fields (a file as `{ filename, contentType, bytes }`), or bytes. */
  readonly body?: unknown;
  /** One of the operation's media types; default its first (JSON preferred). */
  readonly contentType?: string;
}

export interface CallOperationOptions {
  /** The API name of `{api}` in `cbss.rest`; default the contract's `apiName`. */
  readonly api?: string;
  /** Check the request before sending and the response after (default true). */
  readonly validate?: boolean;
  /** A validator built once for the contract (else one is built per call). */
  readonly validator?: ContractValidator;
  /** Token scopes; default the scopes of the operation's first security requirement. */
  readonly scope?: string;
  /** Partner-specific headers of the service (`environments.<env>.rest.apis.<api>.headers`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface OperationResult {
  readonly operationId: string;
  readonly api: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string | undefined;
  /** Parsed JSON, the bytes of another type, or undefined when empty. */
  readonly body: unknown;
  /** Whether the request and the response were checked against the contract. */
  readonly validated: boolean;
}

const MAX_ISSUES = 20;

function _invalid(
  code: 'ERR_CONTRACT_REQUEST_INVALID' | 'ERR_CONTRACT_RESPONSE_INVALID',
  op: ContractOperation,
  issues: readonly ContractIssue[],
  extra: Readonly<Record<string, number>> = {},
): PasserelleError {
  const first = issues[0];
  const where =
    first === undefined ? '' : ` (${first.in}${first.at === '' ? '' : ` ${first.at}`}: ${first.message})`;
  const what = code === 'ERR_CONTRACT_REQUEST_INVALID' ? 'request' : 'response';
  return new PasserelleError(
    code,
    `The ${what} of ${op.operationId} does not satisfy the contract${where}${issues.length > 1 ? ` and ${issues.length - 1} more` : ''}`,
    {
      details: {
        operation: op.operationId,
        ...extra,
        errors: issues
          .slice(0, MAX_ISSUES)
          .map((i) => `${i.in}${i.at === '' ? '' : ` ${i.at}`}: ${i.message}`),
      },
    },
  );
}

/**
 * Calls one operation of a REST contract through `rest` (bearer token, problem+json errors):
 * builds the request from the contract (path, query and header parameters, JSON, multipart or
 * form body), checks it against the contract before anything is sent
 * (ERR_CONTRACT_REQUEST_INVALID, details.errors), asks the token for the operation's scopes,
 * adds the service's configured headers, and checks the response against the contract
 * (ERR_CONTRACT_RESPONSE_INVALID). Error statuses are the REST client's errors (ERR_REST_*).
 */
export async function callOperation(
  rest: RestClient,
  contract: OpenApiContract,
  op: ContractOperation,
  input: CallOperationInput = {},
  options: CallOperationOptions = {},
): Promise<OperationResult> {
  if (op.method === 'OPTIONS')
    throw new PasserelleError('ERR_CONTRACT_UNSUPPORTED', `${op.operationId} is an OPTIONS operation`, {
      details: { feature: 'OPTIONS method', operation: op.operationId },
    });
  const { method } = op;
  const validate = options.validate ?? true;
  const api = options.api ?? contract.apiName;
  const request: ContractRequest = buildRequest(contract, op, {
    ...(input.params === undefined ? {} : { params: input.params }),
    ...(input.body === undefined ? {} : { body: input.body }),
    ...(input.contentType === undefined ? {} : { contentType: input.contentType }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
  const validator = validate ? (options.validator ?? createContractValidator(contract)) : undefined;
  const requestIssues = validator?.request(op, request) ?? [];
  if (requestIssues.length > 0) throw _invalid('ERR_CONTRACT_REQUEST_INVALID', op, requestIssues);
  const encoded = await _encodeBody(request);
  const scope = options.scope ?? (op.scopes.length > 0 ? op.scopes.join(' ') : undefined);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers))
    if (k !== 'authorization' && k !== 'content-type') headers[k] = v;
  const res = await rest.request(request.path, {
    api,
    method,
    query: request.query,
    headers,
    ...(encoded === undefined ? {} : { body: encoded }),
    ...(scope === undefined ? {} : { scope }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const contentType =
    res.headers['content-type'] === undefined ? undefined : String(res.headers['content-type']);
  const responseIssues = validator?.response(op, { status: res.status, contentType, body: res.body }) ?? [];
  if (responseIssues.length > 0)
    throw _invalid('ERR_CONTRACT_RESPONSE_INVALID', op, responseIssues, { status: res.status });
  return {
    operationId: op.operationId,
    api,
    method: request.method,
    path: request.path,
    status: res.status,
    contentType,
    body: res.body,
    validated: validate,
  };
}
