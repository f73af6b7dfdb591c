import { PasserelleError } from '../../errors.ts';
import { validateInss } from '../../pki/ids/inss.ts';
import { childElements } from '../../xml/dom.ts';
import type { ServiceContext } from '../service-context.ts';
import { _optionalText, _payload, _requiredText } from '../xml.ts';
import { _eboxCall } from './_soap-call.ts';
import { _request, _typed, _xsBoolean } from './_soap-xml.ts';
import { EBOX_SOAP, type EboxSoapCallOptions } from './soap-names.ts';

/** A citizen's eBox as hasAnEbox answers it. */
export interface HasAnEboxResult {
  /** 11 digits. */
  readonly inss: string;
  readonly hasEbox: boolean;
  /** The citizen's last connection (xs:date), when the platform gives it. */
  readonly lastConnectionDate?: string;
  /** True when the citizen chose the eBox as exclusive channel (no paper copy). */
  readonly exclusivelyEbox?: boolean;
}

function _unexpected(what: string): PasserelleError {
  return new PasserelleError('ERR_SOAP_UNEXPECTED_RESPONSE', `The hasAnEbox reply ${what}`);
}

/**
 * Asks whether a citizen has an eBox (`hasAnEbox`, EboxType CITIZEN, one EboxID{INSS}); the
 * request is signed and the signed reply verified as for publishEboxMessage. A bad INSS is
 * ERR_IDS_INSS_INVALID before anything is sent.
 */
export async function hasAnEbox(
  ctx: ServiceContext,
  inss: string,
  options: EboxSoapCallOptions = {},
): Promise<HasAnEboxResult> {
  if (typeof inss !== 'string') throw new TypeError('hasAnEbox: give the INSS as a string');
  const recipient = validateInss(inss).inss;
  const url = options.url ?? ctx.endpoint('ebox.soap');
  const { body } = await _eboxCall(ctx, {
    url,
    action: EBOX_SOAP.actions.hasAnEbox,
    body: (doc) => {
      const request = _request(doc, 'HasAnEboxRequest');
      request.appendChild(_typed(doc, 'EboxType', 'CITIZEN'));
      request.appendChild(_typed(doc, 'EboxID', _typed(doc, 'INSS', recipient)));
      return request;
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const response = _payload(body, EBOX_SOAP.ns, 'HasAnEboxResponse');
  const entry = childElements(response, EBOX_SOAP.typesNs, 'Ebox').find((e) => {
    const [id] = childElements(e, EBOX_SOAP.typesNs, 'Ebox');
    return id !== undefined && _optionalText(id, EBOX_SOAP.typesNs, 'INSS') === recipient;
  });
  if (entry === undefined) throw _unexpected(`does not answer for INSS ${recipient}`);
  const last = _optionalText(entry, EBOX_SOAP.typesNs, 'LastConnectionDate');
  const exclusive = _optionalText(entry, EBOX_SOAP.typesNs, 'ExclusivelyEbox');
  return {
    inss: recipient,
    hasEbox: _xsBoolean(_requiredText(entry, EBOX_SOAP.typesNs, 'Exists'), 'Exists'),
    ...(last === undefined ? {} : { lastConnectionDate: last.trim() }),
    ...(exclusive === undefined ? {} : { exclusivelyEbox: _xsBoolean(exclusive, 'ExclusivelyEbox') }),
  };
}
