import { relative, resolve } from 'node:path';
import { listOperations } from '../wsdl/list-operations.ts';
import { readWsdl } from '../wsdl/read-wsdl.ts';
import { requestTemplate } from '../wsdl/request-template.ts';
import { resolveOperation } from '../wsdl/resolve-operation.ts';
import type { QName, WsdlOperationRow, WsdlPolicy } from '../wsdl/types.ts';
import type { WsdlTemplateOptions } from './commands/wsdl.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

const clark = (q: QName | undefined): string =>
  q === undefined ? '(none)' : q.ns === '' ? q.name : `{${q.ns}}${q.name}`;

const security = (p: WsdlPolicy): string =>
  p.algorithmSuite === undefined ? p.security : `${p.security} (${p.algorithmSuite})`;

function _table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function _human(file: string, rows: readonly WsdlOperationRow[]): string {
  if (rows.length === 0) return `${file}: no SOAP operation (no SOAP 1.1 or 1.2 binding)`;
  const lines = [`${file}: ${rows.length} operation${rows.length === 1 ? '' : 's'}`];
  const groups = new Map<string, WsdlOperationRow[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.service, r.port, r.binding]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const group of groups.values()) {
    const [first] = group;
    lines.push('');
    lines.push(
      first!.port === undefined
        ? `binding ${first!.binding} (SOAP ${first!.soapVersion}), no port`
        : `service ${first!.service}, port ${first!.port} (SOAP ${first!.soapVersion}, binding ${first!.binding})`,
    );
    if (first!.port !== undefined) lines.push(`  address ${first!.address ?? '(none)'}`);
    const table = _table([
      ['OPERATION', 'SECURITY', 'SOAPACTION', 'REQUEST ELEMENT'],
      ...group.map((r) => [
        r.operation,
        security(r.policy),
        JSON.stringify(r.soapAction),
        clark(r.inputElement),
      ]),
    ]);
    lines.push(...table.map((l) => `  ${l}`));
  }
  return lines.join('\n');
}

/** `passerelle wsdl operations FILE`: the SOAP operations of a contract. */
export async function wsdlOperations(ctx: CommandContext, file: string): Promise<number> {
  const model = await readWsdl(resolve(ctx.cwd, file));
  const operations = listOperations(model);
  emit(ctx.io, ctx.json, { file: model.path, files: model.files, operations }, () =>
    _human(relative(ctx.cwd, model.path) || model.path, operations),
  );
  return 0;
}

/** `passerelle wsdl template FILE OPERATION [--port NAME]`: the request Body skeleton. */
export async function wsdlTemplate(
  ctx: CommandContext,
  file: string,
  operation: string,
  opts: WsdlTemplateOptions,
): Promise<number> {
  const model = await readWsdl(resolve(ctx.cwd, file));
  const selector = opts.port === undefined ? {} : { port: opts.port };
  const resolved = resolveOperation(model, operation, selector);
  const body = requestTemplate(model, operation, selector);
  emit(
    ctx.io,
    ctx.json,
    {
      operation: resolved.operation,
      service: resolved.service ?? null,
      port: resolved.port ?? null,
      soapAction: resolved.soapAction,
      soapVersion: resolved.soapVersion,
      security: resolved.security,
      address: resolved.address ?? null,
      inputElement: resolved.inputElement,
      body,
    },
    () => body,
  );
  return 0;
}
