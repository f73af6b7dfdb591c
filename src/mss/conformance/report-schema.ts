/**
 * The result of one conformance run as data, and its JSON Schema (draft 2020-12). This JSON is
 * the record: the HTML and PDF reports are rendered only from it (never from runner state), so
 * a report can be re-rendered and checked later from the JSON alone. It holds no secret: the
 * target names host, ports, mailbox and IdNat, a client certificate by subject and fingerprint
 * only, and every transcript line has been through redactTranscript. The schema rejects
 * unknown fields and transcript text that still looks like a token.
 */
import { isDeepStrictEqual } from 'node:util';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { CATALOGUE, CATALOGUE_VERSION } from './catalogue.ts';
import {
  CASE_STATUSES,
  type CaseResult,
  computeVerdict,
  SEVERITIES,
  VERDICT_LEVELS,
  type Verdict,
} from './verdict.ts';

export type TlsMode = 'implicit' | 'starttls';

export interface MailEndpoint {
  readonly port: number;
  readonly tls: TlsMode;
}

export interface RunTarget {
  readonly host: string;
  readonly imap: MailEndpoint;
  readonly smtp: MailEndpoint;
  readonly mailbox: string;
  /** The professional's national id (RPPS, PSC `preferred_username`). */
  readonly idNat: string;
  /**
   * The client certificate used for the AUTH_CLI cases, identified only; `mailbox` when it opens
   * another mailbox than `mailbox` (an applicative mailbox).
   */
  readonly clientCertificate?: {
    readonly subject: string;
    readonly sha256: string;
    readonly mailbox?: string;
  };
}

export interface RunResult {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly operator: { readonly name: string };
  readonly target: RunTarget;
  /** ISO 8601 UTC from the runner's injected clock. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly catalogueVersion: string;
  /** The case ids the run was meant to cover; the verdict is computed against them. */
  readonly selection: readonly string[];
  readonly results: readonly CaseResult[];
  readonly verdict: Verdict;
}

const ISO_UTC = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$';
const CASE_ID = '^[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)+$';
/**
 * Unredacted token shapes: a bearer value (the word alone: `AUTH=OAUTHBEARER ID` is a capability),
 * a JWT (ECMA-262 and Python `re` both read these).
 */
const TOKEN_LEFT =
  '(?:^|[^A-Za-z0-9_])[Bb][Ee][Aa][Rr][Ee][Rr][ \\t]+[^\\[ \\t]|eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.';
const safeText = { type: 'string', maxLength: 4000, not: { pattern: TOKEN_LEFT } };
const caseId = { type: 'string', pattern: CASE_ID };
const endpoint = {
  type: 'object',
  additionalProperties: false,
  required: ['port', 'tls'],
  properties: {
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    tls: { enum: ['implicit', 'starttls'] },
  },
};
const obj = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

export const RUN_RESULT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:passerelle:mss:conformance:run-result:1',
  title: 'MSSanté API LPS conformance run result',
  ...obj(
    [
      'schemaVersion',
      'runId',
      'operator',
      'target',
      'startedAt',
      'finishedAt',
      'catalogueVersion',
      'selection',
      'results',
      'verdict',
    ],
    {
      schemaVersion: { const: 1 },
      runId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
      operator: obj(['name'], { name: { type: 'string', minLength: 1, maxLength: 200 } }),
      target: obj(['host', 'imap', 'smtp', 'mailbox', 'idNat'], {
        host: { type: 'string', pattern: '^[A-Za-z0-9.:\\[\\]-]{1,253}$' },
        imap: endpoint,
        smtp: endpoint,
        mailbox: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 254 },
        idNat: { type: 'string', pattern: '^[0-9A-Za-z]{1,20}$' },
        clientCertificate: obj(['subject', 'sha256'], {
          subject: { type: 'string', maxLength: 1000 },
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          mailbox: { type: 'string', maxLength: 254 },
        }),
      }),
      startedAt: { type: 'string', pattern: ISO_UTC },
      finishedAt: { type: 'string', pattern: ISO_UTC },
      catalogueVersion: { type: 'string', pattern: '^\\d{4}\\.\\d{2}-\\d+$' },
      selection: { type: 'array', items: caseId, uniqueItems: true },
      results: {
        type: 'array',
        items: obj(['caseId', 'status', 'durationMs', 'evidence', 'message'], {
          caseId,
          status: { enum: CASE_STATUSES },
          durationMs: { type: 'number', minimum: 0 },
          evidence: {
            type: 'array',
            items: obj(['dir', 'text'], { dir: { enum: ['c', 's', 'note'] }, text: safeText }),
          },
          message: safeText,
        }),
      },
      verdict: obj(['level', 'incomplete', 'failures', 'notRun'], {
        level: { enum: VERDICT_LEVELS },
        incomplete: { type: 'boolean' },
        failures: {
          type: 'array',
          items: obj(['caseId', 'severity', 'status'], {
            caseId,
            severity: { enum: SEVERITIES },
            status: { enum: ['failed', 'error'] },
          }),
        },
        notRun: {
          type: 'array',
          items: obj(['caseId', 'severity', 'reason', 'blockedBy'], {
            caseId,
            severity: { enum: SEVERITIES },
            reason: { enum: ['missing', 'skipped', 'dependency-not-passed'] },
            blockedBy: { type: 'array', items: caseId },
          }),
        },
      }),
    },
  ),
} as const;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ strict: true, allErrors: true, logger: false }).compile(RUN_RESULT_SCHEMA);
  return compiled;
}

function describe(e: ErrorObject): string {
  const extra =
    e.keyword === 'additionalProperties'
      ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
      : '';
  return `${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra}`;
}

/**
 * The issues of `json` as a run result: schema issues (`<path>: <message>`), then, when the
 * run used this catalogue version, whether the verdict follows from the results. Empty when
 * valid.
 */
export function validateRunResult(json: unknown): string[] {
  const validate = validator();
  if (!validate(json)) return (validate.errors ?? []).map(describe);
  const run = json as RunResult;
  const issues: string[] = [];
  if (Date.parse(run.finishedAt) < Date.parse(run.startedAt)) issues.push('/finishedAt: before startedAt');
  if (run.catalogueVersion !== CATALOGUE_VERSION) return issues;
  const selected = new Set(run.selection);
  const unknown = run.selection.filter((id) => !CATALOGUE.some((c) => c.id === id));
  if (unknown.length > 0) return [...issues, `/selection: unknown case ids ${unknown.join(', ')}`];
  const outside = run.results.filter((r) => !selected.has(r.caseId)).map((r) => r.caseId);
  if (outside.length > 0) return [...issues, `/results: cases outside the selection ${outside.join(', ')}`];
  const ids = run.results.map((r) => r.caseId);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) return [...issues, `/results: two results for ${twice.join(', ')}`];
  const expected = computeVerdict(
    CATALOGUE.filter((c) => selected.has(c.id)),
    run.results,
  );
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(expected)), run.verdict))
    issues.push('/verdict: does not follow from the results');
  return issues;
}
