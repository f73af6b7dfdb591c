import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPasserelleError } from '../../errors.ts';
import { subjectDn } from '../../pki/dn.ts';
import { buildEnvelope } from '../../soap/build-envelope.ts';
import { parseEnvelope } from '../../soap/parse-envelope.ts';
import { decodeXml } from '../../utf8.ts';
import type { ReplayCache } from '../../wss/replay-cache.ts';
import { VerificationReport } from '../../wss/report.ts';
import { signEnvelope } from '../../wss/sign.ts';
import { verifyEnvelope } from '../../wss/verify.ts';
import { childElements } from '../../xml/dom.ts';
import type { Element } from '../../xml/node.ts';
import { _drainOf, _readRequestBody, _refuseDeclared, _totalBoundMs } from '../_request-body.ts';
import { _sendXml } from '../_xml-reply.ts';
import { type _BodyLimits, _drainRest, _mediaType, _multipartOf, _readPart } from './_body.ts';
import { _EboxFault } from './_fault.ts';
import { _EboxDropped } from './_faults.ts';
import type { _Multipart } from './_multipart.ts';
import { _eboxFaultXml } from './_soap-fault.ts';
import { _SOAP_OPERATIONS, type _SoapServices } from './_soap-operations.ts';

/** The service path of EBoxMessage v1 (PROTOCOLS.md §1). */
export const EBOX_SOAP_PATH = '/EBoxMessage/v1';

export interface _SoapDeps extends _SoapServices {
  readonly replayCache: ReplayCache;
  readonly limits: _BodyLimits;
}

/** What a failure other than an _EboxFault is answered. */
function _faultOf(error: unknown): _EboxFault {
  if (error instanceof _EboxFault) return error;
  if (!isPasserelleError(error)) return _EboxFault.system('SOA-00001', 'internal', 500, String(error));
  const why = (error.details['reason'] as string | undefined) ?? error.code;
  switch (error.code) {
    case 'ERR_SANDBOX_REQUEST_TOO_LARGE':
      return _EboxFault.system('SOA-03001', 'too-large', 413, error.message);
    case 'ERR_SANDBOX_REQUEST_TIMEOUT':
      return _EboxFault.system(
        'SOA-03001',
        `timeout-${String(error.details['timeout'])}`,
        408,
        error.message,
      );
    case 'ERR_SANDBOX_REQUEST_ABORTED':
      return _EboxFault.system('SOA-03001', 'aborted', 400, error.message);
    case 'ERR_EBOX_INVALID_INPUT':
      return _EboxFault.system('SOA-03001', why, why === 'multipart-too-large' ? 413 : 500, error.message);
    case 'ERR_SOAP_NOT_SOAP':
      return _EboxFault.system('SOA-03002', error.code, 500, error.message);
    case 'ERR_SOAP_NO_BODY':
      return _EboxFault.system('SOA-03003', error.code, 500, error.message);
    default:
      return _EboxFault.system('SOA-03001', error.code, 500, error.message);
  }
}

/** The envelope: a plain text/xml body, or the root part of a SOAP-with-Attachments package. */
async function _envelope(
  req: IncomingMessage,
  limits: _BodyLimits,
): Promise<{ raw: Buffer; parts?: _Multipart }> {
  const type = _mediaType(req.headers['content-type']);
  const bounds = {
    idleMs: limits.idleMs,
    drainBytes: limits.drainBytes,
    totalMs: _totalBoundMs(limits.maxRootBytes, limits.minBytesPerSecond, limits.idleMs),
  };
  if (type?.type === 'text/xml')
    return { raw: await _readRequestBody(req, { ...bounds, maxBytes: limits.maxRootBytes }) };
  if (type?.type !== 'multipart/related' || type.params.get('type')?.toLowerCase() !== 'text/xml')
    throw _EboxFault.system('SOA-03002', 'content-type', 500, (type?.type ?? '(none)').slice(0, 80));
  const refused = _refuseDeclared(req, { ...bounds, maxBytes: limits.maxTotalBytes });
  if (refused) throw refused;
  const boundary = type.params.get('boundary');
  if (boundary === undefined) throw _EboxFault.system('SOA-03001', 'multipart-boundary');
  const parts = _multipartOf(req, boundary, limits);
  try {
    const head = await parts.nextPart();
    if (head === undefined) throw _EboxFault.system('SOA-03001', 'multipart-empty');
    const start = type.params.get('start')?.trim();
    if (start !== undefined && head.get('content-id') !== start && head.get('content-id') !== `<${start}>`)
      throw _EboxFault.system('SOA-03001', 'multipart-start');
    if (_mediaType(head.get('content-type') ?? 'text/plain')?.type !== 'text/xml')
      throw _EboxFault.system('SOA-03002', 'root-content-type');
    const raw = await _readPart(parts, limits.maxRootBytes);
    if (raw === undefined) throw _EboxFault.system('SOA-03001', 'root-too-large', 413);
    return { raw, parts };
  } catch (error) {
    await parts.cancel().catch(() => {});
    throw error;
  }
}

function _single(body: Element): Element | undefined {
  const children = childElements(body);
  return children.length === 1 ? children[0] : undefined;
}

async function _serve(
  req: IncomingMessage,
  res: ServerResponse,
  deps: _SoapDeps,
  held: { parts?: _Multipart },
) {
  const { ctx } = deps;
  const path = new URL(req.url ?? '/', 'https://sandbox.invalid').pathname;
  if (path !== EBOX_SOAP_PATH)
    throw _EboxFault.system('SOA-02001', 'unknown-service', 404, path.slice(0, 200));
  const { raw, parts } = await _envelope(req, deps.limits);
  if (parts !== undefined) held.parts = parts;
  const text = decodeXml(raw);
  const parsed = parseEnvelope(text);
  const payload = _single(parsed.body);
  const op = _SOAP_OPERATIONS.find((o) => payload?.namespaceURI === o.ns && payload.localName === o.element);
  if (op === undefined) throw _EboxFault.system('SOA-03005', 'unknown-operation');
  ctx.journal?.note(req, { operation: op.name });
  const action = String(req.headers['soapaction'] ?? '').replace(/^"|"$/g, '');
  if (action !== '' && action !== op.action)
    throw _EboxFault.system('SOA-03005', 'soap-action', 500, action.slice(0, 200));
  const report = ctx.journal === undefined ? undefined : new VerificationReport();
  if (report !== undefined) ctx.journal?.note(req, { verification: report });
  let signer: X509Certificate;
  let body: Element;
  try {
    const verified = verifyEnvelope(text, {
      trust: [ctx.pki.ca.certificate],
      clock: ctx.clock,
      require: ['body', 'timestamp', 'bst'],
      replayCache: deps.replayCache,
      ...(report === undefined ? {} : { report }),
    });
    signer = verified.signer;
    body = verified.body;
  } catch (error) {
    if (!isPasserelleError(error)) throw error;
    throw _EboxFault.system('SOA-01001', error.code, 500, error.message);
  }
  const verifiedPayload = _single(body);
  if (verifiedPayload === undefined) throw _EboxFault.system('SOA-03005', 'unknown-operation');
  const build = await op.run(deps, { payload: verifiedPayload, signer, parts, req });
  if (parts !== undefined && !parts.finished) {
    while ((await parts.nextPart()) !== undefined);
    if (!parts.finished) throw _EboxFault.system('SOA-03001', 'multipart-truncated');
  }
  await deps.faults.beforeReply(req);
  const xml = buildEnvelope({ header: () => [], body: build });
  _sendXml(res, 200, signEnvelope(xml, { credential: ctx.pki.platformSigning, clock: ctx.clock }));
  deps.stats.bump(`calls.${op.name}`);
  ctx.log.info({ operation: op.name, consumer: subjectDn(signer) }, 'ebox call served');
}

/**
 * One request to EBoxMessage v1: path, content type (text/xml, or multipart/related with a
 * text/xml root: SOAP with Attachments), bounded envelope, operation by the Body's element and
 * SOAPAction, strict WS-Security verification (X.509 token profile, trust = the dev CA, Body,
 * Timestamp and BST signed, replay cache), then the operation's checks; the reply is signed with
 * the platform signing key. Every refusal is an eBox fault (_eboxFaultXml); the precise reason
 * goes to the log and the journal, with the fault Id.
 */
export async function _handleEboxSoap(
  req: IncomingMessage,
  res: ServerResponse,
  deps: _SoapDeps,
): Promise<void> {
  const { ctx } = deps;
  if (req.method !== 'POST') {
    deps.stats.bump('rejected.method');
    res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'POST' });
    res.end('POST a SOAP 1.1 envelope (text/xml) or a SOAP with Attachments package.\n');
    return;
  }
  const held: { parts?: _Multipart } = {};
  try {
    await _serve(req, res, deps, held);
  } catch (error) {
    if (error instanceof _EboxDropped) {
      // Injected: the connection is gone, nothing to answer.
      await held.parts?.cancel().catch(() => {});
      return;
    }
    const fault = _faultOf(error);
    await held.parts?.cancel().catch(() => {});
    const { id, xml } = _eboxFaultXml(fault);
    _sendXml(res, fault.status, xml, {
      endAfter: _drainOf(req) ?? (req.complete ? undefined : _drainRest(req, deps.limits)),
    });
    deps.stats.bump(`faults.${fault.code}`);
    deps.stats.bump(`rejected.${fault.reason.split(':')[0]}`);
    ctx.journal?.note(req, { fault: fault.code, reason: fault.reason });
    ctx.log[fault.reason === 'internal' ? 'error' : 'warn'](
      {
        path: req.url?.slice(0, 200),
        code: fault.code,
        reason: fault.reason,
        detail: fault.detail ?? fault.message,
        faultId: id,
      },
      `ebox call refused with ${fault.code}`,
    );
  }
}
