import { PasserelleError } from '../errors.ts';
import type { ContractOperation, OpenApiContract } from './types.ts';

/** The operation with that operationId, or ERR_CONTRACT_OPERATION_NOT_FOUND (the hint lists some). */
export function findOperation(contract: OpenApiContract, operationId: string): ContractOperation {
  const found = contract.operations.find((op) => op.operationId === operationId);
  if (found !== undefined) return found;
  const ids = contract.operations.map((op) => op.operationId);
  const shown = ids.slice(0, 12).join(', ') + (ids.length > 12 ? `, ... (${ids.length} in all)` : '');
  throw new PasserelleError(
    'ERR_CONTRACT_OPERATION_NOT_FOUND',
    `no operation ${JSON.stringify(operationId.slice(0, 100))} in ${contract.title || contract.file}`,
    {
      hint: ids.length > 0 ? `Operations: ${shown}.` : 'The contract declares no operation.',
      details: { operationId: operationId.slice(0, 100), file: contract.file },
    },
  );
}
