import { EBOX_MIME_TYPES } from '../../services/ebox/publication.ts';
import type { Element } from '../../xml/node.ts';
import {
  _base64,
  _boolean,
  _children,
  _enum,
  _integer,
  _one,
  _sequence,
  _string,
  _text,
  _xsdFailure,
} from './_xsd.ts';

/** An EntityID: an enterprise (CompanyID), a citizen (INSS) or a professional (NIHII). */
export interface _EntityId {
  readonly kind: 'CompanyID' | 'INSS' | 'NIHII';
  readonly value: string;
}

export interface _PublishRequest {
  readonly ticket: string;
  readonly sequence: number | undefined;
  readonly senderId: { readonly application: string; readonly institution: string } | undefined;
  readonly recipients: readonly (_EntityId & { readonly eboxType: string | undefined })[];
  readonly messageType: string;
  readonly document: {
    readonly title: string;
    readonly content: string;
    readonly digest: { readonly method: 'SHA-1' | 'SHA-256' | 'SHA-512'; readonly value: Buffer } | undefined;
    readonly fileName: string;
    readonly mime: string | undefined;
  };
  /** Elements the citizen eBox does not support (FreeInformation, Meta, Annex) that were sent. */
  readonly unsupported: readonly string[];
}

/** The MIME types the contract enumerates (one list, the client's). */
const MIMES: readonly string[] = EBOX_MIME_TYPES;

/** EntityID's leading choice, starting at `children[0]`; returns it and how many elements it took. */
function _entity(children: readonly Element[], where: string): { id: _EntityId; used: number } {
  const first = children[0];
  if (first === undefined) _xsdFailure(`${where}: an entity id is expected`);
  switch (first.localName) {
    case 'CompanyID': {
      const value = _string(first, 0, 10, /^[0-9]{10}$/);
      const sub = children[1]?.localName === 'SubentityId' ? children[1] : undefined;
      if (sub !== undefined) _string(sub, 0, 50, /^[A-Za-z0-9]+$/);
      return { id: { kind: 'CompanyID', value }, used: sub === undefined ? 1 : 2 };
    }
    case 'INSS':
      return { id: { kind: 'INSS', value: _string(first, 11, 11, /^[0-9]{11}$/) }, used: 1 };
    case 'NIHII':
      return { id: { kind: 'NIHII', value: _string(first, 8, 8, /^[0-9]{8}$/) }, used: 1 };
    default:
      return _xsdFailure(`${where}: CompanyID, INSS or NIHII expected`);
  }
}

/** The choice QualityCode | EboxType; returns the EboxType (undefined for a QualityCode). */
function _eboxTypeChoice(el: Element | undefined, where: string): string | undefined {
  if (el?.localName === 'EboxType') return _enum(el, ['ENTERPRISE', 'CITIZEN'] as const);
  if (el?.localName === 'QualityCode') {
    _string(el, 1, 125);
    return undefined;
  }
  return _xsdFailure(`${where}: QualityCode or EboxType expected`);
}

/** An element of type EntityID alone (EboxID): the choice and nothing else. */
export function _entityId(el: Element): _EntityId {
  const children = _children(el);
  const { id, used } = _entity(children, el.localName ?? 'EboxID');
  if (used !== children.length) _xsdFailure(`${el.localName}: unexpected element`);
  return id;
}

function _recipient(el: Element): _PublishRequest['recipients'][number] {
  const children = _children(el);
  const { id, used } = _entity(children, 'RecipientID');
  const eboxType = _eboxTypeChoice(children[used], 'RecipientID');
  const rest = children.slice(used + 1);
  if (rest.length > 1 || (rest[0] !== undefined && rest[0].localName !== 'Person'))
    _xsdFailure('RecipientID: unexpected element');
  if (rest[0] !== undefined) {
    const p = _sequence(rest[0], [{ name: 'INSS' }, { name: 'FirstName' }, { name: 'LastName' }]);
    _string(_one(p, 'INSS')!, 11, 11, /^[0-9]{11}$/);
    _string(_one(p, 'FirstName')!, 1, 100);
    _string(_one(p, 'LastName')!, 1, 100);
  }
  return { ...id, eboxType };
}

function _file(el: Element): _PublishRequest['document'] {
  const f = _sequence(el, [
    { name: 'Title' },
    { name: 'Content' },
    { name: 'Digest', min: 0 },
    { name: 'DownloadFileName' },
    { name: 'MIME', min: 0 },
  ]);
  const content = _text(_one(f, 'Content')!).trim();
  if (!/^\S{1,2048}$/.test(content)) _xsdFailure('Content: not a URI');
  const digestEl = _one(f, 'Digest');
  let digest: _PublishRequest['document']['digest'];
  if (digestEl !== undefined) {
    const d = _sequence(digestEl, [{ name: 'DigestMethod' }, { name: 'DigestValue' }]);
    digest = {
      method: _enum(_one(d, 'DigestMethod')!, ['SHA-1', 'SHA-256', 'SHA-512'] as const),
      value: _base64(_one(d, 'DigestValue')!, 1, 150),
    };
  }
  const mime = _one(f, 'MIME');
  return {
    title: _string(_one(f, 'Title')!, 1, 400),
    content,
    digest,
    fileName: _string(_one(f, 'DownloadFileName')!, 1, 80),
    mime: mime === undefined ? undefined : _enum(mime, MIMES),
  };
}

function _freeInformation(el: Element): void {
  const [choice, ...more] = _children(el);
  if (choice === undefined || more.length > 0) _xsdFailure('FreeInformation: one FreeText or Table');
  if (choice.localName === 'FreeText') _string(choice, 1, 5000);
  else if (choice.localName === 'Table') {
    const t = _sequence(choice, [{ name: 'Title' }, { name: 'Row', max: 10 }]);
    _string(_one(t, 'Title')!, 1, 50);
    for (const row of t.get('Row') ?? []) {
      const r = _sequence(row, [{ name: 'LeftCell' }, { name: 'RightCell' }]);
      _string(_one(r, 'LeftCell')!, 1, 50);
      _string(_one(r, 'RightCell')!, 1, 150);
    }
  } else _xsdFailure('FreeInformation: FreeText or Table expected');
}

/** PublishEboxMessageRequest checked against EboxMessage_types_v1.xsd (lengths, patterns, counts). */
export function _publishRequest(el: Element): _PublishRequest {
  const r = _sequence(el, [
    { name: 'MessageID' },
    { name: 'SenderID', min: 0 },
    { name: 'RecipientID', max: 5 },
    { name: 'MessageType' },
    { name: 'Document' },
    { name: 'FreeInformation', min: 0 },
    { name: 'Meta', min: 0, max: 10 },
    { name: 'Annex', min: 0, max: 5 },
    { name: 'EmailAddresses', min: 0, max: 5 },
    { name: 'IsRegistered', min: 0 },
  ]);
  const id = _sequence(_one(r, 'MessageID')!, [{ name: 'Ticket' }, { name: 'Sequence', min: 0 }]);
  const sequenceEl = _one(id, 'Sequence');
  const senderEl = _one(r, 'SenderID');
  const sender =
    senderEl === undefined
      ? undefined
      : _sequence(senderEl, [{ name: 'Application' }, { name: 'Institution' }]);
  const free = _one(r, 'FreeInformation');
  if (free !== undefined) _freeInformation(free);
  for (const meta of r.get('Meta') ?? []) {
    const m = _sequence(meta, [{ name: 'Type' }, { name: 'Value', max: 10 }]);
    _string(_one(m, 'Type')!, 1, 25);
    for (const v of m.get('Value') ?? []) _string(v, 1, 25);
  }
  for (const annex of r.get('Annex') ?? []) _file(annex);
  for (const mail of r.get('EmailAddresses') ?? [])
    _string(mail, 0, 80, /^[A-Za-z0-9._%-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,4}$/);
  const registered = _one(r, 'IsRegistered');
  if (registered !== undefined) _boolean(registered);
  return {
    ticket: _string(_one(id, 'Ticket')!, 1, 25),
    sequence: sequenceEl === undefined ? undefined : _integer(sequenceEl, 0, 99999),
    senderId:
      sender === undefined
        ? undefined
        : {
            application: _string(_one(sender, 'Application')!, 1, 150),
            institution: _string(_one(sender, 'Institution')!, 0, 10, /^[0-9]{10}$/),
          },
    recipients: (r.get('RecipientID') ?? []).map(_recipient),
    messageType: _string(_one(r, 'MessageType')!, 6, 80),
    document: _file(_one(r, 'Document')!),
    unsupported: ['FreeInformation', 'Meta', 'Annex'].filter((n) => (r.get(n) ?? []).length > 0),
  };
}

/** HasAnEboxRequest: the EboxType (undefined for a QualityCode) and 1–1000 EboxID. */
export function _hasAnEboxRequest(el: Element): { eboxType: string | undefined; ids: _EntityId[] } {
  const [choice, ...ids] = _children(el);
  const eboxType = _eboxTypeChoice(choice, 'HasAnEboxRequest');
  if (ids.length < 1 || ids.length > 1000 || ids.some((e) => e.localName !== 'EboxID'))
    _xsdFailure('HasAnEboxRequest: 1 to 1000 EboxID expected');
  return { eboxType, ids: ids.map(_entityId) };
}

/** GetMessageStatusRequest: the EboxType and 1–250 Message{EboxID, MessageID}. */
export function _messageStatusRequest(el: Element): {
  eboxType: string | undefined;
  messages: { ebox: _EntityId; ticket: string; sequence: number | undefined }[];
} {
  const [choice, ...messages] = _children(el);
  const eboxType = _eboxTypeChoice(choice, 'GetMessageStatusRequest');
  if (messages.length < 1 || messages.length > 250 || messages.some((e) => e.localName !== 'Message'))
    _xsdFailure('GetMessageStatusRequest: 1 to 250 Message expected');
  return {
    eboxType,
    messages: messages.map((m) => {
      const f = _sequence(m, [{ name: 'EboxID' }, { name: 'MessageID' }]);
      const id = _sequence(_one(f, 'MessageID')!, [{ name: 'Ticket' }, { name: 'Sequence', min: 0 }]);
      const seq = _one(id, 'Sequence');
      return {
        ebox: _entityId(_one(f, 'EboxID')!),
        ticket: _string(_one(id, 'Ticket')!, 1, 25),
        sequence: seq === undefined ? undefined : _integer(seq, 0, 99999),
      };
    }),
  };
}
