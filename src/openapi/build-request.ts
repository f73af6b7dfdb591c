import { PasserelleError } from '../errors.ts';
import { isJsonMedia } from './_json.ts';
import type {
  ContractIssue,
  ContractOperation,
  ContractParameter,
  ContractRequest,
  OpenApiContract,
} from './types.ts';

export interface BuildRequestInput {
  /**
   * Parameter values by name; a name used in two locations is written `query.name`,
   * `header.name` or `path.name`. Several values: a repeated (or, not exploded, comma-joined) query.
   */
  readonly params?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: unknown;
  /** Default: the operation's first body media type, JSON preferred (only when there is a body). */
  readonly contentType?: string;
  /** Extra headers (names lower-cased). */
  readonly headers?: Readonly<Record<string, string>>;
}

const LOCATIONS = ['path', 'query', 'header'] as const;

function locate(op: ContractOperation, key: string): ContractParameter | ContractIssue {
  const dot = key.indexOf('.');
  const prefix = dot > 0 ? key.slice(0, dot) : '';
  if ((LOCATIONS as readonly string[]).includes(prefix)) {
    const name = key.slice(dot + 1);
    const found = op.parameters.find((p) => p.in === prefix && p.name === name);
    if (found !== undefined) return found;
  }
  const candidates = op.parameters.filter(
    (p) => p.name === key || (p.in === 'header' && p.name.toLowerCase() === key.toLowerCase()),
  );
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length > 1) {
    const where = candidates.map((p) => `${p.in}.${p.name}`).join(' or ');
    return { in: 'operation', at: key, message: `is ambiguous: write ${where}` };
  }
  const known = op.parameters.map((p) => p.name).join(', ') || 'none';
  return {
    in: 'operation',
    at: key.slice(0, 100),
    message: `is not a parameter of ${op.operationId} (known: ${known})`,
  };
}

function single(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : value.join(',');
}

/**
 * The request an operation's parameters and body make: each parameter in its location, path
 * parameters percent-encoded into the path. It does not validate (the validator does); an
 * unknown or ambiguous parameter name is ERR_CONTRACT_REQUEST_INVALID.
 */
export function buildRequest(
  _contract: OpenApiContract,
  op: ContractOperation,
  input: BuildRequestInput = {},
): ContractRequest {
  const { params = {}, body, contentType, headers = {} } = input;
  const pathParams: Record<string, string> = {};
  const query: Record<string, string | readonly string[]> = {};
  const outHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) outHeaders[name.toLowerCase()] = value;
  const issues: ContractIssue[] = [];
  for (const [key, value] of Object.entries(params)) {
    const p = locate(op, key);
    if (!('name' in p)) {
      issues.push(p);
      continue;
    }
    if (p.in === 'path') pathParams[p.name] = single(value);
    else if (p.in === 'header') outHeaders[p.name.toLowerCase()] = single(value);
    else query[p.name] = typeof value === 'string' ? value : [...value];
  }
  if (issues.length > 0) {
    throw new PasserelleError(
      'ERR_CONTRACT_REQUEST_INVALID',
      `${op.operationId}: ${issues[0]!.at} ${issues[0]!.message}`,
      {
        details: { operationId: op.operationId, errors: issues.map((i) => `${i.in} ${i.at}: ${i.message}`) },
      },
    );
  }
  const path = op.path.replace(/\{([^}]+)\}/g, (whole, name: string) =>
    pathParams[name] === undefined ? whole : encodeURIComponent(pathParams[name]),
  );
  const media = op.body?.contents ?? [];
  const chosen =
    body === undefined
      ? undefined
      : (contentType ?? (media.find((m) => isJsonMedia(m.mediaType)) ?? media[0])?.mediaType);
  return { method: op.method, path, pathParams, query, headers: outHeaders, contentType: chosen, body };
}
