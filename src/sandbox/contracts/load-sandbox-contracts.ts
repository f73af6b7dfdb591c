import { basename, extname, isAbsolute } from 'node:path';
import { PasserelleError } from '../../errors.ts';
import { loadOpenApi } from '../../openapi/index.ts';
import { readWsdl } from '../../wsdl/index.ts';
import { _restContract } from './_rest-contract.ts';
import { _contractKey, _readScenarioFile, type _ScenarioFile, _scenarioError } from './_scenarios.ts';
import { _soapContract } from './_soap-contract.ts';
import type {
  SandboxContractDescription,
  SandboxContractEntry,
  SandboxContracts,
  SandboxRestContract,
  SandboxSoapContract,
} from './types.ts';

export interface LoadSandboxContractsOptions {
  /**
   * Scenario files (absolute) not tied to an entry: each goes to the contract its `contract:`
   * key names (API name, service name or file basename).
   */
  readonly scenarios?: readonly string[];
}

const API_NAME = /^[a-z][a-z0-9-]*$/;
const SERVICE_PATH = /^\/[\w./-]*$/;

function _checkEntry(entry: SandboxContractEntry): void {
  const bad = (what: string) => new TypeError(`loadSandboxContracts: ${what}`);
  if (typeof entry?.file !== 'string' || !isAbsolute(entry.file)) throw bad('file must be an absolute path');
  if (entry.scenarios !== undefined && (typeof entry.scenarios !== 'string' || !isAbsolute(entry.scenarios)))
    throw bad('scenarios must be an absolute path');
  if (entry.api !== undefined && !API_NAME.test(entry.api)) throw bad('api must be a lower-case name');
  if (entry.path !== undefined && !SERVICE_PATH.test(entry.path))
    throw bad('path must be an absolute URL path');
}

/** The names a scenario file may give in `contract`: the file's basename, with and without extension. */
const _basenames = (file: string) => [basename(file), basename(file, extname(file))];

function _invalid(message: string, hint: string, details: Record<string, string>): PasserelleError {
  return new PasserelleError('ERR_CONTRACT_INVALID', message, { hint, details });
}

/**
 * Reads the contracts the sandbox serves: each `.wsdl` file for the SOA gateway (`soa`
 * module), each OpenAPI 3.x or Swagger 2.0 file (`.yaml`, `.yml`, `.json`) for the REST
 * listener (`rest` module), with its scenario file and those of `options.scenarios` that name
 * it. Everything is read and checked now, so that a broken contract or scenario file stops the
 * sandbox before it listens.
 *
 * Throws the errors of `loadOpenApi` and `readWsdl` (ERR_CONTRACT_*, ERR_WSDL_*, ERR_FILE_*),
 * ERR_CONTRACT_SCENARIO_INVALID (details.errors names each place in the scenario file; also a
 * file of `options.scenarios` naming no contract), ERR_CONTRACT_UNSUPPORTED (another file type,
 * a WSDL without SOAP 1.1 operation) and ERR_CONTRACT_INVALID (two contracts on one API name or
 * service path). Caller mistakes (relative paths, malformed `api` or `path`) are TypeErrors.
 */
export async function loadSandboxContracts(
  entries: readonly SandboxContractEntry[],
  options: LoadSandboxContractsOptions = {},
): Promise<SandboxContracts> {
  if (!Array.isArray(entries)) throw new TypeError('loadSandboxContracts: entries must be an array');
  const extra = options.scenarios ?? [];
  if (extra.some((f) => typeof f !== 'string' || !isAbsolute(f)))
    throw new TypeError('loadSandboxContracts: scenarios must be absolute paths');
  entries.forEach(_checkEntry);
  const unpaired: _ScenarioFile[] = [];
  for (const file of extra) unpaired.push({ file, raw: await _readScenarioFile(file) });
  const claimed = new Set<_ScenarioFile>();
  const rest: SandboxRestContract[] = [];
  const soap: SandboxSoapContract[] = [];
  const described: (() => SandboxContractDescription)[] = [];
  for (const entry of entries) {
    const own: _ScenarioFile[] =
      entry.scenarios === undefined
        ? []
        : [{ file: entry.scenarios, raw: await _readScenarioFile(entry.scenarios) }];
    const pair = (names: readonly string[]) => {
      const found = unpaired.filter((f) => !claimed.has(f) && names.includes(_contractKey(f.raw) ?? ''));
      for (const f of found) claimed.add(f);
      return [...own, ...found];
    };
    const ext = extname(entry.file).toLowerCase();
    let describe: () => Omit<SandboxContractDescription, 'scenarioFiles'>;
    let files: readonly _ScenarioFile[] = [];
    const pairAndKeep = (names: readonly string[]) => {
      files = pair(names);
      return files;
    };
    if (ext === '.wsdl') {
      const model = await readWsdl(entry.file);
      const { served, scenarios } = _soapContract(model, entry.path, _basenames(entry.file), pairAndKeep);
      if (soap.some((s) => s.path === served.path))
        throw _invalid(
          `Two sandbox contracts use the service path ${served.path}`,
          'Give one of them another `path` in sandbox.contracts.',
          { file: entry.file, path: served.path },
        );
      soap.push(served);
      describe = () => ({
        kind: 'soap',
        name: served.service,
        file: served.file,
        path: served.path,
        operations: served.operations.map((o) => ({ name: o.name, policy: o.policy })),
        scenarios: scenarios?.scenarios.length ?? 0,
        scenarioMatches: scenarios?.counts() ?? {},
      });
    } else if (ext === '.yaml' || ext === '.yml' || ext === '.json') {
      const contract = await loadOpenApi(entry.file);
      const api = entry.api ?? contract.apiName;
      if (!API_NAME.test(api))
        throw _invalid(
          `${entry.file}: the API name ${api.slice(0, 60)} is not a lower-case name`,
          'Give the contract an `api` name in sandbox.contracts (lower-case letters, digits and -).',
          { file: entry.file, api: api.slice(0, 60) },
        );
      if (rest.some((r) => r.api === api))
        throw _invalid(
          `Two sandbox contracts use the API name ${api}`,
          'Give one of them another `api` in sandbox.contracts.',
          { file: entry.file, api },
        );
      const names = [...new Set([api, contract.apiName, ..._basenames(entry.file)])];
      const { served, scenarios } = _restContract(contract, api, names, pairAndKeep);
      rest.push(served);
      describe = () => ({
        kind: 'rest',
        name: api,
        file: served.file,
        path: `/${api}`,
        operations: contract.operations.map((o) => ({
          name: o.operationId,
          route: `${o.method} ${o.path}`,
          security: o.security,
        })),
        scenarios: scenarios?.scenarios.length ?? 0,
        scenarioMatches: scenarios?.counts() ?? {},
      });
    } else {
      throw new PasserelleError(
        'ERR_CONTRACT_UNSUPPORTED',
        `${entry.file} is neither a WSDL nor an OpenAPI file`,
        {
          hint: 'Give a .wsdl file (SOAP) or an OpenAPI/Swagger .yaml, .yml or .json file (REST).',
          details: { file: entry.file, feature: `file type ${ext || '(none)'}` },
        },
      );
    }
    const scenarioFiles = files.map((f) => f.file);
    described.push(() => ({ ...describe(), scenarioFiles }));
  }
  const stray = unpaired.find((f) => !claimed.has(f));
  if (stray !== undefined) {
    const served = [...rest.map((r) => r.api), ...soap.map((s) => s.service)].join(', ') || '(none)';
    const key = _contractKey(stray.raw);
    throw _scenarioError(stray.file, [
      {
        at: 'contract',
        message: `${key === undefined ? 'no contract named' : `no contract served is named "${key.slice(0, 100)}"`} (served: ${served})`,
      },
    ]);
  }
  const scopes = rest.flatMap((r) =>
    r.contract.operations.flatMap((o) => o.security.flat().flatMap((s) => s.scopes)),
  );
  return { rest, soap, scopes: [...new Set(scopes)].sort(), describe: () => described.map((d) => d()) };
}
