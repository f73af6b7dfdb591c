import { randomUUID } from 'node:crypto';
import { isoNow } from '../../clock.ts';
import { SERVICE_ELEMENTS as E, SERVICE_NS, SERVICE_PATHS } from '../../services/namespaces.ts';
import { _declare, _textElement } from '../../services/xml.ts';
import type { SoaCode } from '../../soap/soa-codes.ts';
import { childElements, textOnly } from '../../xml/dom.ts';
import type { Document, Element } from '../../xml/node.ts';
import type { SandboxModuleContext } from '../module.ts';

/** How the gateway authenticates an operation's caller at message level. */
export type _Security = 'none' | 'x509' | 'saml-hok';

export interface _CallFacts {
  /** The request payload (the Body's single child), from the verified DOM. */
  readonly payload: Element;
  /** DN of the client TLS certificate. */
  readonly tlsSubject: string;
  /** Who the message-level check authenticated (undefined for `none`). */
  readonly consumer: string | undefined;
  readonly receivedAt: string;
}

/** The reply content: the Body's child, built in the reply document. */
export type _Build = (doc: Document) => Element;

/** What an operation answers, when more than a payload (contract operations, scenarios). */
export type _Outcome =
  | { readonly kind: 'payload'; readonly build: _Build }
  /** A platform fault (SOA-02002, ...), answered as the gateway answers its own. */
  | { readonly kind: 'fault'; readonly code: SoaCode; readonly reason: string }
  /** The service's own SOAP fault; signed like a reply when the request was. */
  | {
      readonly kind: 'business-fault';
      readonly faultcode: string;
      readonly faultstring: string;
      readonly detail: Element | undefined;
    }
  /** The request breaks the schema: SOA-03006; `detail` (the validator's words) goes to the log only. */
  | { readonly kind: 'invalid'; readonly detail: string };

export interface _Reply {
  readonly outcome: _Outcome;
  /** Waited before answering, ms. */
  readonly delayMs?: number;
  /** The scenario that chose the outcome, for the log. */
  readonly scenario?: string;
}

/** What `reply` may return: a builder, a `_Reply`, undefined (→ SOA-03006), or a promise of one. */
export type _Planned = _Build | _Reply | undefined | Promise<_Build | _Reply | undefined>;

/** One operation of the gateway; the test services' are synchronous builders (`_Operation<_Build | undefined>`). */
export interface _Operation<R extends _Planned = _Planned> {
  readonly name: string;
  readonly path: string;
  /** Namespace of the request element ('' for none). */
  readonly ns: string;
  readonly request: string;
  readonly security: _Security;
  /**
   * Reads the request and says what to answer: a builder of the reply content, a `_Reply`, or
   * undefined when the request is not valid against the schema (→ SOA-03006). May be async.
   */
  reply(facts: _CallFacts, ctx: SandboxModuleContext): R;
}

const MAX_TEXT = 4096;

function _text(parent: Element, ns: string | null, local: string): string | undefined {
  const found = childElements(parent, ns ?? undefined, local);
  const [first] = found;
  if (found.length !== 1 || first === undefined) return undefined;
  const text = textOnly(first);
  return text !== undefined && text.length <= MAX_TEXT ? text : undefined;
}

function _testConnection(): _Operation<_Build | undefined> {
  const ns = SERVICE_NS.testConnection;
  return {
    name: 'sendTestMessage',
    path: SERVICE_PATHS.testConnection,
    ns,
    request: E.sendTestMessageRequest,
    security: 'x509',
    reply({ payload, tlsSubject, receivedAt }, ctx) {
      const echo = _text(payload, null, 'echo');
      if (echo === undefined || childElements(payload).length !== 1) return undefined;
      return (doc) => {
        const response = _declare(doc.createElementNS(ns, `v1:${E.sendTestMessageResponse}`), 'v1', ns);
        response.appendChild(_textElement(doc, null, 'echo', echo));
        response.appendChild(_textElement(doc, null, 'sslCertificate', tlsSubject));
        const info = doc.createElementNS(null, 'informationCBSS');
        info.appendChild(_textElement(doc, null, 'ticketCBSS', randomUUID()));
        info.appendChild(_textElement(doc, null, 'timestampReceive', receivedAt));
        info.appendChild(_textElement(doc, null, 'timestampReply', isoNow(ctx.clock)));
        response.appendChild(info);
        return response;
      };
    },
  };
}

function _consumerTest(
  name: string,
  request: string,
  response: string,
  security: _Security,
): _Operation<_Build | undefined> {
  const ns = SERVICE_NS.consumerTest;
  const types = SERVICE_NS.consumerTestTypes;
  return {
    name,
    path: SERVICE_PATHS.consumerTest,
    ns,
    request,
    security,
    reply({ payload, consumer }) {
      const message = _text(payload, types, 'Message');
      const timestamp = _text(payload, types, 'Timestamp');
      if (message === undefined || timestamp === undefined || childElements(payload).length !== 2)
        return undefined;
      return (doc) => {
        const el = _declare(_declare(doc.createElementNS(ns, `urn:${response}`), 'urn', ns), 'urn1', types);
        el.appendChild(_textElement(doc, types, 'urn1:Message', message));
        el.appendChild(_textElement(doc, types, 'urn1:Timestamp', timestamp));
        if (consumer !== undefined)
          el.appendChild(_textElement(doc, types, 'urn1:AuthenticatedConsumer', consumer));
        return el;
      };
    },
  };
}

/** Every operation the soa gateway serves on the 4520 role, found by path and Body element. */
export function _operations(): readonly _Operation<_Build | undefined>[] {
  return [
    _testConnection(),
    _consumerTest('checkConnection', E.checkConnectionRequest, E.checkConnectionResponse, 'none'),
    _consumerTest('checkAccessControl', E.checkAccessControlRequest, E.checkAccessControlResponse, 'x509'),
    _consumerTest(
      'checkBrokeredAccessControl',
      E.checkBrokeredAccessControlRequest,
      E.checkBrokeredAccessControlResponse,
      'saml-hok',
    ),
  ];
}
