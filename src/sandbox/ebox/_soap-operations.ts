import type { X509Certificate } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { isoNow } from '../../clock.ts';
import { isPasserelleError } from '../../errors.ts';
import { attributeValue, childElements } from '../../xml/dom.ts';
import type { Document, Element } from '../../xml/node.ts';
import type { SandboxModuleContext } from '../module.ts';
import type { _ReceivedDocument } from './_document-sink.ts';
import { _EboxFault } from './_fault.ts';
import type { _EboxFaults } from './_faults.ts';
import type { _Multipart } from './_multipart.ts';
import { _receivePart } from './_receive-part.ts';
import type { _EboxRules } from './_service.ts';
import {
  _hasAnEboxReply,
  _healthReply,
  _messageStatusReply,
  _publishReply,
  EBOX_NS,
  MONITORING_NS,
} from './_soap-reply.ts';
import { _hasAnEboxRequest, _messageStatusRequest, _publishRequest } from './_soap-request.ts';
import type { _EboxStats } from './_stats.ts';
import type { _EboxStore } from './_store.ts';
import { _xsdFailure } from './_xsd.ts';

export interface _SoapServices {
  readonly ctx: SandboxModuleContext;
  readonly store: _EboxStore;
  readonly rules: _EboxRules;
  readonly stats: _EboxStats;
  readonly retentionDays: number;
  readonly port: () => number;
  readonly faults: _EboxFaults;
}

export interface _SoapCall {
  readonly payload: Element;
  readonly signer: X509Certificate;
  /** The rest of a SOAP-with-Attachments request, after its root part. */
  readonly parts: _Multipart | undefined;
  /** The request (fault injection draws and resets on it). */
  readonly req: IncomingMessage;
}

export interface _SoapOperation {
  readonly name: string;
  readonly ns: string;
  readonly element: string;
  /** The SOAPAction of the binding (EboxMessageVarA_v1.wsdl). */
  readonly action: string;
  run(s: _SoapServices, call: _SoapCall): Promise<(doc: Document) => Element>;
}

/** `cid:` URL → Content-ID (RFC 2392: percent-decoded), or undefined for another URI. */
function _cid(uri: string): string | undefined {
  if (!/^cid:/i.test(uri)) return undefined;
  try {
    return decodeURIComponent(uri.slice(4));
  } catch {
    return undefined;
  }
}

/** Reads the parts after the root: the one named by `cid` goes to disk, the others are dropped. */
async function _attachment(
  s: _SoapServices,
  parts: _Multipart | undefined,
  uri: string,
  sha512: boolean,
): Promise<{ doc: _ReceivedDocument; contentType: string | undefined }> {
  const cid = _cid(uri);
  const missing = () =>
    _EboxFault.system('SOA-03001', 'missing-attachment', 500, `no part for ${uri.slice(0, 80)}`);
  if (parts === undefined || cid === undefined) throw missing();
  let found: { doc: _ReceivedDocument; contentType: string | undefined } | undefined;
  try {
    for (let head = await parts.nextPart(); head !== undefined; head = await parts.nextPart()) {
      const id = /^\s*<([^<>]+)>\s*$/.exec(head.get('content-id') ?? '')?.[1] ?? head.get('content-id');
      if (id !== cid) continue;
      if (found !== undefined) throw _EboxFault.system('SOA-03001', 'duplicate-content-id');
      found = {
        doc: await _receivePart(parts, s.store.documentsDir, { sha512 }),
        contentType: head.get('content-type'),
      };
    }
    if (!parts.finished) throw _EboxFault.system('SOA-03001', 'multipart-truncated');
  } catch (error) {
    if (found !== undefined) await rm(found.doc.tmpPath, { force: true });
    throw error;
  }
  if (found === undefined) throw missing();
  s.stats.bump('bytesIn', found.doc.size);
  return found;
}

async function _publish(s: _SoapServices, call: _SoapCall) {
  const request = _publishRequest(call.payload);
  const certSender = s.rules.level1(call.signer);
  const sender = s.rules.sender(certSender, request.senderId);
  // Fault injection draws here, before anything is read further or stored: the publication's
  // identity is its sender, ticket and sequence (what a retry repeats).
  s.faults.publication(
    call.req,
    `soap\u0000${sender.cbe}\u0000${sender.application}\u0000${request.ticket}\u0000${request.sequence ?? ''}`,
  );
  s.rules.messageType(sender, request.messageType);
  if (request.unsupported.length > 0)
    throw _EboxFault.system('SOA-03007', `not-for-citizens:${request.unsupported.join(',')}`);
  const digest = request.document.digest;
  if (digest?.method === 'SHA-1')
    throw _EboxFault.business(
      '15',
      'Digest algorithm SHA-1 is not allowed: use SHA-256 or SHA-512',
      'ERR_EBOX_DIGEST_ALGORITHM',
    );
  const { doc, contentType } = await _attachment(
    s,
    call.parts,
    request.document.content,
    digest?.method === 'SHA-512',
  );
  try {
    const received = digest?.method === 'SHA-512' ? doc.sha512 : doc.sha256;
    if (digest !== undefined && received !== digest.value.toString('base64'))
      throw _EboxFault.business(
        '10',
        `Digest mismatch: the ${digest.method} digest of the document does not match its content`,
        'ERR_EBOX_DIGEST_MISMATCH',
      );
    for (const r of request.recipients) {
      if (r.kind !== 'INSS' || r.eboxType === 'ENTERPRISE')
        throw _EboxFault.business(
          '90',
          'Invalid recipient: the sandbox serves the citizen eBox only (INSS, EboxType CITIZEN)',
          'not-a-citizen',
        );
      s.rules.recipient(r.value);
    }
    const now = s.ctx.clock.now();
    const mime =
      request.document.mime ??
      /^[\w.+-]+\/[\w.+-]+/.exec(contentType ?? '')?.[0] ??
      'application/octet-stream';
    const stored = await s.store
      .publish({
        channel: 'soap',
        senderCbe: sender.cbe,
        senderApp: sender.application,
        ticket: { ticket: request.ticket, sequence: request.sequence },
        messageType: request.messageType,
        subject: request.document.title,
        recipients: request.recipients.map((r) => r.value),
        documents: [
          {
            received: doc,
            title: request.document.title,
            fileName: request.document.fileName,
            mime,
            mainContent: true,
          },
        ],
        now: isoNow(s.ctx.clock),
        expiresAt: new Date(now + s.retentionDays * 86_400_000).toISOString(),
      })
      .catch((error: unknown) => {
        if (!isPasserelleError(error, 'ERR_EBOX_DUPLICATE')) throw error;
        throw _EboxFault.business(
          '620',
          `Duplicate message: ticket ${request.ticket} sequence ${request.sequence ?? '(none)'} was already read by the citizen and cannot be replaced`,
          'ERR_EBOX_DUPLICATE',
        );
      });
    s.stats.bump(stored.replaced ? 'messages.replaced' : 'messages.published');
    s.ctx.log.info(
      { messageId: stored.id, replaced: stored.replaced, messageType: request.messageType, bytes: doc.size },
      'ebox message published (SOAP)',
    );
    return _publishReply(stored.id);
  } catch (error) {
    await rm(doc.tmpPath, { force: true });
    throw error;
  }
}

async function _hasAnEbox(s: _SoapServices, call: _SoapCall) {
  const request = _hasAnEboxRequest(call.payload);
  s.rules.level1(call.signer);
  return _hasAnEboxReply(
    request.ids.map((id) => {
      const citizen = id.kind === 'INSS' ? s.rules.citizen(id.value) : undefined;
      if (citizen === undefined || citizen.ebox === 'none') return { id, exists: false };
      return {
        id,
        exists: true,
        lastConnection: s.rules.opened(citizen) ? s.rules.lastConnection(citizen) : undefined,
        exclusivelyEbox: citizen.exclusivelyEbox ?? false,
      };
    }),
  );
}

async function _messageStatus(s: _SoapServices, call: _SoapCall) {
  const request = _messageStatusRequest(call.payload);
  const sender = s.rules.level1(call.signer);
  return _messageStatusReply(
    request.messages.map((m) => {
      const rows =
        m.ebox.kind === 'INSS' ? s.store.statusOf(sender.cbe, m.ebox.value, m.ticket, m.sequence) : [];
      const result =
        rows.length === 0
          ? ('NOT_FOUND' as const)
          : rows.length > 1
            ? ('MULTIPLE_RESULTS_SPECIFY_SEQUENCE' as const)
            : rows[0]!.read_at !== null;
      return { ebox: m.ebox, ticket: m.ticket, sequence: m.sequence, result };
    }),
  );
}

async function _health(s: _SoapServices, call: _SoapCall) {
  if (childElements(call.payload).length > 0) _xsdFailure('HealthCheckRequest: no content expected');
  const raw = attributeValue(call.payload, null, 'type') ?? 'DEFAULT';
  if (raw !== 'PING' && raw !== 'DEFAULT' && raw !== 'DEEP') _xsdFailure('HealthCheckRequest: type');
  const checks = [];
  if (raw !== 'PING') {
    const started = s.ctx.clock.now();
    let ok = true;
    try {
      s.store.counts();
    } catch {
      ok = false;
    }
    checks.push({
      id: 'store',
      ok,
      resource: 'ebox.sqlite',
      type: 'DB' as const,
      ms: s.ctx.clock.now() - started,
    });
  }
  return _healthReply({ at: isoNow(s.ctx.clock), type: raw, host: s.ctx.host, port: s.port(), checks });
}

/** The partner operations of EboxMessageVarA_v1.wsdl (the internal ones are not served). */
export const _SOAP_OPERATIONS: readonly _SoapOperation[] = [
  {
    name: 'publishEboxMessage',
    ns: EBOX_NS,
    element: 'PublishEboxMessageRequest',
    action: '',
    run: _publish,
  },
  { name: 'hasAnEbox', ns: EBOX_NS, element: 'HasAnEboxRequest', action: '', run: _hasAnEbox },
  {
    name: 'getMessageStatus',
    ns: EBOX_NS,
    element: 'GetMessageStatusRequest',
    action: '',
    run: _messageStatus,
  },
  {
    name: 'healthCheck',
    ns: MONITORING_NS,
    element: 'HealthCheckRequest',
    action: 'http://socialsecurity.be/eboxmessage/v1/healthCheck',
    run: _health,
  },
];
