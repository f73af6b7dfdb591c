import { isPasserelleError } from '../../errors.ts';
import type { SoaCode } from '../../soap/soa-codes.ts';
import type { Element } from '../../xml/node.ts';
import { parseXml } from '../../xml/parse.ts';
import { _SoapScenarioFile, type _SoapScenarioInput } from './_scenario-schema.ts';
import {
  _checkTargets,
  _compileCondition,
  _issuesOf,
  type _Problem,
  _ProblemError,
  type _Scenario,
  _scenarioError,
} from './_scenarios.ts';
import { _compileXPath } from './_select.ts';

/** A canned SOAP outcome; elements are copied into each reply. */
export type _SoapOutcome =
  | { readonly kind: 'payload'; readonly payload: Element }
  | { readonly kind: 'fault'; readonly code: SoaCode }
  | {
      readonly kind: 'business-fault';
      readonly faultcode: string;
      readonly faultstring: string;
      readonly detail: Element | undefined;
    };

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
  const parsed = _SoapScenarioFile.safeParse(raw);
  if (!parsed.success) throw _scenarioError(file, _issuesOf(parsed.error.issues));
  const problems: _Problem[] = _checkTargets(parsed.data, names, operations);
  const scenarios = parsed.data.scenarios.flatMap((s, i) => {
    const at = `scenarios.${i}`;
    try {
      return [
        {
          name: s.name,
          operation: s.operation,
          when: (s.when ?? []).map((c, j) =>
            _compileCondition<Element>(c, () => _compileXPath(c.xpath), `${at}.when.${j}`, 'xpath'),
          ),
          outcome: _outcome(s, at),
          delayMs: s.delayMs ?? 0,
        },
      ];
    } catch (error) {
      if (!(error instanceof _ProblemError)) throw error;
      problems.push(error.problem);
      return [];
    }
  });
  if (problems.length > 0) throw _scenarioError(file, problems);
  return scenarios;
}
