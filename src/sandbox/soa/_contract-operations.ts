import type { SandboxContracts, SandboxSoapOperation } from '../contracts/index.ts';
import type { _Operation, _Reply } from './_operations.ts';

/** At most this many libxml2 messages go to the sandbox log for one refused request. */
const MAX_LOGGED_ERRORS = 5;

async function _reply(
  op: SandboxSoapOperation,
  payload: Parameters<SandboxSoapOperation['reply']>[0],
): Promise<_Reply> {
  const verdict = await op.validate(payload);
  if (!verdict.valid) {
    const detail = verdict.errors
      .slice(0, MAX_LOGGED_ERRORS)
      .map((e) => `${e.line === null ? '' : `line ${e.line}: `}${e.message.slice(0, 300)}`)
      .join('; ');
    return { outcome: { kind: 'invalid', detail: detail || 'not valid against the schema' } };
  }
  const { outcome, delayMs, scenario } = await Promise.resolve(op.reply(payload));
  const chosen = scenario === undefined ? {} : { scenario };
  switch (outcome.kind) {
    case 'payload': {
      const { payload: content } = outcome;
      return {
        outcome: { kind: 'payload', build: (doc) => doc.importNode(content, true) },
        delayMs,
        ...chosen,
      };
    }
    case 'fault':
      return {
        outcome: { kind: 'fault', code: outcome.code, reason: `scenario ${scenario}` },
        delayMs,
        ...chosen,
      };
    case 'business-fault':
      return { outcome, delayMs, ...chosen };
    case 'unavailable':
      return {
        outcome: { kind: 'fault', code: 'SOA-00001', reason: `no-reply: ${outcome.reason}` },
        delayMs,
      };
  }
}

/**
 * The operations of the WSDL contracts as gateway operations: found by service path and Body
 * element, authenticated as their policy says (`saml` → holder-of-key, `unknown` → X.509),
 * then validated with libxml2 against the contract's schemas (SOA-03006, the libxml2 words in
 * the log only), then answered by a scenario or the response template. Named
 * `<service> <operation>` in the journal, the log and the stats.
 */
export function _contractOperations(contracts: SandboxContracts | undefined): _Operation[] {
  return (contracts?.soap ?? []).flatMap((contract) =>
    contract.operations.map(
      (op): _Operation => ({
        name: `${contract.service} ${op.name}`,
        path: contract.path,
        ns: op.element.ns,
        request: op.element.name,
        security: op.security === 'saml' ? 'saml-hok' : op.security,
        reply: ({ payload }) => _reply(op, payload),
      }),
    ),
  );
}
