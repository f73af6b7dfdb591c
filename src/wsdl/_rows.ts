import { _key } from './_qname.ts';
import type { QName, WsdlBinding, WsdlBindingOperation, WsdlModel, WsdlOperationRow } from './types.ts';

/** A row with the binding operation it comes from. */
export interface _Row {
  readonly row: WsdlOperationRow;
  readonly binding: WsdlBinding;
  readonly op: WsdlBindingOperation;
}

/** The Body's child element of the request: the single part's element, or the RPC wrapper. */
export function _inputElement(op: WsdlBindingOperation): QName | undefined {
  if (op.input === undefined) return undefined;
  if (op.style === 'rpc') return { ns: op.input.namespace ?? '', name: op.name };
  const [part, more] = op.input.bodyParts;
  return more === undefined ? part?.element : undefined;
}

/** Every operation of every SOAP port, then those of bindings no port uses (no address). */
export function _rows(model: WsdlModel): _Row[] {
  const out: _Row[] = [];
  const used = new Set<string>();
  const push = (
    binding: WsdlBinding,
    service: string | undefined,
    port: string | undefined,
    address: string | undefined,
  ) => {
    for (const op of binding.operations) {
      out.push({
        binding,
        op,
        row: {
          service,
          port,
          address,
          binding: binding.name.name,
          operation: op.name,
          soapAction: op.soapAction,
          soapVersion: binding.soapVersion,
          style: op.style,
          inputElement: _inputElement(op),
          policy: op.policy,
        },
      });
    }
  };
  for (const service of model.services) {
    for (const port of service.ports) {
      const binding = model.bindings.find((b) => _key(b.name) === _key(port.binding));
      if (binding === undefined) continue;
      used.add(_key(binding.name));
      push(binding, service.name.name, port.name, port.address);
    }
  }
  for (const binding of model.bindings) {
    if (!used.has(_key(binding.name))) push(binding, undefined, undefined, undefined);
  }
  return out;
}
