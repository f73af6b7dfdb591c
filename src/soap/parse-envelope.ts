import { PasserelleError } from '../errors.ts';
import { decodeXml } from '../utf8.ts';
import { type ParseXmlOptions, parseXml } from '../xml/parse.ts';
import { _elementChildren, _hasSignificantText, _is } from './_dom.ts';
import { _readFault } from './_read-fault.ts';
import { SOAP_NAMESPACES } from './namespaces.ts';
import type { ParsedEnvelope } from './types.ts';

const ENV = SOAP_NAMESPACES.envelope;

/**
 * Parses a SOAP 1.1 envelope with the hardened XML parser (`xml/parse`, limits overridable) and checks its shape: root
 * `Envelope` in the SOAP 1.1 namespace, at most one `Header` (first), exactly one `Body`,
 * nothing after the Body (WS-I BP R1011), a `Fault` only as the sole child of the Body.
 *
 * Bytes are decoded strictly (`decodeXml`: UTF-8 only, ERR_XML_ENCODING /
 * ERR_XML_UNSUPPORTED_ENCODING); a string's XML declaration must not name another encoding
 * (parseXml refuses it).
 * Throws ERR_XML_* for unsafe or broken XML, ERR_SOAP_NOT_SOAP, ERR_SOAP_NO_BODY,
 * ERR_SOAP_MALFORMED. A fault is returned in `fault`, not thrown: see `faultToError`.
 */
export function parseEnvelope(xml: string | Uint8Array, options: ParseXmlOptions = {}): ParsedEnvelope {
  const text = typeof xml === 'string' ? xml : decodeXml(xml);
  const document = parseXml(text, options);
  const envelope = document.documentElement;
  if (envelope === null) throw new PasserelleError('ERR_SOAP_NOT_SOAP', 'The document has no root element');
  if (!_is(envelope, ENV, 'Envelope')) {
    const soap12 = envelope.namespaceURI === SOAP_NAMESPACES.envelope12;
    throw new PasserelleError(
      'ERR_SOAP_NOT_SOAP',
      soap12 ? 'The message is SOAP 1.2; SOAP 1.1 is expected' : 'The message is not a SOAP 1.1 envelope',
      {
        details: {
          root: (envelope.localName ?? '').slice(0, 64),
          namespace: (envelope.namespaceURI ?? '').slice(0, 200),
        },
        ...(soap12
          ? { hint: 'The platforms speak SOAP 1.1 (namespace http://schemas.xmlsoap.org/soap/envelope/).' }
          : {}),
      },
    );
  }
  if (_hasSignificantText(envelope)) {
    throw new PasserelleError('ERR_SOAP_MALFORMED', 'The SOAP envelope holds text outside Header and Body');
  }
  const children = _elementChildren(envelope);
  let index = 0;
  const header = children[0] !== undefined && _is(children[0], ENV, 'Header') ? children[0] : undefined;
  if (header !== undefined) index = 1;
  const body = children[index];
  if (body === undefined || !_is(body, ENV, 'Body')) {
    const hasBody = children.some((c) => _is(c, ENV, 'Body'));
    if (!hasBody) throw new PasserelleError('ERR_SOAP_NO_BODY', 'The SOAP envelope has no Body');
    throw new PasserelleError('ERR_SOAP_MALFORMED', 'The SOAP envelope children are not Header? then Body', {
      details: { children: children.map((c) => (c.localName ?? '').slice(0, 64)).slice(0, 10) },
    });
  }
  if (children.length !== index + 1) {
    throw new PasserelleError(
      'ERR_SOAP_MALFORMED',
      'The SOAP envelope has elements after the Body or a second Body',
      {
        details: { children: children.map((c) => (c.localName ?? '').slice(0, 64)).slice(0, 10) },
      },
    );
  }
  const bodyChildren = _elementChildren(body);
  const faults = bodyChildren.filter((c) => _is(c, ENV, 'Fault'));
  if (faults.length > 0 && bodyChildren.length !== 1) {
    throw new PasserelleError('ERR_SOAP_MALFORMED', 'A SOAP Fault must be the only child of the Body', {
      details: { bodyChildren: bodyChildren.length },
    });
  }
  const fault = faults[0] === undefined ? undefined : _readFault(faults[0]);
  return { document, envelope, header, body, fault };
}
