import { parse } from 'yaml';
import { PasserelleError } from '../../errors.ts';
import { readInputFile } from '../../input-file.ts';
import { decodeUtf8 } from '../../utf8.ts';
import { _SelectorError } from './_select.ts';

/** Largest scenario file read, bytes. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Longest value a `matches` regex is run on, characters (longer values never match). */
const MAX_MATCHED = 64 * 1024;

/** A problem of a scenario file: where (`scenarios.0.when.1.matches`) and what. */
export interface _Problem {
  readonly at: string;
  readonly message: string;
}

/** ERR_CONTRACT_SCENARIO_INVALID naming each problem's place in the file (details.errors). */
export function _scenarioError(
  file: string,
  problems: readonly _Problem[],
  cause?: unknown,
): PasserelleError {
  const errors = problems.slice(0, 20).map((p) => `${p.at || '(root)'}: ${p.message}`);
  return new PasserelleError(
    'ERR_CONTRACT_SCENARIO_INVALID',
    `Scenario file ${file} is invalid: ${errors.slice(0, 3).join('; ')}`,
    {
      details: { file, errors },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/** Reads and parses a YAML (or JSON) scenario file, bounded; syntax errors are ERR_CONTRACT_SCENARIO_INVALID. */
export async function _readScenarioFile(file: string): Promise<unknown> {
  const bytes = await readInputFile(file, { what: 'scenario file' });
  if (bytes.length > MAX_FILE_BYTES)
    throw _scenarioError(file, [{ at: '', message: `larger than ${MAX_FILE_BYTES} bytes` }]);
  try {
    return parse(decodeUtf8(bytes), { maxAliasCount: 50, uniqueKeys: true });
  } catch (cause) {
    const where = (cause as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const message =
      String((cause as Error).message ?? cause)
        .split('\n')[0]
        ?.slice(0, 200) ?? 'not YAML';
    throw _scenarioError(file, [{ at: where === undefined ? '' : `line ${where.line}`, message }], cause);
  }
}

/** A scenario file as read: its path and its parsed (not yet checked) content. */
export interface _ScenarioFile {
  readonly file: string;
  readonly raw: unknown;
}

/** The `contract` key of a parsed scenario file, when it is a string. */
export function _contractKey(raw: unknown): string | undefined {
  const key = typeof raw === 'object' && raw !== null ? (raw as { contract?: unknown }).contract : undefined;
  return typeof key === 'string' ? key : undefined;
}

/** The zod issues as problems (path joined with dots). */
export function _issuesOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): _Problem[] {
  return issues.map((i) => ({ at: i.path.map(String).join('.'), message: i.message }));
}

/** A condition as written: one of equals, matches, exists. */
export interface _ConditionSpec {
  readonly equals?: unknown;
  readonly matches?: string | undefined;
  readonly exists?: boolean | undefined;
}

/**
 * Compiles one condition over the value a selector picked (undefined: nothing there). `equals`
 * compares a scalar (a number or boolean also equals its text: path, query and XML values are
 * text); `matches` runs a regular expression (JavaScript syntax, `u` flag) on a scalar's text.
 * An invalid selector or regex throws a problem at `at`.
 */
export function _compileCondition<S>(
  spec: _ConditionSpec,
  select: () => (subject: S) => unknown,
  at: string,
  selectorKey: string,
): (subject: S) => boolean {
  let pick: (subject: S) => unknown;
  try {
    pick = select();
  } catch (error) {
    if (error instanceof _SelectorError) throw _problem(`${at}.${selectorKey}`, error.message);
    throw error;
  }
  if (spec.exists !== undefined) {
    const exists = spec.exists;
    return (s) => (pick(s) !== undefined) === exists;
  }
  if (spec.matches !== undefined) {
    let regex: RegExp;
    try {
      regex = new RegExp(spec.matches, 'u');
    } catch (error) {
      throw _problem(
        `${at}.matches`,
        `invalid regular expression: ${(error as Error).message.slice(0, 200)}`,
      );
    }
    return (s) => {
      const text = _scalarText(pick(s));
      return text !== undefined && text.length <= MAX_MATCHED && regex.test(text);
    };
  }
  const expected = spec.equals;
  return (s) => {
    const value = pick(s);
    if (value === expected) return true;
    const [a, b] = [_scalarText(value), _scalarText(expected)];
    return a !== undefined && a === b;
  };
}

function _scalarText(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A problem found while compiling, carried up to the file's error. */
export class _ProblemError extends Error {
  constructor(readonly problem: _Problem) {
    super(problem.message);
  }
}

const _problem = (at: string, message: string) => new _ProblemError({ at, message });

/** One compiled scenario: its operation, its conditions, what it answers. */
export interface _Scenario<S, O> {
  readonly name: string;
  readonly operation: string;
  readonly when: readonly ((subject: S) => boolean)[];
  readonly outcome: O;
  readonly delayMs: number;
}

/** What a matching scenario answers. */
export interface _Picked<O> {
  readonly name: string;
  readonly outcome: O;
  readonly delayMs: number;
}

/** The scenarios of one contract, first match wins, with a match count per scenario. */
export class _ScenarioSet<S, O> {
  readonly #counts: number[];

  constructor(readonly scenarios: readonly _Scenario<S, O>[]) {
    this.#counts = scenarios.map(() => 0);
  }

  pick(operation: string, subject: S): _Picked<O> | undefined {
    const i = this.scenarios.findIndex(
      (s) => s.operation === operation && s.when.every((test) => test(subject)),
    );
    const found = this.scenarios[i];
    if (found === undefined) return undefined;
    this.#counts[i] = (this.#counts[i] ?? 0) + 1;
    return { name: found.name, outcome: found.outcome, delayMs: found.delayMs };
  }

  /** Matches so far per scenario name (a name given twice adds up). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    this.scenarios.forEach((s, i) => {
      out[s.name] = (out[s.name] ?? 0) + (this.#counts[i] ?? 0);
    });
    return out;
  }
}

/**
 * Compiles a scenario file checked by `schema`: its `contract` one of `names`, each scenario's
 * `operation` one of `operations`, each condition through `condition` and each outcome through
 * `outcome`. Any problem is ERR_CONTRACT_SCENARIO_INVALID naming its place in the file.
 */
export function _compileScenarios<
  In extends { readonly name: string; readonly operation: string; readonly delayMs?: number | undefined },
  C,
  S,
  O,
>(
  file: string,
  raw: unknown,
  schema: {
    safeParse(
      raw: unknown,
    ):
      | { success: true; data: { readonly contract: string; readonly scenarios: readonly In[] } }
      | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
  },
  target: { readonly names: readonly string[]; readonly operations: ReadonlySet<string> },
  compile: {
    readonly when: (scenario: In) => readonly C[] | undefined;
    readonly condition: (condition: C, at: string) => (subject: S) => boolean;
    readonly outcome: (scenario: In, at: string) => O;
  },
): _Scenario<S, O>[] {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw _scenarioError(file, _issuesOf(parsed.error.issues));
  const problems = _checkTargets(parsed.data, target.names, target.operations);
  const scenarios = parsed.data.scenarios.flatMap((s, i) => {
    const at = `scenarios.${i}`;
    try {
      const when = (compile.when(s) ?? []).map((c, j) => compile.condition(c, `${at}.when.${j}`));
      return [
        {
          name: s.name,
          operation: s.operation,
          when,
          outcome: compile.outcome(s, at),
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

/**
 * Checks the `contract` name of a file against the names the contract answers to, and each
 * scenario's operation against the contract's operations.
 */
function _checkTargets(
  data: { readonly contract: string; readonly scenarios: readonly { readonly operation: string }[] },
  names: readonly string[],
  operations: ReadonlySet<string>,
): _Problem[] {
  const problems: _Problem[] = [];
  if (!names.includes(data.contract))
    problems.push({ at: 'contract', message: `this contract is ${names.map((n) => `"${n}"`).join(' or ')}` });
  data.scenarios.forEach((s, i) => {
    if (!operations.has(s.operation)) {
      const known = [...operations].slice(0, 20).join(', ');
      problems.push({
        at: `scenarios.${i}.operation`,
        message: `no operation ${s.operation} (known: ${known})`,
      });
    }
  });
  return problems;
}
