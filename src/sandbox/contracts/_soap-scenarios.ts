import { isPasserelleError } from '../../errors.ts';
import type { SoaCode } from '../../soap/soa-codes.ts';
import type { Element } from '../../xml/node.ts';
import { parseXml } from '../../xml/parse.ts';
import { _SoapScenarioFile, type _SoapScenarioInput } from './_scenario-schema.ts';
import { _compileCondition, _compileScenarios, _ProblemError, type _Scenario } from './_scenarios.ts';
import { _compileXPath } from './_select.ts';
import type { SandboxSoapOutcome } from './types.ts';

/** A canned SOAP outcome; elements are copied into each reply. */
export type _SoapOutcome = Exclude<SandboxSoapOutcome, { readonly kind: 'unavailable' }>;

function _element(xml: string, at: string): Element {
  try {
    const root = parseXml(xml).documentElement;
    if (root === null) throw new _ProblemError({ at, message: 'no element' });
    return root;
  } catch (error) {
    if (!isPasserelleError(error)) throw error;
    throw new _ProblemError({ at, message: `not well-formed XML: ${error.message.slice(0, 200)}` });
  }
}

function _outcome(s: _SoapScenarioInput, at: string): _SoapOutcome {
  if (s.reply !== undefined) return { kind: 'payload', payload: _element(s.reply.xml, `${at}.reply.xml`) };
  if (s.fault !== undefined) return { kind: 'fault', code: s.fault as SoaCode };
  const f = s.businessFault!;
  return {
    kind: 'business-fault',
    faultcode: f.faultcode,
    faultstring: f.faultstring,
    detail: f.detail === undefined ? undefined : _element(f.detail, `${at}.businessFault.detail`),
  };
}

/**
 * Compiles the scenario file (parsed, from `file`) of a WSDL contract: `contract` one of `names`, each scenario's
 * `operation` a WSDL operation, conditions XPath (`xpath:`) tests over the payload, outcomes a
 * reply payload (well-formed XML), a platform fault code or a business fault. Any problem is
 * ERR_CONTRACT_SCENARIO_INVALID naming its place in the file.
 */
export function _compileSoapScenarios(
  file: string,
  raw: unknown,
  names: readonly string[],
  operations: ReadonlySet<string>,
): _Scenario<Element, _SoapOutcome>[] {
  return _compileScenarios(
    file,
    raw,
    _SoapScenarioFile,
    { names, operations },
    {
      when: (s) => s.when,
      condition: (c, at) => _compileCondition<Element>(c, () => _compileXPath(c.xpath), at, 'xpath'),
      outcome: _outcome,
    },
  );
}
