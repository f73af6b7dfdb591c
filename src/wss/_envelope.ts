import { PasserelleError } from '../errors.ts';
import { attributeValue, childElements, isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';

export interface EnvelopeParts {
  readonly envelope: Element;
  readonly header: Element | undefined;
  readonly body: Element;
}

const ACTOR_NEXT = 'http://schemas.xmlsoap.org/soap/actor/next';

function malformed(message: string): never {
  throw new PasserelleError('ERR_WSS_MALFORMED', message, {
    hint: 'Send a SOAP 1.1 envelope: Envelope, optional Header, then Body.',
  });
}

/**
 * The SOAP 1.1 Envelope, its Header (if any) and THE Body: the root element must be
 * soapenv:Envelope whose element children are an optional Header followed by one Body, nothing
 * else; no character data beside them.
 */
export function locateEnvelope(doc: Document): EnvelopeParts {
  const envelope = doc.documentElement;
  if (!isNamed(envelope, NS.soapenv, 'Envelope')) malformed('The root element is not a SOAP 1.1 Envelope');
  for (let child = envelope.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3 && !/^[ \t\n]*$/.test(child.nodeValue ?? ''))
      malformed('Character data directly inside the Envelope');
  }
  const children = childElements(envelope);
  let header: Element | undefined;
  let body: Element | undefined;
  if (
    children.length === 2 &&
    isNamed(children[0], NS.soapenv, 'Header') &&
    isNamed(children[1], NS.soapenv, 'Body')
  ) {
    header = children[0];
    body = children[1];
  } else if (children.length === 1 && isNamed(children[0], NS.soapenv, 'Body')) {
    body = children[0];
  } else {
    malformed('The Envelope must contain an optional Header followed by exactly one Body, and nothing else');
  }
  return { envelope, header, body: body! };
}

/**
 * The wsse:Security header blocks addressed to us: no soapenv:actor, the "next" actor, or
 * `actor` when given. Blocks for other actors are not ours to process.
 */
export function securityHeadersFor(header: Element | undefined, actor?: string): Element[] {
  if (!header) return [];
  return childElements(header, NS.wsse, 'Security').filter((s) => {
    const a = attributeValue(s, NS.soapenv, 'actor');
    return a === undefined || a === ACTOR_NEXT || (actor !== undefined && a === actor);
  });
}

/** The envelope's Header, created (with the envelope's prefix) before the Body when it has none. */
export function _ensureHeader(doc: Document, { envelope, header, body }: EnvelopeParts): Element {
  if (header) return header;
  const created = doc.createElementNS(NS.soapenv, envelope.prefix ? `${envelope.prefix}:Header` : 'Header');
  envelope.insertBefore(created, body);
  return created;
}
