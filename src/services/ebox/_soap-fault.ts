import { PasserelleError } from '../../errors.ts';
import { faultToError } from '../../soap/fault-to-error.ts';
import { SOAP_NAMESPACES } from '../../soap/namespaces.ts';
import { SoapFaultError } from '../../soap/soap-fault-error.ts';
import type { ParsedEnvelope, SoaErrorDetail } from '../../soap/types.ts';
import { attributeValue, childElements, textOnly } from '../../xml/dom.ts';
import { NS } from '../../xml/namespaces.ts';
import type { Element } from '../../xml/node.ts';
import { _soapBusinessCode } from './_business-codes.ts';
import { EBOX_SOAP } from './soap-names.ts';

const MAX_TEXT = 500;
const NOT_AUTHORIZED_HINT =
  'The platform does not authorise your institution for the eBox publication service (level 1 check): ask eboxintegration@smals.be to authorise the institution (its CBE, as in the certificate) for this environment.';

function _clip(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: peer text becomes one safe line
  const line = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)}…` : line;
}

function _child(el: Element, local: string): string | undefined {
  const [found] = childElements(el).filter((c) => c.localName === local);
  return found === undefined ? undefined : _clip(textOnly(found) ?? found.textContent ?? undefined);
}

/** The eBox errors-namespace (`http://socialsecurity.be/errors/v1`) detail of a fault, if any. */
function _eboxDetail(reply: ParsedEnvelope): SoaErrorDetail | undefined {
  const [fault] = childElements(reply.body, NS.soapenv, 'Fault');
  if (fault === undefined) return undefined;
  const detail = childElements(fault).find(
    (c) => c.localName === 'detail' && (c.namespaceURI === null || c.namespaceURI === NS.soapenv),
  );
  if (detail === undefined) return undefined;
  const entry = childElements(detail).find(
    (c) =>
      c.namespaceURI === EBOX_SOAP.errorsNs &&
      (c.localName === 'BusinessError' || c.localName === 'SystemError'),
  );
  const code = entry === undefined ? undefined : _child(entry, 'Code');
  if (entry === undefined || code === undefined || code === '') return undefined;
  const messages = childElements(entry).filter((c) => c.localName === 'Message');
  const message =
    messages.find((m) => attributeValue(m, SOAP_NAMESPACES.xml, 'lang') === 'en') ?? messages[0];
  return {
    kind: entry.localName as 'BusinessError' | 'SystemError',
    id: _clip(attributeValue(entry, null, 'Id')),
    origin: _child(entry, 'Origin'),
    code,
    message: message === undefined ? undefined : _clip(message.textContent ?? undefined),
    lang: message === undefined ? undefined : attributeValue(message, SOAP_NAMESPACES.xml, 'lang'),
    environment: _child(entry, 'Environment'),
  };
}

/**
 * Maps an EBoxMessage fault. A BusinessError detail (errors namespace of the contract) becomes
 * the ERR_EBOX_* code of its business code (`_soapBusinessCode`: 10, 15, 20, 40, 90, 620; others
 * ERR_EBOX_BUSINESS) with details { businessCode, origin: 'platform', message } and the
 * ERR_SOAP_FAULT as `cause`. A SystemError stays ERR_SOAP_FAULT with its soaCode/soaKind; the
 * level-1 refusal SOA-01002 gets an eBox-specific hint.
 */
export function _eboxFault(reply: ParsedEnvelope, httpStatus: number): Error {
  const given = reply.fault!;
  const detail = given.soa ?? _eboxDetail(reply);
  const fault = detail === given.soa ? given : { ...given, soa: detail };
  const base = faultToError(fault, { httpStatus });
  if (detail?.kind === 'BusinessError' && !/^SOA-\d{5}$/.test(detail.code)) {
    const code = _soapBusinessCode(detail.code);
    const text = detail.message ?? _clip(given.faultstring) ?? '';
    return new PasserelleError(code, `eBox business error ${detail.code}: ${text}`, {
      details: {
        businessCode: detail.code,
        origin: 'platform',
        message: text,
        ...(detail.id === undefined ? {} : { errorId: detail.id }),
      },
      cause: base,
    });
  }
  if (base.details['soaCode'] === 'SOA-01002')
    return new SoapFaultError(base.fault, base.message, { hint: NOT_AUTHORIZED_HINT, details: base.details });
  return base;
}
