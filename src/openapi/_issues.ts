/** ajv errors → ContractIssues: where (parameter name or body pointer) and a short message. */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { pointerToken } from './_json.ts';
import type { ContractIssue } from './types.ts';

const MAX_ISSUES = 20;

function short(message: string): string {
  return message.length > 160 ? `${message.slice(0, 157)}...` : message;
}

/** Body issues: `at` is the JSON pointer (of the missing property for `required`). */
export function bodyIssues(errors: readonly ErrorObject[]): ContractIssue[] {
  return dedupe(
    errors.map((e) => {
      if (e.keyword === 'required') {
        const missing = String((e.params as { missingProperty?: unknown }).missingProperty);
        return { in: 'body', at: `${e.instancePath}/${pointerToken(missing)}`, message: 'is required' };
      }
      return { in: 'body', at: e.instancePath, message: short(e.message ?? e.keyword) };
    }),
  );
}

/** Parameter issues: `at` is the parameter's name; a pointer inside it goes in the message. */
export function parameterIssues(
  location: ContractIssue['in'],
  name: string,
  errors: readonly ErrorObject[],
): ContractIssue[] {
  return dedupe(
    errors.map((e) => {
      const message = short(e.message ?? e.keyword);
      return {
        in: location,
        at: name,
        message: e.instancePath === '' ? message : `${e.instancePath}: ${message}`,
      };
    }),
  );
}

export function dedupe(issues: readonly ContractIssue[]): ContractIssue[] {
  const seen = new Set<string>();
  const out: ContractIssue[] = [];
  for (const issue of issues) {
    const key = `${issue.in}\u0000${issue.at}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
    if (out.length >= MAX_ISSUES) break;
  }
  return out;
}
