import { randomUUID } from 'node:crypto';
import { isoNow } from '../../clock.ts';
import { SERVICE_ELEMENTS as E, SERVICE_NS, SERVICE_PATHS } from '../../services/namespaces.ts';
import { _declare, _textElement } from '../../services/xml.ts';
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

export interface _Operation {
  readonly name: string;
  readonly path: string;
  readonly ns: string;
  readonly request: string;
  readonly security: _Security;
  /** Reads the request (undefined: not valid against the schema → SOA-03006) and builds the reply content. */
  reply(facts: _CallFacts, ctx: SandboxModuleContext): ((doc: Document) => Element) | undefined;
}

const MAX_TEXT = 4096;

function _text(parent: Element, ns: string | null, local: string): string | undefined {
  const found = childElements(parent, ns ?? undefined, local);
  const [first] = found;
  if (found.length !== 1 || first === undefined) return undefined;
  const text = textOnly(first);
  return text !== undefined && text.length <= MAX_TEXT ? text : undefined;
}

function _testConnection(): _Operation {
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

function _consumerTest(name: string, request: string, response: string, security: _Security): _Operation {
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
export function _operations(): readonly _Operation[] {
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
