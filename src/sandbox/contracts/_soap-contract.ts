import { PasserelleError } from '../../errors.ts';
import { createXsdValidator, listOperations, responseTemplate, serializePayload } from '../../wsdl/index.ts';
import type { WsdlModel, WsdlOperationRow } from '../../wsdl/types.ts';
import type { Element } from '../../xml/node.ts';
import { parseXml } from '../../xml/parse.ts';
import { type _ScenarioFile, _ScenarioSet } from './_scenarios.ts';
import { _compileSoapScenarios, type _SoapOutcome } from './_soap-scenarios.ts';
import type { SandboxSoapContract, SandboxSoapOperation, SandboxSoapOutcome } from './types.ts';

/**
 * The path of a `soap:address` that is a real URL, else undefined: placeholders such as
 * `https://REPLACE_WITH_ACTUAL_URL`, addresses without a path (`/`) and non-HTTP URLs give none.
 */
export function _addressPath(address: string | undefined): string | undefined {
  if (address === undefined || /replace|actual_url|placeholder|your[-_]?(?:host|server|url)/i.test(address))
    return undefined;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  return path === '' ? undefined : path;
}

/** The response template of an operation as an element, or why there is none. */
function _template(model: WsdlModel, row: WsdlOperationRow): SandboxSoapOutcome {
  try {
    const selector = row.port === undefined ? {} : { port: `${row.service}/${row.port}` };
    const root = parseXml(responseTemplate(model, row.operation, selector)).documentElement;
    if (root === null) return { kind: 'unavailable', reason: `${row.operation}: empty response template` };
    return { kind: 'payload', payload: root };
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'internal';
    return { kind: 'unavailable', reason: `${code}: ${String((error as Error).message).slice(0, 300)}` };
  }
}

/**
 * A WSDL contract as the SOA gateway serves it: the SOAP 1.1 operations of its first service
 * port (or of its first binding, without a service), found by their request element; requests
 * validated with libxml2 against the contract's schemas; replies from the scenarios of the
 * files `pair(names)` gives (names: the service, then `basenames`), else the response template.
 */
export function _soapContract(
  model: WsdlModel,
  path: string | undefined,
  basenames: readonly string[],
  pair: (names: readonly string[]) => readonly _ScenarioFile[],
): { served: SandboxSoapContract; scenarios: _ScenarioSet<Element, _SoapOutcome> | undefined } {
  const rows = listOperations(model).filter((r) => r.soapVersion === '1.1' && r.inputElement !== undefined);
  const [first] = rows;
  if (first === undefined) {
    throw new PasserelleError(
      'ERR_CONTRACT_UNSUPPORTED',
      `${model.path} has no SOAP 1.1 operation with a request element`,
      {
        hint: 'The SOA gateway serves SOAP 1.1 document/literal (or RPC/literal) operations.',
        details: { file: model.path, feature: 'SOAP 1.2 or no request element' },
      },
    );
  }
  const service = first.service ?? first.binding;
  const mine = rows.filter((r) => r.service === first.service && r.port === first.port);
  const names = [...new Set(mine.map((r) => r.operation))];
  const contractNames = [...new Set([service, ...basenames])];
  const files = pair(contractNames);
  const ops = new Set(names);
  const scenarios =
    files.length === 0
      ? undefined
      : new _ScenarioSet(files.flatMap((f) => _compileSoapScenarios(f.file, f.raw, contractNames, ops)));
  const validator = createXsdValidator(model);
  const operations = names.map((name): SandboxSoapOperation => {
    const row = mine.find((r) => r.operation === name)!;
    const template = _template(model, row);
    const policy = row.policy.security;
    return {
      name,
      element: row.inputElement!,
      policy,
      security: policy === 'unknown' ? 'x509' : policy,
      async validate(payload) {
        const verdict = await validator.validate(serializePayload(payload));
        return { valid: verdict.valid, errors: verdict.errors };
      },
      reply(payload) {
        const picked = scenarios?.pick(name, payload);
        if (picked !== undefined)
          return { outcome: picked.outcome, delayMs: picked.delayMs, scenario: picked.name };
        return { outcome: template, delayMs: 0, scenario: undefined };
      },
    };
  });
  const served: SandboxSoapContract = {
    kind: 'soap',
    service,
    file: model.path,
    path: path ?? _addressPath(first.address) ?? `/${service}`,
    operations,
  };
  return { served, scenarios };
}
