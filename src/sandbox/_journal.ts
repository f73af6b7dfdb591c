import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { type Clock, isoNow } from '../clock.ts';
import { subjectDn } from '../pki/dn.ts';
import type { VerificationReportJson } from '../wss/report.ts';
import type { SignatureReportJson } from '../xmldsig/report.ts';
import { _headerValue, _redact } from './_journal-redact.ts';
import type {
  ExchangeBody,
  ExchangeFacts,
  ExchangeRecord,
  ExchangeSummary,
  SandboxJournal,
} from './module.ts';

export interface ExchangeJournalOptions {
  /** Exchanges kept, newest replacing oldest; default 200, from 1 to 10000. */
  readonly entries?: number;
  /**
   * Body bytes kept per exchange, request and reply each keeping at most half; default 256 KiB,
   * from 1 KiB to 16 MiB. Headers (at most 40 each way, 512 characters a value) and the
   * verification report (at most 32 references a signature) come on top.
   */
  readonly maxEntryBytes?: number;
}

const MAX_HEADERS = 40;
const MAX_PATH = 500;
const MAX_REFERENCES = 32;

function _headers(entries: Iterable<[string, unknown]>): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    if (n++ >= MAX_HEADERS) {
      out['…'] = 'more headers not kept';
      break;
    }
    const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
    out[name.toLowerCase().slice(0, 100)] = _headerValue(name, text);
  }
  return out;
}

/** The first `cap` bytes of a stream of chunks, and how many went by in all. */
class _Capture {
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  total = 0;

  constructor(readonly cap: number) {}

  add(chunk: unknown, encoding?: unknown): void {
    if (chunk === null || chunk === undefined || typeof chunk === 'function') return;
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : chunk instanceof Uint8Array
          ? chunk
          : undefined;
    if (bytes === undefined) return;
    this.total += bytes.length;
    const room = this.cap - this.#kept;
    if (room <= 0) return;
    const part = Buffer.from(bytes.subarray(0, room));
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  body(): ExchangeBody {
    return {
      bytes: this.total,
      text: _redact(Buffer.concat(this.#chunks).toString('utf8')),
      truncated: this.total > this.#kept,
    };
  }
}

interface _Draft {
  facts: ExchangeFacts;
}

const _cut = (s: string | undefined, n: number): string | undefined =>
  s === undefined ? undefined : s.length > n ? `${s.slice(0, n)}…` : s;

/** The signature report with its strings and references bounded. */
function _boundSignature(s: SignatureReportJson | undefined): SignatureReportJson | undefined {
  if (s === undefined) return undefined;
  return {
    ...s,
    signatureAlgorithm: _cut(s.signatureAlgorithm, 200),
    signer: s.signer === undefined ? undefined : { ...s.signer, subject: _cut(s.signer.subject, 300) ?? '' },
    references: s.references.slice(0, MAX_REFERENCES).map((r) => ({
      ...r,
      uri: _cut(r.uri, 200) ?? '',
      target: _cut(r.target, 100),
      targetNamespace: _cut(r.targetNamespace, 200),
      digestAlgorithm: _cut(r.digestAlgorithm, 200) ?? '',
    })),
  };
}

function _boundReport(r: VerificationReportJson): VerificationReportJson {
  return { ...r, message: _boundSignature(r.message), assertion: _boundSignature(r.assertion) };
}

/** The fault a reply carries: a SOA code or faultcode of a SOAP fault, an OAuth error, a problem type. */
function _faultOf(status: number, contentType: string, reply: ExchangeBody): string | undefined {
  if (/xml/i.test(contentType) && /<(?:\w+:)?Fault[\s>]/.test(reply.text)) {
    const soa = /\bSOA-\d{5}\b/.exec(reply.text)?.[0];
    return soa ?? _cut(/<faultcode>([^<]{1,100})<\/faultcode>/.exec(reply.text)?.[1]?.trim(), 100);
  }
  if (status >= 400 && /json/i.test(contentType) && !reply.truncated) {
    try {
      const body = JSON.parse(reply.text) as Record<string, unknown>;
      if (typeof body['error'] === 'string') return _cut(body['error'], 100);
      const type = typeof body['type'] === 'string' ? body['type'] : undefined;
      if (type !== undefined && type !== 'about:blank') return _cut(type.split(':').at(-1), 100);
      if (typeof body['title'] === 'string') return _cut(body['title'], 100);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function _subject(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  const peer = socket.getPeerX509Certificate?.();
  return peer === undefined ? undefined : _cut(subjectDn(peer), 300);
}

/**
 * The sandbox's exchange journal: every request a listener received and what it answered, in
 * a ring of `entries` exchanges (oldest dropped first). Request bytes are tapped as the HTTP
 * parser hands them to the request stream (the stream's own reading is left alone, so
 * backpressure and the listeners' bounds are unchanged), reply bytes as the handler writes
 * them; each keeps at most half of `maxEntryBytes`, the rest only counted and the body marked
 * truncated. Client assertions, access tokens, Authorization and cookie headers, JWTs and
 * private keys are redacted (`[REDACTED:…]`) before anything is kept.
 */
export class _ExchangeJournal implements SandboxJournal {
  readonly capacity: number;
  readonly maxEntryBytes: number;
  readonly #clock: Clock;
  readonly #entries: ExchangeRecord[] = [];
  readonly #drafts = new WeakMap<IncomingMessage, _Draft>();
  #recorded = 0;

  constructor(clock: Clock, { entries = 200, maxEntryBytes = 256 * 1024 }: ExchangeJournalOptions = {}) {
    if (!Number.isSafeInteger(entries) || entries < 1 || entries > 10_000)
      throw new TypeError('journal: entries must be an integer from 1 to 10000');
    if (!Number.isSafeInteger(maxEntryBytes) || maxEntryBytes < 1024 || maxEntryBytes > 16 * 1024 * 1024)
      throw new TypeError('journal: maxEntryBytes must be an integer from 1024 to 16777216');
    this.#clock = clock;
    this.capacity = entries;
    this.maxEntryBytes = maxEntryBytes;
  }

  observe(listener: string, req: IncomingMessage, res: ServerResponse): void {
    if (this.#drafts.has(req)) return;
    const started = performance.now();
    const time = isoNow(this.#clock);
    const draft: _Draft = { facts: {} };
    this.#drafts.set(req, draft);
    const half = Math.floor(this.maxEntryBytes / 2);
    const request = new _Capture(half);
    const reply = new _Capture(half);
    let open = true;

    // The parser pushes each body chunk into the request stream: keep a copy of the first bytes.
    const push = req.push;
    req.push = function tapPush(this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
      if (open) request.add(chunk, encoding);
      return push.call(this, chunk, encoding);
    } as typeof req.push;
    const headHeaders: [string, unknown][] = [];
    const writeHead = res.writeHead;
    res.writeHead = function tapWriteHead(this: ServerResponse, ...args: unknown[]) {
      const headers = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null);
      if (Array.isArray(headers)) {
        for (let i = 0; i + 1 < headers.length; i += 2)
          headHeaders.push([String(headers[i]), headers[i + 1]]);
      } else if (headers !== undefined) headHeaders.push(...Object.entries(headers as OutgoingHttpHeaders));
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    const write = res.write;
    res.write = function tapWrite(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      if (open) reply.add(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    const end = res.end;
    res.end = function tapEnd(this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (open) reply.add(chunk, rest[0]);
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof res.end;

    res.once('close', () => {
      open = false;
      this.#drafts.delete(req);
      const replyHeaders = _headers([...Object.entries(res.getHeaders()), ...headHeaders]);
      const replyBody = reply.body();
      const status = res.headersSent ? res.statusCode : 0;
      const { facts } = draft;
      const verification = facts.verification?.toJSON();
      const rawPath = req.url ?? '';
      const soapAction = req.headers['soapaction'];
      this.#push({
        id: '',
        time,
        listener: listener.slice(0, 40),
        method: (req.method ?? '').slice(0, 20),
        path: _cut(_redact(rawPath), MAX_PATH) ?? '',
        soapAction: _cut(typeof soapAction === 'string' ? _redact(soapAction) : undefined, 200),
        clientSubject: _subject(req),
        status,
        fault: _cut(facts.fault, 100) ?? _faultOf(status, replyHeaders['content-type'] ?? '', replyBody),
        reason: _cut(facts.reason === undefined ? undefined : _redact(facts.reason), 300),
        operation: _cut(facts.operation, 100),
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        completed: res.writableFinished,
        requestBytes: request.total,
        replyBytes: reply.total,
        verification:
          verification === undefined
            ? undefined
            : { outcome: verification.outcome, ...(verification.code ? { code: verification.code } : {}) },
        requestHeaders: _headers(Object.entries(req.headers)),
        replyHeaders,
        request: request.body(),
        reply: replyBody,
        verificationReport: verification === undefined ? undefined : _boundReport(verification),
      });
    });
  }

  note(req: IncomingMessage, facts: ExchangeFacts): void {
    const draft = this.#drafts.get(req);
    if (draft !== undefined) draft.facts = { ...draft.facts, ...facts };
  }

  /** The most recent `limit` exchanges, newest first, without headers and bodies. */
  summaries(limit: number): ExchangeSummary[] {
    return this.#entries
      .slice(-Math.max(0, limit))
      .reverse()
      .map(
        ({
          requestHeaders: _rh,
          replyHeaders: _ph,
          request: _rq,
          reply: _rp,
          verificationReport: _vr,
          ...summary
        }) => summary,
      );
  }

  get(id: string): ExchangeRecord | undefined {
    return this.#entries.find((e) => e.id === id);
  }

  info(): { capacity: number; maxEntryBytes: number; recorded: number; dropped: number } {
    return {
      capacity: this.capacity,
      maxEntryBytes: this.maxEntryBytes,
      recorded: this.#recorded,
      dropped: this.#recorded - this.#entries.length,
    };
  }

  #push(record: ExchangeRecord): void {
    this.#recorded++;
    this.#entries.push({ ...record, id: String(this.#recorded) });
    if (this.#entries.length > this.capacity) this.#entries.shift();
  }
}
