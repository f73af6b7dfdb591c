import { PasserelleError } from '../../errors.ts';
import { validateInss } from '../../pki/ids/inss.ts';
import { childElements } from '../../xml/dom.ts';
import type { Element } from '../../xml/node.ts';
import type { ServiceContext } from '../service-context.ts';
import { _optionalText, _payload, _requiredText } from '../xml.ts';
import { _eboxCall } from './_soap-call.ts';
import { _messageId, _request, _typed, _xsBoolean } from './_soap-xml.ts';
import { EBOX_LIMITS } from './publication.ts';
import { EBOX_SOAP, type EboxSoapCallOptions } from './soap-names.ts';

/** Which publication getMessageStatus asks about (MessageID of the publication, its recipient). */
export interface EboxMessageStatusQuery {
  /** The citizen's INSS. */
  readonly recipient: string;
  /** The MessageID ticket of the publication. */
  readonly ticket: string;
  /** Needed when several documents were published under the ticket. */
  readonly sequence?: number;
}

/** Whether the citizen has consulted a published message. */
export interface EboxMessageStatus {
  /** 11 digits. */
  readonly recipient: string;
  readonly ticket: string;
  readonly sequence?: number;
  /** Whether the citizen has read or downloaded the message. */
  readonly consulted: boolean;
}

function _invalid(field: string, reason: string): never {
  throw new PasserelleError('ERR_EBOX_INVALID_INPUT', `getMessageStatus: ${field} ${reason}`, {
    details: { field, origin: 'client' },
  });
}

/** Whether a reply entry names the message asked about. */
function _matches(entry: Element, ticket: string): boolean {
  const [id] = childElements(entry, EBOX_SOAP.typesNs, 'MessageID');
  return id !== undefined && _optionalText(id, EBOX_SOAP.typesNs, 'Ticket') === ticket;
}

/**
 * Asks whether a published message has been consulted (`getMessageStatus`, CITIZEN, one Message
 * {EboxID{INSS}, MessageID{Ticket, Sequence?}}), signed, its signed reply verified. An ErrorCase
 * NOT_FOUND is ERR_EBOX_MESSAGE_NOT_FOUND; NOT_AUTHORIZED and MULTIPLE_RESULTS_SPECIFY_SEQUENCE are
 * ERR_EBOX_BUSINESS (details.errorCode). A bad INSS is ERR_IDS_INSS_INVALID, a bad ticket or
 * sequence ERR_EBOX_INVALID_INPUT, before anything is sent.
 */
export async function getMessageStatus(
  ctx: ServiceContext,
  query: EboxMessageStatusQuery,
  options: EboxSoapCallOptions = {},
): Promise<EboxMessageStatus> {
  if (query === null || typeof query !== 'object') throw new TypeError('getMessageStatus: give a query');
  const recipient = validateInss(String(query.recipient)).inss;
  const { ticket, sequence } = query;
  if (typeof ticket !== 'string' || ticket.trim() === '' || [...ticket].length > EBOX_LIMITS.ticket)
    _invalid('ticket', `must be 1 to ${EBOX_LIMITS.ticket} characters`);
  if (
    sequence !== undefined &&
    (!Number.isSafeInteger(sequence) || sequence < 0 || sequence > EBOX_LIMITS.sequenceMax)
  )
    _invalid('sequence', `must be an integer from 0 to ${EBOX_LIMITS.sequenceMax}`);
  const url = options.url ?? ctx.endpoint('ebox.soap');
  const { body } = await _eboxCall(ctx, {
    url,
    action: EBOX_SOAP.actions.getMessageStatus,
    body: (doc) => {
      const request = _request(doc, 'GetMessageStatusRequest');
      request.appendChild(_typed(doc, 'EboxType', 'CITIZEN'));
      request.appendChild(
        _typed(
          doc,
          'Message',
          _typed(doc, 'EboxID', _typed(doc, 'INSS', recipient)),
          _messageId(doc, ticket, sequence),
        ),
      );
      return request;
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const response = _payload(body, EBOX_SOAP.ns, 'GetMessageStatusResponse');
  const base = { recipient, ticket, ...(sequence === undefined ? {} : { sequence }) };
  const found = childElements(response, EBOX_SOAP.typesNs, 'Message').find((m) => _matches(m, ticket));
  if (found !== undefined) {
    const consulted = _requiredText(found, EBOX_SOAP.typesNs, 'HasBeenConsulted');
    return { ...base, consulted: _xsBoolean(consulted, 'HasBeenConsulted') };
  }
  const error = childElements(response, EBOX_SOAP.typesNs, 'ErrorCase').find((m) => _matches(m, ticket));
  const errorCode = error === undefined ? undefined : _requiredText(error, EBOX_SOAP.typesNs, 'ErrorCode');
  if (errorCode === undefined || errorCode.trim() === 'NOT_FOUND') {
    throw new PasserelleError(
      'ERR_EBOX_MESSAGE_NOT_FOUND',
      `No eBox message with ticket ${ticket}${sequence === undefined ? '' : ` and sequence ${sequence}`} for ${recipient}`,
      { details: { ...base, origin: 'platform', ...(errorCode === undefined ? {} : { errorCode }) } },
    );
  }
  const code = errorCode.trim().slice(0, 60);
  throw new PasserelleError('ERR_EBOX_BUSINESS', `getMessageStatus answered ${code} for ticket ${ticket}`, {
    details: { ...base, origin: 'platform', errorCode: code },
    ...(code === 'MULTIPLE_RESULTS_SPECIFY_SEQUENCE'
      ? { hint: 'Several documents were published under this ticket: give the sequence.' }
      : code === 'NOT_AUTHORIZED'
        ? { hint: 'This sender may not query that message (it was published by another sender).' }
        : {}),
  });
}
