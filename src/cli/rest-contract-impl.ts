import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { readInputFile } from '../input-file.ts';
import {
  type ContractOperation,
  findOperation,
  loadOpenApi,
  type OpenApiContract,
  requestTemplate,
} from '../openapi/index.ts';
import { callOperation } from '../services/rest/call-operation.ts';
import { createRestService } from '../services/rest/create-rest-service.ts';
import { decodeUtf8 } from '../utf8.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';
import { readStdinBytes } from './wss-stdin.ts';

export interface RestContractCallOptions {
  openapi: string;
  operation: string;
  param?: string[];
  body?: string;
  file?: string[];
  contentType?: string;
  api?: string;
  clientId?: string;
  scope?: string;
  validate: boolean;
}

/** What `--body` reads as JSON: a JSON media type, or a form's text fields. */
const _JSON = /^application\/(?:[\w.-]+\+)?json\b/i;
const _FORM = /^multipart\/|^application\/x-www-form-urlencoded\b/i;

const _usage = (message: string, hint: string) => new PasserelleError('ERR_USAGE', message, { hint });

const _load = (ctx: CommandContext, file: string): Promise<OpenApiContract> =>
  loadOpenApi(resolve(ctx.cwd, file));

/** `name=value` pairs of --param / --file, a name repeated giving several values. */
function _pairs(list: readonly string[], flag: string): [string, string][] {
  return list.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw _usage(`${flag} ${pair.slice(0, 80)}: expected NAME=VALUE`, `Write ${flag} name=value.`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

function _params(list: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of _pairs(list, '--param')) {
    const had = out[k];
    out[k] = had === undefined ? v : [...(typeof had === 'string' ? [had] : had), v];
  }
  return out;
}

/** The body of --body (a JSON file or - for stdin) and the file fields of --file NAME=PATH. */
async function _body(
  ctx: CommandContext,
  op: ContractOperation,
  opts: RestContractCallOptions,
): Promise<unknown> {
  let body: unknown;
  if (opts.body !== undefined) {
    const bytes =
      opts.body === '-'
        ? await readStdinBytes(process.stdin, 16 * 1024 * 1024)
        : await readInputFile(resolve(ctx.cwd, opts.body), { what: 'request body', setting: '--body' });
    // A body that is neither JSON nor a form (a PDF, XML, text) goes as the file's bytes.
    const types = (op.body?.contents ?? []).map((m) => m.mediaType);
    const media = opts.contentType ?? types.find((t) => _JSON.test(t)) ?? types[0];
    if (media !== undefined && !_JSON.test(media) && !_FORM.test(media)) return bytes;
    try {
      body = JSON.parse(decodeUtf8(bytes));
    } catch (cause) {
      throw new PasserelleError('ERR_USAGE', `--body ${opts.body}: not JSON`, {
        hint: 'Give the body as a JSON file (for a form: a JSON object of its text fields, files with --file).',
        cause,
      });
    }
  }
  const files = _pairs(opts.file ?? [], '--file');
  if (files.length === 0) return body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
    throw _usage(
      '--file needs --body to be a JSON object of fields',
      'Give the text fields as a JSON object.',
    );
  const fields: Record<string, unknown> = { ...(body as Record<string, unknown> | undefined) };
  for (const [name, path] of files) {
    const bytes = await readInputFile(resolve(ctx.cwd, path), { what: 'file field', setting: '--file' });
    fields[name] = { filename: basename(path), contentType: 'application/octet-stream', bytes };
  }
  return fields;
}

/** `passerelle rest operations FILE`: every operation with its method, path and scopes. */
export async function restOperationsCommand(ctx: CommandContext, file: string): Promise<number> {
  const contract = await _load(ctx, file);
  const operations = contract.operations.map((o) => ({
    operationId: o.operationId,
    method: o.method,
    path: o.path,
    scopes: o.scopes,
    summary: o.summary ?? null,
  }));
  emit(
    ctx.io,
    ctx.json,
    { title: contract.title, version: contract.version, api: contract.apiName, operations },
    () =>
      [
        `${contract.title} (OpenAPI ${contract.version}, api ${contract.apiName})`,
        ...operations.map(
          (o) =>
            `  ${o.operationId.padEnd(28)} ${o.method.padEnd(6)} ${o.path}${o.scopes.length > 0 ? `  [${o.scopes.join(' ')}]` : ''}`,
        ),
      ].join('\n'),
  );
  return 0;
}

/** `passerelle rest template FILE OPERATION`: parameters and a body generated from the contract. */
export async function restTemplateCommand(
  ctx: CommandContext,
  file: string,
  operation: string,
  opts: { bodyOut?: string } = {},
): Promise<number> {
  const contract = await _load(ctx, file);
  const op = findOperation(contract, operation);
  const template = requestTemplate(contract, op);
  if (opts.bodyOut !== undefined) {
    if (template.contentType === undefined)
      throw _usage(`${op.operationId} has no request body`, 'Leave out --body-out for this operation.');
    if (template.body instanceof Uint8Array)
      throw _usage(
        `${op.operationId} takes a ${template.contentType} body, not JSON`,
        'Leave out --body-out: `rest call --body FILE` sends that file as the body.',
      );
    writeFileSync(resolve(ctx.cwd, opts.bodyOut), `${JSON.stringify(_textFields(template), null, 2)}\n`);
  }
  const printable = (v: unknown) =>
    JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? `<${x.length} bytes>` : x), 2);
  emit(ctx.io, ctx.json, { operationId: op.operationId, ...JSON.parse(printable(template)) }, () =>
    [
      `# ${op.method} ${op.path}${op.scopes.length > 0 ? `  (scopes: ${op.scopes.join(' ')})` : ''}`,
      ...Object.entries(template.params).map(([k, v]) => `--param ${k}=${v}`),
      ...(template.contentType === undefined
        ? []
        : [`# body (${template.contentType}):`, printable(template.body)]),
    ].join('\n'),
  );
  return 0;
}

/** The template's body as `--body` reads it: a form keeps its text fields (files go with --file). */
function _textFields(template: { contentType?: string; body?: unknown }): unknown {
  const { body, contentType } = template;
  if (contentType === undefined || !_FORM.test(contentType)) return body;
  const fields = Object.entries((body ?? {}) as Record<string, unknown>).filter(
    ([, v]) => !(v instanceof Uint8Array) && !(typeof v === 'object' && v !== null && 'bytes' in v),
  );
  return Object.fromEntries(fields);
}

/** `passerelle rest call --openapi FILE --operation ID`: one contract operation, checked both ways. */
export async function restContractCallCommand(
  ctx: CommandContext,
  opts: RestContractCallOptions,
): Promise<number> {
  const contract = await _load(ctx, opts.openapi);
  const op = findOperation(contract, opts.operation);
  const api = opts.api ?? contract.apiName;
  const body = await _body(ctx, op, opts);
  const env = await ctx.environment();
  const configured = env.rest?.apis[api];
  const service = await createRestService(env, {
    clock: ctx.clock,
    processEnv: ctx.processEnv,
    trace: await ctx.trace(),
    ...(opts.clientId === undefined ? {} : { clientId: opts.clientId }),
  });
  try {
    const scope = opts.scope ?? configured?.scope;
    const result = await callOperation(
      service.rest(),
      contract,
      op,
      {
        ...(opts.param === undefined ? {} : { params: _params(opts.param) }),
        ...(body === undefined ? {} : { body }),
        ...(opts.contentType === undefined ? {} : { contentType: opts.contentType }),
      },
      {
        api,
        validate: opts.validate,
        ...(scope === undefined ? {} : { scope }),
        ...(configured?.headers === undefined ? {} : { headers: configured.headers }),
      },
    );
    const shown =
      result.body instanceof Uint8Array
        ? { contentType: result.contentType, bytes: result.body.length }
        : (result.body ?? null);
    emit(ctx.io, ctx.json, { ...result, body: shown }, () =>
      [
        `${result.operationId}: HTTP ${result.status}${result.validated ? ' (request and response valid against the contract)' : ' (not validated)'}`,
        typeof shown === 'object' ? JSON.stringify(shown, null, 2) : String(shown),
      ].join('\n'),
    );
    return 0;
  } finally {
    await service.close();
  }
}
