import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { isoNow } from '../../clock.ts';
import type { SandboxModuleContext } from '../module.ts';
import type { EboxRegistries } from './_registry.ts';
import type { _EboxRules } from './_service.ts';
import type { _EboxStats } from './_stats.ts';
import type { _DocumentRow, _EboxStore, _MessageRow } from './_store.ts';

const HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

function _json(res: ServerResponse, status: number, value: unknown, type = 'application/json'): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...HEADERS });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function _notFound(res: ServerResponse, detail: string): void {
  _json(
    res,
    404,
    { type: 'about:blank', title: 'Not Found', status: 404, detail },
    'application/problem+json',
  );
}

const _hex = (base64: string) => Buffer.from(base64, 'base64').toString('hex');

function _summary(m: _MessageRow & { read_at: string | null }) {
  return {
    id: m.id,
    status: m.read_at === null ? 'published' : 'read',
    subject: m.subject,
    messageType: m.message_type,
    sender: { institution: m.sender_cbe, application: m.sender_app },
    channel: m.channel,
    ...(m.ticket === null ? {} : { ticket: m.ticket, ...(m.sequence < 0 ? {} : { sequence: m.sequence }) }),
    publishedAt: m.published_at,
    updatedAt: m.updated_at,
    readAt: m.read_at,
    expiresAt: m.expires_at,
    versions: m.versions,
  };
}

function _document(base: string, d: _DocumentRow) {
  return {
    id: d.id,
    title: d.title,
    fileName: d.file_name,
    mime: d.mime,
    size: d.size,
    sha256: _hex(d.sha256),
    mainContent: d.main_content === 1,
    href: `${base}/documents/${d.id}`,
  };
}

/**
 * The citizen inbox, served by the console under `/api/v1/ebox/` (GET and HEAD; `path` is what
 * follows `/api/v1/ebox`):
 * - `/citizens` → `{ citizens: [{ inss, name, ebox, opened, lastConnection }] }`
 * - `/citizens/{inss}/messages` → `{ inss, messages: [summary] }`, newest first
 * - `/citizens/{inss}/messages/{id}` → summary + `documents: [{ id, title, fileName, mime, size,
 *   sha256 (hex), mainContent, href }]`
 * - `/citizens/{inss}/messages/{id}/documents/{docId}` → the bytes (streamed); a GET of a main
 *   document marks the message read for this citizen (status `published` → `read`).
 * Unknown citizen, message or document: 404 problem+json.
 */
export function _inboxApi(
  ctx: SandboxModuleContext,
  registries: EboxRegistries,
  store: _EboxStore,
  rules: _EboxRules,
  stats: _EboxStats,
) {
  return (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (path === '/citizens') {
      _json(res, 200, {
        citizens: registries.citizens.map((c) => ({
          inss: c.inss,
          name: c.name,
          ebox: c.ebox,
          opened: rules.opened(c),
          lastConnection: rules.lastConnection(c) ?? null,
        })),
      });
      return;
    }
    const m = /^\/citizens\/(\d{11})\/messages(?:\/([0-9a-f-]{36})(?:\/documents\/([0-9a-f-]{36}))?)?$/.exec(
      path,
    );
    const citizen = m === null ? undefined : rules.citizen(m[1]!);
    if (m === null || citizen === undefined) {
      _notFound(res, 'No such eBox resource: see /api/v1/ebox/citizens');
      return;
    }
    const [, inss, id, docId] = m as unknown as [string, string, string | undefined, string | undefined];
    if (id === undefined) {
      _json(res, 200, { inss, messages: store.inbox(inss).map(_summary) });
      return;
    }
    const message = store.message(inss, id);
    if (message === undefined) {
      _notFound(res, 'No such message in this citizen eBox');
      return;
    }
    const base = `/api/v1/ebox/citizens/${inss}/messages/${id}`;
    const documents = store.documents(id);
    if (docId === undefined) {
      _json(res, 200, { ..._summary(message), documents: documents.map((d) => _document(base, d)) });
      return;
    }
    const doc = documents.find((d) => d.id === docId);
    if (doc === undefined) {
      _notFound(res, 'No such document in this message');
      return;
    }
    const safeName = doc.file_name.replace(/[^\w.\- ]/g, '_');
    res.writeHead(200, {
      'content-type': doc.mime,
      'content-length': doc.size,
      'content-disposition': `attachment; filename="${safeName}"`,
      // A document is the sender's bytes under the console's origin: never run as a page there.
      'content-security-policy': "default-src 'none'; sandbox",
      digest: `sha-256=${doc.sha256}`,
      ...HEADERS,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (doc.main_content === 1) store.markRead(inss, id, isoNow(ctx.clock));
    stats.bump('inbox.downloads');
    const stream = createReadStream(join(store.documentsDir, doc.file));
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };
}
