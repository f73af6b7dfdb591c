import { bodyInstance, coerceValue } from './_coerce.ts';
import { bodyIssues, dedupe, parameterIssues } from './_issues.ts';
import { bareMediaType, isJsonMedia } from './_json.ts';
import { mediaFor, responseFor } from './_media.ts';
import { compilerFor } from './_schema-compiler.ts';
import type {
  ContractIssue,
  ContractMedia,
  ContractOperation,
  ContractRequest,
  ContractResponseData,
  OpenApiContract,
} from './types.ts';

export interface ContractValidator {
  /** Where the request breaks the operation's contract (empty: it does not). */
  request(op: ContractOperation, req: ContractRequest): ContractIssue[];
  /** Where the response breaks the operation's contract (empty: it does not). */
  response(op: ContractOperation, res: ContractResponseData): ContractIssue[];
}

/** Header parameters OpenAPI says to ignore: the transport sets them. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/**
 * A validator of requests and responses against a contract (ajv, draft 2020-12 after converting
 * the contract's schemas). Schemas compile on first use and stay cached.
 */
export function createContractValidator(contract: OpenApiContract): ContractValidator {
  const compiler = compilerFor(contract.document);
  const doc = contract.document;

  function bodyAgainst(media: ContractMedia, contentType: string, body: unknown): ContractIssue[] {
    if (media.schema === undefined) return [];
    const instance = bodyInstance(doc, contentType, media.schema, body);
    if (instance === undefined) return [];
    return bodyIssues(compiler.errors(media.schema, instance.value));
  }

  return {
    request(op, req) {
      const issues: ContractIssue[] = [];
      if (req.method !== op.method) {
        issues.push({ in: 'operation', at: '', message: `method ${req.method} is not ${op.method}` });
      }
      for (const p of op.parameters) {
        const raw =
          p.in === 'path'
            ? req.pathParams[p.name]
            : p.in === 'query'
              ? req.query[p.name]
              : req.headers[p.name.toLowerCase()];
        if (p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())) continue;
        if (raw === undefined) {
          if (p.required) issues.push({ in: p.in, at: p.name, message: 'is required' });
          continue;
        }
        const value = coerceValue(doc, p.schema, raw, p.explode);
        issues.push(...parameterIssues(p.in, p.name, compiler.errors(p.schema, value)));
      }
      if (op.body === undefined) {
        if (req.body !== undefined) issues.push({ in: 'body', at: '', message: 'no body is expected' });
        return dedupe(issues);
      }
      if (req.body === undefined) {
        if (op.body.required) issues.push({ in: 'body', at: '', message: 'is required' });
        return dedupe(issues);
      }
      if (op.body.contents.length === 0) return dedupe(issues);
      const accepted = op.body.contents.map((m) => m.mediaType).join(', ');
      const media = req.contentType === undefined ? undefined : mediaFor(op.body.contents, req.contentType);
      if (req.contentType === undefined || media === undefined) {
        const given =
          req.contentType === undefined ? 'missing' : bareMediaType(req.contentType).slice(0, 100);
        issues.push({ in: 'content-type', at: '', message: `${given}: expected one of ${accepted}` });
        return dedupe(issues);
      }
      issues.push(...bodyAgainst(media, req.contentType, req.body));
      return dedupe(issues);
    },

    response(op, res) {
      const declared = responseFor(op, res.status);
      if (declared === undefined) {
        const statuses = op.responses.map((r) => r.status).join(', ');
        return [
          { in: 'status', at: String(res.status), message: `status not declared (declared: ${statuses})` },
        ];
      }
      if (res.body === undefined || declared.contents.length === 0) return [];
      const media = res.contentType === undefined ? undefined : mediaFor(declared.contents, res.contentType);
      if (res.contentType === undefined || media === undefined) {
        const given =
          res.contentType === undefined ? 'missing' : bareMediaType(res.contentType).slice(0, 100);
        const accepted = declared.contents.map((m) => m.mediaType).join(', ');
        return [{ in: 'content-type', at: '', message: `${given}: expected one of ${accepted}` }];
      }
      if (!isJsonMedia(res.contentType)) return [];
      return bodyAgainst(media, res.contentType, res.body);
    },
  };
}
