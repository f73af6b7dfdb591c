import { basename } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { childElements } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';
import type { _Definitions } from './_collect.ts';
import { _policyIndex, _policyOf } from './_policy.ts';
import { _attr, _documentation, _key, _NS, _resolveQName } from './_qname.ts';
import type {
  QName,
  SoapVersion,
  WsdlBinding,
  WsdlBindingOperation,
  WsdlBoundMessage,
  WsdlMessage,
  WsdlPart,
  WsdlPortType,
  WsdlPortTypeOperation,
  WsdlService,
} from './types.ts';

export interface _Components {
  readonly messages: WsdlMessage[];
  readonly portTypes: WsdlPortType[];
  readonly bindings: WsdlBinding[];
  readonly services: WsdlService[];
}

const SOAP_NS: Readonly<Record<string, SoapVersion>> = { [_NS.soap11]: '1.1', [_NS.soap12]: '1.2' };

function _invalid(file: string, message: string, hint: string, details: Record<string, string> = {}) {
  return new PasserelleError('ERR_WSDL_INVALID', `${basename(file)}: ${message}`, {
    hint,
    details: { file, ...details },
  });
}

/** The child of `el` in one of the SOAP binding namespaces, with the SOAP version it implies. */
function _soapChild(el: Element, local: string): { el: Element; version: SoapVersion } | undefined {
  for (const child of childElements(el)) {
    const version = SOAP_NS[child.namespaceURI ?? ''];
    if (version !== undefined && child.localName === local) return { el: child, version };
  }
  return undefined;
}

/** Messages, port types, SOAP bindings (with their policies) and services of every definitions read. */
export function _buildComponents(definitions: readonly _Definitions[]): _Components {
  const policies = _policyIndex(definitions.map((d) => d.root));
  const messages = new Map<string, WsdlMessage>();
  const portTypes = new Map<string, WsdlPortType>();
  const allBindings = new Set<string>();
  const qname = (d: _Definitions, el: Element, value: string) =>
    _resolveQName(el, value, d.file, d.targetNamespace);
  const named = (d: _Definitions, el: Element): QName => {
    const name = _attr(el, 'name');
    if (name === undefined)
      throw _invalid(d.file, `a wsdl:${el.localName} has no name`, 'Every WSDL component is named.');
    return { ns: d.targetNamespace, name };
  };

  for (const d of definitions) {
    for (const el of childElements(d.root, _NS.wsdl, 'message')) {
      const parts: WsdlPart[] = childElements(el, _NS.wsdl, 'part').map((p) => {
        const element = _attr(p, 'element');
        const type = _attr(p, 'type');
        return {
          name: _attr(p, 'name') ?? '',
          element: element === undefined ? undefined : qname(d, p, element),
          type: type === undefined ? undefined : qname(d, p, type),
        };
      });
      const name = named(d, el);
      if (!messages.has(_key(name))) messages.set(_key(name), { name, parts });
    }
    for (const el of childElements(d.root, _NS.wsdl, 'portType')) {
      const operations: WsdlPortTypeOperation[] = childElements(el, _NS.wsdl, 'operation').map((op) => {
        const io = (local: string): QName | undefined => {
          const [child] = childElements(op, _NS.wsdl, local);
          const message = child === undefined ? undefined : _attr(child, 'message');
          return message === undefined || child === undefined ? undefined : qname(d, child, message);
        };
        return {
          name: _attr(op, 'name') ?? '',
          input: io('input'),
          output: io('output'),
          faults: childElements(op, _NS.wsdl, 'fault').map((f) => ({
            name: _attr(f, 'name') ?? '',
            message: qname(d, f, _attr(f, 'message') ?? ''),
          })),
          documentation: _documentation(op),
        };
      });
      const name = named(d, el);
      if (!portTypes.has(_key(name))) portTypes.set(_key(name), { name, operations });
    }
    for (const el of childElements(d.root, _NS.wsdl, 'binding')) allBindings.add(_key(named(d, el)));
  }

  const message = (d: _Definitions, q: QName | undefined, where: string): WsdlMessage | undefined => {
    if (q === undefined) return undefined;
    const found = messages.get(_key(q));
    if (found === undefined)
      throw _invalid(
        d.file,
        `${where} names the message ${_key(q)}, which no file defines`,
        'Check the message names and the wsdl:import of the contract.',
        { message: _key(q) },
      );
    return found;
  };

  const bindings: WsdlBinding[] = [];
  for (const d of definitions) {
    for (const el of childElements(d.root, _NS.wsdl, 'binding')) {
      const soap = _soapChild(el, 'binding');
      if (soap === undefined) continue;
      const name = named(d, el);
      const portTypeName = qname(d, el, _attr(el, 'type') ?? '');
      const portType = portTypes.get(_key(portTypeName));
      if (portType === undefined)
        throw _invalid(
          d.file,
          `the binding ${name.name} is of the port type ${_key(portTypeName)}, which no file defines`,
          'Check the binding type and the wsdl:import of the contract.',
          { portType: _key(portTypeName) },
        );
      const style = _attr(soap.el, 'style') === 'rpc' ? 'rpc' : 'document';
      const operations: WsdlBindingOperation[] = childElements(el, _NS.wsdl, 'operation').map((op) => {
        const opName = _attr(op, 'name') ?? '';
        const abstract = portType.operations.find((o) => o.name === opName);
        if (abstract === undefined)
          throw _invalid(
            d.file,
            `the binding ${name.name} binds ${opName}, which the port type ${portTypeName.name} does not have`,
            'Bind only operations of the port type.',
            { operation: opName },
          );
        const soapOp = _soapChild(op, 'operation');
        const opStyle =
          soapOp && _attr(soapOp.el, 'style') !== undefined
            ? _attr(soapOp.el, 'style') === 'rpc'
              ? 'rpc'
              : 'document'
            : style;
        const bound = (local: 'input' | 'output', q: QName | undefined): WsdlBoundMessage | undefined => {
          const [io] = childElements(op, _NS.wsdl, local);
          const msg = message(d, q, `the ${local} of ${opName}`);
          if (msg === undefined && io === undefined) return undefined;
          const body = io === undefined ? undefined : _soapChild(io, 'body');
          const listed = body === undefined ? undefined : _attr(body.el, 'parts');
          const names = listed === undefined ? undefined : listed.split(/\s+/).filter(Boolean);
          const parts = msg?.parts ?? [];
          return {
            message: msg?.name,
            bodyParts: names === undefined ? parts : parts.filter((p) => names.includes(p.name)),
            use: body !== undefined && _attr(body.el, 'use') === 'encoded' ? 'encoded' : 'literal',
            namespace: body === undefined ? undefined : _attr(body.el, 'namespace'),
          };
        };
        const [input] = childElements(op, _NS.wsdl, 'input');
        return {
          name: opName,
          soapAction: soapOp === undefined ? '' : (_attr(soapOp.el, 'soapAction') ?? ''),
          style: opStyle,
          input: bound('input', abstract.input),
          output: bound('output', abstract.output),
          faults: abstract.faults.map((f) => ({
            name: f.name,
            elements: (message(d, f.message, `the fault ${f.name} of ${opName}`)?.parts ?? []).flatMap((p) =>
              p.element === undefined ? [] : [p.element],
            ),
          })),
          policy: _policyOf([el, op, ...(input === undefined ? [] : [input])], policies),
          documentation: abstract.documentation,
        };
      });
      bindings.push({
        name,
        portType: portTypeName,
        soapVersion: soap.version,
        style,
        transport: _attr(soap.el, 'transport'),
        operations,
      });
    }
  }

  const services: WsdlService[] = [];
  for (const d of definitions) {
    for (const el of childElements(d.root, _NS.wsdl, 'service')) {
      const ports = childElements(el, _NS.wsdl, 'port').flatMap((port) => {
        const binding = qname(d, port, _attr(port, 'binding') ?? '');
        if (!allBindings.has(_key(binding)))
          throw _invalid(
            d.file,
            `the port ${_attr(port, 'name') ?? ''} uses the binding ${_key(binding)}, which no file defines`,
            'Check the port binding and the wsdl:import of the contract.',
            { binding: _key(binding) },
          );
        const soap = bindings.find((b) => _key(b.name) === _key(binding));
        if (soap === undefined) return [];
        const address = _soapChild(port, 'address');
        return [
          {
            name: _attr(port, 'name') ?? '',
            binding,
            address: address === undefined ? undefined : _attr(address.el, 'location'),
            soapVersion: soap.soapVersion,
          },
        ];
      });
      services.push({ name: named(d, el), ports });
    }
  }
  return { messages: [...messages.values()], portTypes: [...portTypes.values()], bindings, services };
}
