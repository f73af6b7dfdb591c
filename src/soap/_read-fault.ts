import { PasserelleError } from '../errors.ts';
import type { Element } from '../xml/node.ts';
import { _childNamed, _childrenNamed, _elementChildren, _text } from './_dom.ts';
import { SOAP_NAMESPACES } from './namespaces.ts';
import type { CbssFault, CbssFaultDetail, SoaErrorDetail, SoapFault } from './types.ts';

/** Peer-supplied strings are clipped: errors and logs stay small whatever the peer sends. */
const MAX_TEXT = 1000;
/** CBSSFaultType allows 1–30 details. */
const MAX_CBSS_DETAILS = 30;

function _clip(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
}

/** A SOAP 1.1 fault child: unqualified per SOAP 1.1 / WS-I; the envelope namespace is tolerated. */
function _faultChild(fault: Element, localName: string): Element | undefined {
  return _elementChildren(fault).find(
    (e) =>
      e.localName === localName && (e.namespaceURI === null || e.namespaceURI === SOAP_NAMESPACES.envelope),
  );
}

/** Reads a `soapenv:Fault` element into the typed model. Throws ERR_SOAP_MALFORMED. */
export function _readFault(fault: Element): SoapFault {
  const faultcode = _text(_faultChild(fault, 'faultcode'));
  const faultstring = _text(_faultChild(fault, 'faultstring'));
  if (faultcode === undefined || faultcode === '' || faultstring === undefined) {
    throw new PasserelleError('ERR_SOAP_MALFORMED', 'The SOAP fault has no faultcode or no faultstring', {
      details: { hasFaultcode: faultcode !== undefined, hasFaultstring: faultstring !== undefined },
    });
  }
  const detail = _faultChild(fault, 'detail');
  const entries = detail === undefined ? [] : _elementChildren(detail);
  return {
    faultcode: _clip(faultcode)!,
    faultcodeLocal: _clip(faultcode.slice(faultcode.indexOf(':') + 1))!,
    faultstring: _clip(faultstring)!,
    actor: _clip(_text(_faultChild(fault, 'faultactor'))),
    soa: _firstDefined(entries.map(_readSoa)),
    cbss: _firstDefined(entries.map(_readCbss)),
  };
}

function _firstDefined<T>(values: readonly (T | undefined)[]): T | undefined {
  return values.find((v) => v !== undefined);
}

function _readSoa(element: Element): SoaErrorDetail | undefined {
  if (element.namespaceURI !== SOAP_NAMESPACES.soaErrors) return undefined;
  const kind = element.localName;
  if (kind !== 'SystemError' && kind !== 'BusinessError') return undefined;
  const code = _text(_childNamed(element, 'Code'));
  if (code === undefined || code === '') return undefined;
  const messages = _childrenNamed(element, 'Message');
  const message = messages.find((m) => m.getAttributeNS(SOAP_NAMESPACES.xml, 'lang') === 'en') ?? messages[0];
  const lang = message?.getAttributeNS(SOAP_NAMESPACES.xml, 'lang');
  return {
    kind,
    id: _clip(element.getAttribute('Id') ?? undefined),
    origin: _clip(_text(_childNamed(element, 'Origin'))),
    code: _clip(code)!,
    message: _clip(_text(message)),
    lang: lang === null || lang === undefined || lang === '' ? undefined : _clip(lang),
    environment: _clip(_text(_childNamed(element, 'Environment'))),
  };
}

function _readCbss(element: Element): CbssFault | undefined {
  const info = _childNamed(element, 'informationCBSS');
  const details = _childrenNamed(element, 'detail');
  if (info === undefined && details.length === 0) return undefined;
  return {
    informationCBSS:
      info === undefined
        ? undefined
        : {
            ticketCBSS: _clip(_text(_childNamed(info, 'ticketCBSS'))),
            timestampReceive: _clip(_text(_childNamed(info, 'timestampReceive'))),
            timestampReply: _clip(_text(_childNamed(info, 'timestampReply'))),
          },
    details: details.slice(0, MAX_CBSS_DETAILS).map(
      (d): CbssFaultDetail => ({
        severity: _clip(_text(_childNamed(d, 'severity'))),
        reasonCode: _clip(_text(_childNamed(d, 'reasonCode'))),
        diagnostic: _clip(_text(_childNamed(d, 'diagnostic'))),
        authorCode: _clip(_text(_childNamed(d, 'authorCode'))),
      }),
    ),
  };
}
