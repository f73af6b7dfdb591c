import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPasserelleError } from '../../errors.ts';
import { decodeUtf8 } from '../../utf8.ts';
import { _sendJson } from '../_json.ts';
import { _readRequestBody } from '../_request-body.ts';
import type { SandboxModuleContext } from '../module.ts';
import type { _EboxCrash } from './_crash.ts';
import { type _EboxFaults, _mergeFaultSettings, type EboxFaultSettings } from './_faults.ts';

/** The path of the fault control on the `control` listener of the ebox module. */
export const EBOX_FAULTS_PATH = '/_control/faults';

function _problem(res: ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * `/_control/faults` (mutual TLS, a client certificate from the sandbox CA): GET answers the
 * settings `{ transientRate, resetRate, lostReplyRate, slowRate, slowMs, crash }`; POST a JSON
 * object with some of them changes them at once (rates from 0 to 1, transient + reset +
 * lostReply ≤ 1, slowMs 0..600000, crash `off` | `refuse` | `reset`) and answers the new
 * settings once the crash switch took effect. Errors: 400 (what is wrong), 404, 405, 408, 413,
 * as problem+json.
 */
export async function _handleFaultControl(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { ctx: SandboxModuleContext; faults: _EboxFaults; crash: _EboxCrash },
): Promise<void> {
  const path = new URL(req.url ?? '/', 'https://sandbox.invalid').pathname;
  if (path !== EBOX_FAULTS_PATH) return _problem(res, 404, 'Not Found', `The control is ${EBOX_FAULTS_PATH}`);
  if (req.method === 'GET') return _sendJson(res, 200, deps.faults.settings);
  if (req.method !== 'POST') {
    res.setHeader('allow', 'GET, POST');
    return _problem(res, 405, 'Method Not Allowed', 'GET the settings or POST changes');
  }
  let body: unknown;
  try {
    body = JSON.parse(
      decodeUtf8(
        await _readRequestBody(req, { maxBytes: 4096, idleMs: 5000, totalMs: 10_000, drainBytes: 65_536 }),
      ),
    );
  } catch (error) {
    if (isPasserelleError(error, 'ERR_SANDBOX_REQUEST_ABORTED')) return;
    if (
      isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TOO_LARGE') ||
      isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TIMEOUT')
    ) {
      res.setHeader('connection', 'close');
      const tooLarge = error.code === 'ERR_SANDBOX_REQUEST_TOO_LARGE';
      return _problem(
        res,
        tooLarge ? 413 : 408,
        tooLarge ? 'Content Too Large' : 'Request Timeout',
        error.message,
      );
    }
    return _problem(res, 400, 'Bad Request', 'Send a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return _problem(res, 400, 'Bad Request', 'Send a JSON object');
  const next = _mergeFaultSettings(deps.faults.settings, body as Record<string, unknown>);
  if (typeof next === 'string') return _problem(res, 400, 'Bad Request', next);
  deps.faults.settings = next;
  await deps.crash.set(next.crash);
  deps.ctx.log.info({ ...next }, 'ebox fault settings changed');
  deps.ctx.journal?.note(req, { operation: 'faults', reason: `crash:${next.crash}` });
  _sendJson(res, 200, next satisfies EboxFaultSettings);
}
