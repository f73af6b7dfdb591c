import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock.ts';
import { isPasserelleError, PasserelleError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Credential } from '../../pki/credential.ts';
import { MTOM_TEST } from '../../services/mtom/names.ts';
import { _parseMediaType } from '../../soap/mtom/content-type.ts';
import { type MtomReader, readMtom } from '../../soap/mtom/read-mtom.ts';
import { decodeXml } from '../../utf8.ts';
import { verifyMtomEnvelope } from '../../wss/mtom-verify.ts';
import type { ReplayCache } from '../../wss/replay-cache.ts';
import { VerificationReport } from '../../wss/report.ts';
import { childElements } from '../../xml/dom.ts';
import {
  _declaredLength,
  _drainOf,
  _guardRequestBody,
  _readRequestBody,
  _refuseDeclared,
  _totalBoundMs,
} from '../_request-body.ts';
import type { SandboxJournal } from '../module.ts';
import { _downloadReply, _downloadRequest, _receiveUpload } from './_operations.ts';
import { _guardReply, _sendFault, _sendSigned, _soaCodeFor } from './_respond.ts';

export interface _MtomServiceState {
  readonly trust: Credential['certificate'][];
  readonly signer: { readonly credential: Credential; readonly clock: Clock };
  readonly replayCache: ReplayCache;
  readonly log: Logger;
  readonly maxPackageBytes: number;
  /** Longest pause between two body chunks, ms. */
  readonly bodyIdleTimeoutMs: number;
  /** The slowest upload rate the total bound allows (declared size, or the limit when chunked). */
  readonly minBytesPerSecond: number;
  readonly counters: Record<'uploads' | 'downloads' | 'bytesIn' | 'bytesOut' | 'rejected', number>;
  /** The sandbox's exchange journal, told the verification and the fault of each request. */
  readonly journal?: SandboxJournal | undefined;
}

const MAX_XML_BYTES = 4 * 1024 * 1024;
/** What is still read and dropped after a refusal for size, so the client reads the fault. */
const DRAIN_BYTES = 16 * 1024 * 1024;

/** A plain text/xml request, up to 4 MiB; past it ERR_MTOM_LIMIT, and the fault can still be sent. */
async function readXml(req: IncomingMessage, state: _MtomServiceState): Promise<string> {
  const idleMs = state.bodyIdleTimeoutMs;
  try {
    const body = await _readRequestBody(req, {
      maxBytes: MAX_XML_BYTES,
      idleMs,
      totalMs: _totalBoundMs(MAX_XML_BYTES, state.minBytesPerSecond, idleMs),
      drainBytes: DRAIN_BYTES,
    });
    return decodeXml(body);
  } catch (error) {
    if (isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TOO_LARGE'))
      throw new PasserelleError('ERR_MTOM_LIMIT', 'The SOAP request is too large', { cause: error });
    throw error;
  }
}

/** The request body, failing when the client stalls or is slower than the total bound allows. */
function guarded(req: IncomingMessage, state: _MtomServiceState) {
  const idleMs = state.bodyIdleTimeoutMs;
  const size = _declaredLength(req) ?? state.maxPackageBytes;
  return _guardRequestBody(req, { idleMs, totalMs: _totalBoundMs(size, state.minBytesPerSecond, idleMs) });
}

/**
 * One request to the MTOM test service: an MTOM package (or a plain text/xml envelope), whose
 * signature is verified against the development CA before any attachment is read, then
 * dispatched on the Body's element. Every failure is answered by a generic SOA fault; the
 * precise reason goes to the sandbox log.
 */
export async function _handleMtomRequest(
  state: _MtomServiceState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'POST' || path !== MTOM_TEST.path) {
    res.writeHead(404, { 'content-type': 'text/plain', connection: 'close' }).end('Not found');
    return;
  }
  let reader: MtomReader | undefined;
  let replyCut: PasserelleError | undefined;
  try {
    // A package declared over the limit is refused before reading; the rest is drained (bounded)
    // so that the client reads the 413 fault.
    const idleMs = state.bodyIdleTimeoutMs;
    const refused = _refuseDeclared(req, {
      maxBytes: state.maxPackageBytes,
      idleMs,
      totalMs: _totalBoundMs(DRAIN_BYTES, state.minBytesPerSecond, idleMs),
      drainBytes: DRAIN_BYTES,
    });
    if (refused) throw refused;
    const contentType = String(req.headers['content-type'] ?? '');
    const type = _parseMediaType(contentType || 'application/octet-stream').type;
    let xml: string;
    if (type === 'multipart/related') {
      reader = await readMtom(guarded(req, state), contentType, {
        limits: { maxTotalBytes: state.maxPackageBytes },
      });
      xml = reader.root.xml;
    } else if (type === 'text/xml') {
      xml = await readXml(req, state);
    } else {
      throw new PasserelleError('ERR_SOAP_NOT_SOAP', 'The request is neither MTOM nor text/xml');
    }
    const report = state.journal === undefined ? undefined : new VerificationReport();
    if (report !== undefined) state.journal?.note(req, { verification: report });
    const v = verifyMtomEnvelope(xml, {
      trust: state.trust,
      clock: state.signer.clock,
      replayCache: state.replayCache,
      ...(report === undefined ? {} : { report }),
    });
    const [payload, ...more] = childElements(v.envelope.body);
    if (!payload || more.length > 0 || payload.namespaceURI !== MTOM_TEST.ns)
      throw new PasserelleError('ERR_SOAP_MALFORMED', 'Unknown operation');
    state.journal?.note(req, { operation: payload.localName });
    if (payload.localName === MTOM_TEST.uploadRequest) {
      const parts = await _receiveUpload(reader, v);
      state.counters.uploads += 1;
      state.counters.bytesIn += parts.reduce((n, p) => n + p.size, 0);
      state.log.info(
        { documents: parts.length, bytes: parts.reduce((n, p) => n + p.size, 0) },
        'mtom upload verified',
      );
      await _sendSigned(res, state.signer, MTOM_TEST.uploadResponse, (doc, el) => {
        for (const p of parts) {
          const d = doc.createElementNS(MTOM_TEST.ns, 'm:Document');
          d.setAttribute('contentId', p.contentId);
          d.setAttribute('size', String(p.size));
          d.setAttribute('sha256', p.sha256);
          el.appendChild(d);
        }
      });
      return;
    }
    if (payload.localName === MTOM_TEST.downloadRequest) {
      if (v.includes.length > 0)
        throw new PasserelleError('ERR_SOAP_MALFORMED', 'A download request takes no attachment');
      await reader?.done();
      v.complete();
      const { size, seed } = _downloadRequest(payload);
      const reply = _downloadReply(size, seed);
      state.counters.downloads += 1;
      state.log.info({ bytes: size }, 'mtom download');
      _guardReply(res, state.bodyIdleTimeoutMs, (reason) => {
        replyCut = reason;
      });
      await _sendSigned(res, state.signer, MTOM_TEST.downloadResponse, reply.fill, reply.attachments);
      state.counters.bytesOut += size;
      return;
    }
    throw new PasserelleError('ERR_SOAP_MALFORMED', 'Unknown operation');
  } catch (thrown) {
    const error = replyCut ?? thrown;
    state.counters.rejected += 1;
    const reason = isPasserelleError(error)
      ? `${error.code}: ${error.message}`
      : String((error as Error)?.message ?? error);
    state.log.warn({ reason }, 'mtom request refused');
    await reader?.close().catch(() => {});
    const tooLarge = (e: unknown) => isPasserelleError(e, 'ERR_SANDBOX_REQUEST_TOO_LARGE');
    const status = isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TIMEOUT')
      ? 408
      : tooLarge(error) || (isPasserelleError(error, 'ERR_MTOM_LIMIT') && tooLarge(error.cause))
        ? 413
        : 500;
    state.journal?.note(req, {
      fault: _soaCodeFor(error),
      reason: isPasserelleError(error) ? error.code : 'internal',
    });
    _sendFault(res, _soaCodeFor(error), status, _drainOf(req));
    req.resume();
  }
}
