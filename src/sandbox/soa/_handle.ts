import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TLSSocket } from 'node:tls';
import { isoNow } from '../../clock.ts';
import { isPasserelleError, PasserelleError } from '../../errors.ts';
import { subjectDn } from '../../pki/dn.ts';
import { buildEnvelope } from '../../soap/build-envelope.ts';
import { parseEnvelope } from '../../soap/parse-envelope.ts';
import type { SoaCode } from '../../soap/soa-codes.ts';
import type { ParsedEnvelope } from '../../soap/types.ts';
import { decodeXml } from '../../utf8.ts';
import type { ReplayCache } from '../../wss/replay-cache.ts';
import { VerificationReport } from '../../wss/report.ts';
import { signEnvelope } from '../../wss/sign.ts';
import { verifyEnvelope } from '../../wss/verify.ts';
import { childElements } from '../../xml/dom.ts';
import type { Element } from '../../xml/node.ts';
import { _drainOf, _readRequestBody, type RequestBodyLimits } from '../_request-body.ts';
import { _sendXml } from '../_xml-reply.ts';
import type { SandboxModuleContext } from '../module.ts';
import type { BrokeredVerifier } from './_brokered.ts';
import { _businessFaultXml } from './_business-fault.ts';
import { _sendFault } from './_fault.ts';
import type { _Operation, _Reply } from './_operations.ts';
import type { _SoaStats } from './_stats.ts';

export interface _HandlerDeps {
  readonly ctx: SandboxModuleContext;
  readonly operations: readonly _Operation[];
  readonly stats: _SoaStats;
  readonly replayCache: ReplayCache;
  readonly brokered: BrokeredVerifier | undefined;
  readonly body: RequestBodyLimits;
  /** Aborted when the module closes: pending reply delays end. */
  readonly signal?: AbortSignal;
}

/** A refused call: the caller gets `code`; the log and the stats get the precise `reason`. */
class _Reject extends Error {
  constructor(
    readonly soaCode: SoaCode,
    readonly status: number,
    readonly reason: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const PARSE_CODES: Readonly<Record<string, SoaCode>> = {
  ERR_SOAP_NOT_SOAP: 'SOA-03002',
  ERR_SOAP_NO_BODY: 'SOA-03003',
};

function _parse(raw: Buffer): { text: string; parsed: ParsedEnvelope } {
  try {
    const text = decodeXml(raw);
    return { text, parsed: parseEnvelope(text) };
  } catch (error) {
    if (!isPasserelleError(error)) throw error;
    throw new _Reject(PARSE_CODES[error.code] ?? 'SOA-03001', 500, error.code, error.message);
  }
}

/**
 * The bounded body, or the refusal: too large → HTTP 413 SOA-03001, the rest drained (bounded)
 * so the client reads the fault; stalled (body idle or total bound) → HTTP 408 SOA-03001 and the
 * connection closes; the client gone → nothing to answer, logged.
 */
async function _readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: RequestBodyLimits,
): Promise<Buffer> {
  try {
    return await _readRequestBody(req, limits);
  } catch (error) {
    if (!isPasserelleError(error)) throw error;
    if (error.code === 'ERR_SANDBOX_REQUEST_TOO_LARGE')
      throw new _Reject('SOA-03001', 413, 'too-large', error.message);
    res.setHeader('connection', 'close');
    if (error.code === 'ERR_SANDBOX_REQUEST_TIMEOUT')
      throw new _Reject('SOA-03001', 408, `timeout-${String(error.details['timeout'])}`, error.message);
    throw new _Reject('SOA-03001', 400, 'aborted', error.message);
  }
}

function _single(body: Element): Element | undefined {
  const children = childElements(body);
  return children.length === 1 ? children[0] : undefined;
}

async function _authenticate(
  deps: _HandlerDeps,
  req: IncomingMessage,
  op: _Operation,
  text: string,
  parsed: ParsedEnvelope,
): Promise<{ body: Element; consumer: string | undefined; signed: boolean }> {
  const { ctx } = deps;
  if (op.security === 'none') return { body: parsed.body, consumer: undefined, signed: false };
  // Per-reference verdicts for the exchange journal, when the sandbox keeps one.
  const report = ctx.journal === undefined ? undefined : new VerificationReport();
  if (report !== undefined) ctx.journal?.note(req, { verification: report });
  try {
    if (op.security === 'x509') {
      const verified = verifyEnvelope(text, {
        trust: [ctx.pki.ca.certificate],
        clock: ctx.clock,
        require: ['body', 'timestamp', 'bst'],
        replayCache: deps.replayCache,
        ...(report === undefined ? {} : { report }),
      });
      return { body: verified.body, consumer: subjectDn(verified.signer), signed: true };
    }
    if (deps.brokered === undefined) {
      throw new PasserelleError('ERR_SAML_INVALID', 'No holder-of-key verifier is installed in this sandbox');
    }
    const accepted = await deps.brokered(text, {
      pki: ctx.pki,
      clock: ctx.clock,
      ...(report === undefined ? {} : { report }),
    });
    return { body: accepted.body, consumer: accepted.consumer, signed: true };
  } catch (error) {
    if (!isPasserelleError(error)) throw error;
    throw new _Reject('SOA-01001', 500, error.code, error.message);
  }
}

function _tlsSubject(req: IncomingMessage): string {
  const peer: X509Certificate | undefined = (req.socket as TLSSocket).getPeerX509Certificate?.();
  return peer === undefined ? '' : subjectDn(peer);
}

async function _serve(req: IncomingMessage, res: ServerResponse, deps: _HandlerDeps): Promise<string> {
  const { ctx } = deps;
  const receivedAt = isoNow(ctx.clock);
  const path = new URL(req.url ?? '/', 'https://sandbox.invalid').pathname;
  const candidates = deps.operations.filter((o) => o.path === path);
  if (candidates.length === 0)
    throw new _Reject('SOA-02001', 404, 'unknown-service', `no service at ${path}`);
  const type = String(req.headers['content-type'] ?? '');
  if (!/^\s*text\/xml\s*(;|$)/i.test(type)) {
    throw new _Reject(
      'SOA-03002',
      500,
      'content-type',
      `content type ${type.slice(0, 80) || '(none)'} is not SOAP 1.1`,
    );
  }
  const { text, parsed } = _parse(await _readBody(req, res, deps.body));
  const payload = _single(parsed.body);
  const op = candidates.find(
    (o) => payload !== undefined && (payload.namespaceURI ?? '') === o.ns && payload.localName === o.request,
  );
  if (op === undefined || payload === undefined) {
    const found =
      payload === undefined ? '(not one element)' : `{${payload.namespaceURI ?? ''}}${payload.localName}`;
    throw new _Reject('SOA-03005', 500, 'unknown-operation', `no operation for Body ${found.slice(0, 200)}`);
  }
  ctx.journal?.note(req, { operation: op.name });
  const auth = await _authenticate(deps, req, op, text, parsed);
  const verifiedPayload = _single(auth.body);
  if (verifiedPayload === undefined) throw new _Reject('SOA-03005', 500, 'unknown-operation', 'Body changed');
  const planned = await op.reply(
    { payload: verifiedPayload, tlsSubject: _tlsSubject(req), consumer: auth.consumer, receivedAt },
    ctx,
  );
  if (planned === undefined)
    throw new _Reject('SOA-03006', 500, 'schema', `${op.name}: the request does not match the schema`);
  const {
    outcome,
    delayMs = 0,
    scenario,
  }: _Reply = typeof planned === 'function' ? { outcome: { kind: 'payload', build: planned } } : planned;
  if (outcome.kind === 'invalid')
    throw new _Reject('SOA-03006', 500, 'schema', `${op.name}: ${outcome.detail}`);
  if (delayMs > 0) await sleep(delayMs, undefined, deps.signal === undefined ? {} : { signal: deps.signal });
  if (outcome.kind === 'fault')
    throw new _Reject(outcome.code, 500, outcome.reason, `${op.name}: scenario ${scenario ?? '(none)'}`);
  const xml =
    outcome.kind === 'payload'
      ? buildEnvelope({ header: () => [], body: outcome.build })
      : _businessFaultXml(outcome);
  _sendXml(
    res,
    outcome.kind === 'payload' ? 200 : 500,
    auth.signed ? signEnvelope(xml, { credential: ctx.pki.platformSigning, clock: ctx.clock }) : xml,
  );
  if (outcome.kind === 'business-fault')
    ctx.journal?.note(req, { fault: `business fault ${outcome.faultcode}`, reason: `scenario ${scenario}` });
  else if (scenario !== undefined) ctx.journal?.note(req, { reason: `scenario ${scenario}` });
  deps.stats.call(op.name);
  ctx.log.info(
    { operation: op.name, consumer: auth.consumer ?? null, ...(scenario === undefined ? {} : { scenario }) },
    'call served',
  );
  return op.name;
}

/**
 * The SOA gateway pipeline of one request: method, service path, content type, bounded body,
 * hardened SOAP parsing, operation by Body element, message-level authentication (strict
 * WS-Security verification against the dev CA with a replay cache), schema check, reply
 * (signed with the platform signing key when the request was signed). Every refusal is the
 * platform's generic fault; the precise reason goes to the sandbox log only.
 */
export async function _handleSoap(
  req: IncomingMessage,
  res: ServerResponse,
  deps: _HandlerDeps,
): Promise<void> {
  const { ctx } = deps;
  if (req.method !== 'POST') {
    deps.stats.rejected('method');
    const wsdl = req.method === 'GET' && (req.url ?? '').toLowerCase().endsWith('?wsdl');
    res.writeHead(wsdl ? 404 : 405, {
      'content-type': 'text/plain; charset=utf-8',
      ...(wsdl ? {} : { allow: 'POST' }),
    });
    res.end(
      wsdl
        ? 'The sandbox serves no WSDL: use the published WSDLs of the platform.\n'
        : 'POST a SOAP 1.1 envelope.\n',
    );
    return;
  }
  try {
    await _serve(req, res, deps);
  } catch (error) {
    const reject =
      error instanceof _Reject
        ? error
        : new _Reject('SOA-00001', 500, 'internal', error instanceof Error ? error.message : String(error));
    const faultId = _sendFault(res, reject.soaCode, reject.status, _drainOf(req));
    deps.stats.fault(reject.soaCode);
    deps.stats.rejected(reject.reason);
    ctx.journal?.note(req, { fault: reject.soaCode, reason: reject.reason });
    const level = reject.reason === 'internal' ? 'error' : 'warn';
    ctx.log[level](
      {
        path: req.url?.slice(0, 200),
        soaCode: reject.soaCode,
        reason: reject.reason,
        detail: reject.detail,
        faultId,
      },
      `call rejected with ${reject.soaCode}`,
    );
  }
}
