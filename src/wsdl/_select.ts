import { PasserelleError } from '../errors.ts';
import { type _Row, _rows } from './_rows.ts';
import type { OperationSelector, WsdlModel } from './types.ts';

const MAX_LISTED = 40;

function _list(names: readonly string[]): string {
  const unique = [...new Set(names)].sort();
  const shown = unique.slice(0, MAX_LISTED).join(', ');
  return unique.length > MAX_LISTED ? `${shown}, … (${unique.length} in all)` : shown;
}

const _portLabel = (r: _Row): string =>
  r.row.port === undefined ? `(binding ${r.row.binding}, no port)` : `${r.row.service}/${r.row.port}`;

/** What must agree between two ports for them to be the same way of calling the operation. */
const _signature = (r: _Row): string =>
  JSON.stringify([
    r.row.address,
    r.row.soapAction,
    r.row.soapVersion,
    r.row.policy.security,
    r.row.policy.algorithmSuite,
    r.row.inputElement,
    r.row.style,
  ]);

/**
 * The one way to call `operation`: the rows of the ports offering it, narrowed by `port` (a port
 * name or `Service/Port`). Several ports that agree (same address, SOAPAction, SOAP version,
 * security, Body element) are one; ports that differ need `port`.
 */
export function _selectRow(model: WsdlModel, operation: string, selector: OperationSelector = {}): _Row {
  const all = _rows(model);
  let rows = all.filter((r) => r.row.operation === operation);
  if (rows.length === 0) {
    throw new PasserelleError(
      'ERR_WSDL_OPERATION_NOT_FOUND',
      `The contract has no SOAP operation "${operation.slice(0, 100)}"`,
      {
        hint:
          all.length === 0
            ? 'The contract has no SOAP binding: it describes no operation Passerelle can call.'
            : `Operations: ${_list(all.map((r) => r.row.operation))}.`,
        details: { operation: operation.slice(0, 100), file: model.path },
      },
    );
  }
  if (selector.port !== undefined) {
    const wanted = selector.port;
    const offering = rows;
    rows = rows.filter((r) => r.row.port === wanted || `${r.row.service}/${r.row.port}` === wanted);
    if (rows.length === 0) {
      throw new PasserelleError(
        'ERR_WSDL_PORT_NOT_FOUND',
        `No port "${wanted.slice(0, 100)}" offers ${operation}`,
        {
          hint: `Ports offering ${operation}: ${_list(offering.map(_portLabel))}.`,
          details: { operation, port: wanted.slice(0, 100) },
        },
      );
    }
  }
  const [first] = rows;
  if (rows.some((r) => _signature(r) !== _signature(first!))) {
    throw new PasserelleError(
      'ERR_WSDL_OPERATION_AMBIGUOUS',
      `Several ports offer ${operation} differently (address, SOAP version or security)`,
      {
        hint: `Choose one with --port (port option): ${rows
          .slice(0, MAX_LISTED)
          .map(
            (r) =>
              `${_portLabel(r)} → ${r.row.address ?? 'no address'}, SOAP ${r.row.soapVersion}, ${r.row.policy.security}`,
          )
          .join('; ')}.`,
        details: { operation, ports: rows.map(_portLabel).slice(0, MAX_LISTED) },
      },
    );
  }
  return first!;
}
