import type { Document, Element } from '../../xml/node.ts';
import type { _EntityId } from './_soap-request.ts';
import { EBOX_TYPES_NS } from './_xsd.ts';

/** Namespace of the eBox operations' root elements (EboxMessage_v1.xsd) [confirmed]. */
export const EBOX_NS = 'http://socialsecurity.be/eboxmessage/v1';
/** Namespace of the health check elements (monitoring-v1.xsd) [confirmed]. */
export const MONITORING_NS = 'http://services.fgov.be/monitoring/v1';
const XMLNS = 'http://www.w3.org/2000/xmlns/';

type Build = (doc: Document) => Element;

function _el(doc: Document, parent: Element | undefined, ns: string, name: string, text?: string): Element {
  const e = doc.createElementNS(ns, name);
  if (text !== undefined) e.appendChild(doc.createTextNode(text));
  parent?.appendChild(e);
  return e;
}

function _root(doc: Document, name: string): Element {
  const root = _el(doc, undefined, EBOX_NS, `v1:${name}`);
  root.setAttributeNS(XMLNS, 'xmlns:v1', EBOX_NS);
  root.setAttributeNS(XMLNS, 'xmlns:t', EBOX_TYPES_NS);
  return root;
}

const _t = (doc: Document, parent: Element, name: string, text?: string) =>
  _el(doc, parent, EBOX_TYPES_NS, `t:${name}`, text);

function _entity(doc: Document, parent: Element, name: string, id: _EntityId): void {
  _t(doc, _t(doc, parent, name), id.kind, id.value);
}

function _messageId(doc: Document, parent: Element, ticket: string, sequence: number | undefined): void {
  const m = _t(doc, parent, 'MessageID');
  _t(doc, m, 'Ticket', ticket);
  if (sequence !== undefined) _t(doc, m, 'Sequence', String(sequence));
}

/** PublishEboxMessageResponse{ID}. */
export function _publishReply(id: string): Build {
  return (doc) => {
    const root = _root(doc, 'PublishEboxMessageResponse');
    _t(doc, root, 'ID', id);
    return root;
  };
}

export interface _EboxAnswer {
  readonly id: _EntityId;
  readonly exists: boolean;
  readonly lastConnection?: string | undefined;
  readonly exclusivelyEbox?: boolean | undefined;
}

/** HasAnEboxResponse{EboxType CITIZEN, Ebox{Ebox, Exists, LastConnectionDate?, ExclusivelyEbox?}*}. */
export function _hasAnEboxReply(answers: readonly _EboxAnswer[]): Build {
  return (doc) => {
    const root = _root(doc, 'HasAnEboxResponse');
    _t(doc, root, 'EboxType', 'CITIZEN');
    for (const a of answers) {
      const e = _t(doc, root, 'Ebox');
      _entity(doc, e, 'Ebox', a.id);
      _t(doc, e, 'Exists', String(a.exists));
      if (a.lastConnection !== undefined) _t(doc, e, 'LastConnectionDate', a.lastConnection);
      if (a.exclusivelyEbox !== undefined) _t(doc, e, 'ExclusivelyEbox', String(a.exclusivelyEbox));
    }
    return root;
  };
}

export interface _StatusAnswer {
  readonly ebox: _EntityId;
  readonly ticket: string;
  readonly sequence: number | undefined;
  /** HasBeenConsulted, or the ErrorStatusCode of an ErrorCase. */
  readonly result: boolean | 'NOT_FOUND' | 'NOT_AUTHORIZED' | 'MULTIPLE_RESULTS_SPECIFY_SEQUENCE';
}

/** GetMessageStatusResponse{EboxType CITIZEN, Message*, ErrorCase*} (answers, then error cases). */
export function _messageStatusReply(answers: readonly _StatusAnswer[]): Build {
  return (doc) => {
    const root = _root(doc, 'GetMessageStatusResponse');
    _t(doc, root, 'EboxType', 'CITIZEN');
    for (const errors of [false, true]) {
      for (const a of answers) {
        if ((typeof a.result !== 'boolean') !== errors) continue;
        const m = _t(doc, root, errors ? 'ErrorCase' : 'Message');
        _entity(doc, m, 'EboxID', a.ebox);
        _messageId(doc, m, a.ticket, a.sequence);
        if (typeof a.result === 'boolean') _t(doc, m, 'HasBeenConsulted', String(a.result));
        else _t(doc, m, 'ErrorCode', a.result);
      }
    }
    return root;
  };
}

export interface _SanityCheck {
  readonly id: string;
  readonly ok: boolean;
  readonly resource: string;
  readonly type: 'DB' | 'FILESYSTEM';
  readonly ms: number;
}

/** HealthCheckResponse (monitoring-v1.xsd): Status, Component, Location (SIM), SanityCheck*. */
export function _healthReply(input: {
  readonly at: string;
  readonly type: 'PING' | 'DEFAULT' | 'DEEP';
  readonly host: string;
  readonly port: number;
  readonly checks: readonly _SanityCheck[];
}): Build {
  return (doc) => {
    const m = (parent: Element | undefined, name: string, text?: string) =>
      _el(doc, parent, MONITORING_NS, `mon:${name}`, text);
    const root = m(undefined, 'HealthCheckResponse');
    root.setAttributeNS(XMLNS, 'xmlns:mon', MONITORING_NS);
    root.setAttribute('timestamp', input.at);
    const ok = input.checks.every((c) => c.ok);
    const status = m(root, 'Status');
    m(status, 'Level', ok ? 'OK' : 'CRITICAL');
    const component = m(root, 'Component');
    m(component, 'Name', 'EBoxMessage (Passerelle sandbox)');
    m(component, 'Version', '1.8.0');
    const location = m(root, 'Location');
    m(location, 'Environment', 'SIM');
    m(location, 'Host', input.host);
    m(location, 'Port', String(input.port));
    for (const c of input.checks) {
      const check = m(root, 'SanityCheck');
      check.setAttribute('id', c.id);
      check.setAttribute('type', input.type);
      m(m(check, 'Status'), 'Level', c.ok ? 'OK' : 'CRITICAL');
      const resource = m(check, 'Resource');
      resource.setAttribute('name', c.resource);
      resource.setAttribute('type', c.type);
      m(check, 'TimeInMillis', String(c.ms));
    }
    return root;
  };
}
