import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWTPayload } from 'jose';
import { isoNow } from '../../clock.ts';
import { _drainOf } from '../_request-body.ts';
import type { SandboxModuleContext } from '../module.ts';
import { EBOX_PUBLICATION_SCOPE } from '../oauth/constants.ts';
import { type _BodyLimits, _drainRest } from './_body.ts';
import { _EboxFault } from './_fault.ts';
import { _EboxDropped, type _EboxFaults } from './_faults.ts';
import type { _Multipart } from './_multipart.ts';
import { type _Received, _readForm } from './_rest-form.ts';
import { _messageToPublish } from './_rest-message.ts';
import { _RestRefusal } from './_rest-refusal.ts';
import { _refusalOf, _sendStatus } from './_rest-respond.ts';
import type { _EboxRules, _Sender } from './_service.ts';
import type { _EboxStats } from './_stats.ts';
import type { _EboxStore } from './_store.ts';

/** The REST v2 base path of the message registry [inferred, see config `ebox.rest`]. */
export const EBOX_REST_BASE = '/REST/ebox/enterprise/messageRegistry/v2';

export type _Authorize = (
  req: IncomingMessage,
  scope: string,
) => Promise<
  | { readonly ok: true; readonly claims: JWTPayload }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly problem: { readonly status: number; readonly challenge?: Record<string, string> };
    }
>;

export interface _RestDeps {
  readonly ctx: SandboxModuleContext;
  readonly store: _EboxStore;
  readonly rules: _EboxRules;
  readonly stats: _EboxStats;
  readonly limits: _BodyLimits;
  readonly retentionDays: number;
  readonly faults: _EboxFaults;
  readonly authorize: _Authorize;
  /** The sender an OAuth client publishes as, or undefined for a client that is no eBox sender. */
  readonly senderOf: (clientId: string) => _Sender | undefined;
}

/** RFC 8941 sf-string: printable ASCII in double quotes, `\"` and `\\` escaped. */
function _idempotencyKey(req: IncomingMessage): string | undefined {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const m = /^\s*"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\]){1,255})"\s*$/.exec(String(raw));
  if (m === null)
    throw new _RestRefusal(
      400,
      'INVALID_INPUT',
      'Idempotency-Key must be a quoted string (RFC 8941)',
      'idempotency-key',
    );
  return m[1]!.replace(/\\(["\\])/g, '$1');
}

async function _publish(
  req: IncomingMessage,
  res: ServerResponse,
  deps: _RestDeps,
  held: { parts?: _Multipart },
  got: _Received,
) {
  const { ctx, rules } = deps;
  const path = new URL(req.url ?? '/', 'https://sandbox.invalid').pathname;
  if (path !== `${EBOX_REST_BASE}/publishMessage`)
    throw new _RestRefusal(404, 'NOT_FOUND', `No resource at ${path.slice(0, 100)}`, 'unknown-path');
  if (req.method !== 'POST') throw new _RestRefusal(405, 'METHOD_NOT_ALLOWED', 'Use POST', 'method');
  const auth = await deps.authorize(req, EBOX_PUBLICATION_SCOPE);
  if (!auth.ok) {
    const { status, challenge = {} } = auth.problem;
    const params = Object.entries(challenge).map(([k, v]) => `${k}="${v}"`);
    const refusal = new _RestRefusal(
      status,
      status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
      status === 401
        ? 'A valid bearer token is required'
        : `The access token lacks the scope ${EBOX_PUBLICATION_SCOPE}`,
      auth.reason,
    );
    throw Object.assign(refusal, {
      headers: { 'www-authenticate': ['Bearer', params.join(', ')].filter(Boolean).join(' ') },
    });
  }
  const clientId = String(auth.claims['client_id'] ?? '');
  const client = deps.senderOf(clientId);
  if (client === undefined)
    throw new _RestRefusal(403, 'FORBIDDEN', 'This OAuth client is not an eBox sender', 'unknown-client');
  const key = _idempotencyKey(req);
  // Fault injection draws here, before the body is read or anything stored; the identity is
  // the sender's Idempotency-Key (none: the sequential stream).
  deps.faults.publication(
    req,
    key === undefined ? undefined : `rest\u0000${client.cbe}\u0000${client.application}\u0000${key}`,
  );
  if (key !== undefined && deps.store.hasIdempotencyKey(client.cbe, client.application, key))
    throw new _RestRefusal(
      409,
      'DUPLICATE_REQUEST',
      'This Idempotency-Key was already used by this sender application',
      'ERR_EBOX_DUPLICATE',
    );
  await _readForm(req, deps, held, got);
  if (got.json === undefined)
    throw new _RestRefusal(400, 'INVALID_INPUT', 'The part messageToPublish is missing', 'no-message');
  const message = _messageToPublish(got.json);
  rules.institution(client);
  if (message.senderOrganizationId !== undefined && message.senderOrganizationId !== client.cbe)
    throw new _RestRefusal(
      400,
      'INVALID_SENDER',
      `Invalid message configuration: senderOrganizationId ${message.senderOrganizationId} is not the institution of this client`,
      'ERR_EBOX_SENDER_MISMATCH',
    );
  const sender = rules.sender(client, {
    institution: client.cbe,
    application: message.senderApplicationId ?? client.application,
  });
  rules.messageType(sender, message.messageTypeId);
  const referenced = new Set(message.attachments.map((a) => a.httpPartName));
  const unreferenced = [...got.files.keys()].find((n) => !referenced.has(n));
  if (unreferenced !== undefined)
    throw new _RestRefusal(
      400,
      'INVALID_INPUT',
      `The part ${unreferenced} is not in attachments`,
      'unreferenced-part',
    );
  const documents = message.attachments.map((a) => {
    const file = got.files.get(a.httpPartName);
    if (file === undefined)
      throw new _RestRefusal(400, 'INVALID_INPUT', `The part ${a.httpPartName} is missing`, 'missing-part');
    if (a.digest !== undefined && Buffer.from(file.doc.sha256, 'base64').toString('base64url') !== a.digest)
      throw _EboxFault.business(
        '10',
        `Digest mismatch: the sha_256 digest of ${a.httpPartName} does not match its content`,
        'ERR_EBOX_DIGEST_MISMATCH',
      );
    const mime = /^[\w.+-]+\/[\w.+-]+/.exec(file.contentType ?? '')?.[0] ?? 'application/octet-stream';
    return {
      received: file.doc,
      title: a.title ?? message.subject.text,
      fileName: file.filename ?? `${a.httpPartName}.bin`,
      mime,
      mainContent: a.mainContent,
    };
  });
  const citizen = rules.recipient(message.ssin);
  const now = ctx.clock.now();
  const expiresAt = message.expirationDate ?? new Date(now + deps.retentionDays * 86_400_000).toISOString();
  const stored = await deps.store.publish({
    channel: 'rest',
    senderCbe: sender.cbe,
    senderApp: sender.application,
    ...(key === undefined ? {} : { idempotencyKey: key }),
    messageType: message.messageTypeId,
    subject: message.subject.text,
    recipients: [message.ssin],
    documents,
    now: isoNow(ctx.clock),
    expiresAt: new Date(expiresAt).toISOString(),
  });
  got.files.clear();
  deps.stats.bump('messages.published');
  deps.stats.bump('calls.publishMessage');
  const digital = rules.opened(citizen);
  await deps.faults.beforeReply(req);
  _sendStatus(res, 201, {
    messageId: stored.id,
    expirationDate: new Date(expiresAt).toISOString(),
    ...(digital ? {} : { code: 'NO_DIGITAL_USER', message: 'The recipient has never opened their eBox' }),
  });
  ctx.log.info(
    { messageId: stored.id, messageType: message.messageTypeId, client: clientId },
    'ebox message published (REST)',
  );
}

/**
 * One request to the eBox REST v2 message registry: `POST {base}/publishMessage` only. Bearer
 * token from the sandbox authorization server with the publication scope (401/403), the OAuth
 * client mapped to its sender, Idempotency-Key (RFC 8941 string; reused → 409), multipart/form-data
 * with `messageToPublish` and `upfile1..6` streamed to disk with their SHA-256, then the same
 * rules as SOAP. Answers: 201 PublicationStatusMessage, else StatusMessage {id, code, message,
 * environment: "simulation"}; the precise reason goes to the log and the journal.
 */
export async function _handleEboxRest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: _RestDeps,
): Promise<void> {
  const held: { parts?: _Multipart } = {};
  const got: _Received = { files: new Map() };
  try {
    await _publish(req, res, deps, held, got);
  } catch (error) {
    if (error instanceof _EboxDropped) {
      // Injected: the connection is gone, nothing to answer.
      await held.parts?.cancel().catch(() => {});
      return;
    }
    const refusal = _refusalOf(error);
    await held.parts?.cancel().catch(() => {});
    const headers = (refusal as _RestRefusal & { headers?: Record<string, string> }).headers ?? {};
    const drain = _drainOf(req) ?? (req.complete ? undefined : _drainRest(req, deps.limits));
    const body = {
      id: randomUUID(),
      code: refusal.code,
      message: refusal.message,
      environment: 'simulation',
    };
    _sendStatus(res, refusal.status, body, headers, drain);
    deps.stats.bump(`rest.${refusal.status}.${refusal.code}`);
    deps.ctx.journal?.note(req, { fault: `${refusal.status} ${refusal.code}`, reason: refusal.reason });
    deps.ctx.log[refusal.status >= 500 && refusal.status !== 503 ? 'error' : 'warn'](
      {
        status: refusal.status,
        code: refusal.code,
        reason: refusal.reason,
        statusId: body.id,
        detail: refusal.message.slice(0, 300),
      },
      'ebox REST publication refused',
    );
    if (refusal.status >= 500 && !(error instanceof _RestRefusal))
      deps.ctx.log.error({ error: String(error) }, 'ebox REST failure');
  } finally {
    for (const f of got.files.values()) await rm(f.doc.tmpPath, { force: true });
  }
}
