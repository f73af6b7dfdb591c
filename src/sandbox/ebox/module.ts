import { join } from 'node:path';
import { MemoryReplayCache } from '../../wss/replay-cache.ts';
import { _authorizer } from '../_bearer-auth.ts';
import { _checkTimeouts } from '../_client-error.ts';
import { closeServer } from '../_listen.ts';
import { listenerUrl } from '../_url.ts';
import type { SandboxModule, StartedSandboxModule } from '../module.ts';
import { EBOX_PUBLICATION_SCOPE, SANDBOX_OAUTH_CLIENT_ID } from '../oauth/constants.ts';
import type { _BodyLimits } from './_body.ts';
import { _checkRegistries } from './_check-registries.ts';
import { _EboxCrash } from './_crash.ts';
import { _EboxFault } from './_fault.ts';
import { _EboxFaults, _mergeFaultSettings, EBOX_NO_FAULTS, type EboxFaultSettings } from './_faults.ts';
import { _handleFaultControl, EBOX_FAULTS_PATH } from './_faults-control.ts';
import { _inboxApi } from './_inbox-api.ts';
import { _listenEbox } from './_listen.ts';
import { defaultEboxRegistries, EBOX_UNAUTHORIZED_TYPE, type EboxRegistries } from './_registry.ts';
import { _handleEboxRest, EBOX_REST_BASE } from './_rest-handle.ts';
import { _EboxRules, type _Sender } from './_service.ts';
import { _eboxFaultXml } from './_soap-fault.ts';
import { _handleEboxSoap, EBOX_SOAP_PATH } from './_soap-handle.ts';
import { _SOAP_OPERATIONS } from './_soap-operations.ts';
import { _EboxStats } from './_stats.ts';
import { _EboxStore } from './_store.ts';

export type { EboxCrashMode, EboxFaultSettings } from './_faults.ts';
export { EBOX_CRASH_MODES } from './_faults.ts';
export type { EboxCitizen, EboxRegistries, EboxSender } from './_registry.ts';

/** Seeded fault injection (see eboxModule); every rate defaults to 0: no faults. */
export interface EboxFaultOptions extends Partial<EboxFaultSettings> {
  /** How a slow reply waits `ms` (tests inject their own); default a timer, cancelled at close. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface EboxModuleOptions {
  /** Registries replacing the demo ones (each list given replaces its default; see defaultEboxRegistries). */
  readonly registries?: Partial<EboxRegistries>;
  /** OAuth client id → the sender it publishes as over REST; default: the partner's clients → the partner. */
  readonly restClients?: Readonly<Record<string, _Sender>>;
  /** Days a message stays in the eBox when the sender gives no expiration; default 365 [inferred]. */
  readonly retentionDays?: number;
  /** Largest request body (envelope or JSON plus documents), bytes; default 1 GiB (larger: 413). */
  readonly maxRequestBytes?: number;
  /** Largest SOAP envelope or messageToPublish JSON, bytes; default 1 MiB. */
  readonly maxRootBytes?: number;
  /** Most MIME parts in one request; default 16. */
  readonly maxParts?: number;
  /** Largest request line and headers, and largest part header block, bytes; default 16 KiB. */
  readonly maxHeaderBytes?: number;
  /** Longest pause between two body chunks, ms; default 10000 (then 408). */
  readonly bodyIdleTimeoutMs?: number;
  /** The slowest upload the total bound allows, bytes per second; default 1 MiB/s. */
  readonly minBytesPerSecond?: number;
  /** Longest time for the TLS handshake and the request headers, ms; default 10000. */
  readonly headersTimeoutMs?: number;
  /** Bytes of a refused body still read so the client gets the answer; default 16 MiB. */
  readonly drainBytes?: number;
  /** Require a client certificate on the REST listener, as the extranet does; default true. */
  readonly restMutualTls?: boolean;
  /** Where the token issuer's metadata is; default: the `oauth` module of the same sandbox. */
  readonly metadataUrl?: string;
  /** Fault injection (transient faults, resets, lost replies, slow replies, crash); default none. */
  readonly faults?: EboxFaultOptions;
}

/**
 * Sandbox module `ebox`: the citizen eBox publication side (PROTOCOLS.md §7), one store for two
 * front doors. Role `soap` (offset 45) serves EBoxMessage v1 at `ebox.soap` (mutual TLS, X.509
 * token profile, SOAP with Attachments; publishEboxMessage, hasAnEbox, getMessageStatus,
 * healthCheck); role `rest` (offset 47) serves `POST {ebox.rest}/publishMessage` (bearer token
 * with the publication scope, multipart/form-data, Idempotency-Key). Messages and documents live
 * in `<stateDir>/ebox/` (SQLite + files) and survive restarts; the console serves the citizen
 * inbox under `/api/v1/ebox/`. Registries (institutions, senders and their message types,
 * citizens) come from the options, with demo defaults published in `info`.
 *
 * Choices where the platform documents nothing [inferred; configurable or to be confirmed]:
 * every fault of the service is an `err:SystemError`/`err:BusinessError` of
 * socsec-errors-schema-v1.xsd (the WSDL's fault elements; SOA codes and texts as the gateway's);
 * a replacement (same sender, ticket and sequence) of a message a citizen already read is
 * business error 620; getMessageStatus answers an unknown message with the XSD's ErrorCase
 * NOT_FOUND (MULTIPLE_RESULTS_SPECIFY_SEQUENCE when a ticket without sequence matches several);
 * a citizen without an eBox is error 90 (REST: 400 INVALID_RECIPIENT); a swaRef naming no part is
 * SOA-03001; FreeInformation, Meta or Annex (not for citizens) are SOA-03007; REST answers 409
 * DUPLICATE_REQUEST, 413 PAYLOAD_TOO_LARGE, 404 NOT_FOUND; messages expire after 365 days.
 *
 * Fault injection (`faults`; none by default), seeded so runs repeat: each publication draws once,
 * once its sender and idempotency identity are known (SOAP sender+ticket+sequence, REST
 * sender+Idempotency-Key; the n-th attempt of an identity always draws the same, whatever the
 * order of concurrent requests; REST without Idempotency-Key draws from one sequential stream,
 * which concurrency can reorder). Before anything is stored: `transientRate` → SOA-02002
 * SystemError (HTTP 500, Retry true) / REST 503 SERVICE_UNAVAILABLE (Retry-After: 1);
 * `resetRate` → the connection is reset (TCP RST) mid-request. After the commit: `lostReplyRate`
 * → the connection is reset instead of the reply (a retry then replaces the SOAP message, same
 * id, versions + 1; over REST it is answered 409 DUPLICATE_REQUEST, which for a key the caller
 * derived for this one document means "already published"); `slowRate` → the reply is held
 * `slowMs`. Role `control` (offset 46, mutual TLS) serves `GET|POST /_control/faults` (endpoint
 * `ebox.control`) to change the rates and the crash switch at run time: `crash: "refuse"` drops
 * every connection and closes the SOAP and REST ports, `"reset"` drops and resets every
 * connection, `"off"` listens again. Counters `injected.<kind>` in stats; journal notes.
 */
export function eboxModule(options: EboxModuleOptions = {}): SandboxModule {
  const {
    retentionDays = 365,
    maxRequestBytes = 1024 * 1024 * 1024,
    maxRootBytes = 1024 * 1024,
    maxParts = 16,
    maxHeaderBytes = 16 * 1024,
    bodyIdleTimeoutMs = 10_000,
    minBytesPerSecond = 1024 * 1024,
    headersTimeoutMs = 10_000,
    drainBytes = 16 * 1024 * 1024,
    restMutualTls = true,
  } = options;
  _checkTimeouts('eboxModule', {
    retentionDays,
    maxRequestBytes,
    maxRootBytes,
    maxParts,
    maxHeaderBytes,
    bodyIdleTimeoutMs,
    minBytesPerSecond,
    headersTimeoutMs,
  });
  const limits: _BodyLimits = {
    maxTotalBytes: maxRequestBytes,
    maxRootBytes,
    maxParts,
    maxHeaderBytes,
    idleMs: bodyIdleTimeoutMs,
    minBytesPerSecond,
    drainBytes,
  };
  const timeouts = { headersTimeoutMs, bodyIdleTimeoutMs };
  const { sleep, ...faultUpdate } = options.faults ?? {};
  const faultSettings = _mergeFaultSettings(EBOX_NO_FAULTS, faultUpdate);
  if (typeof faultSettings === 'string') throw new TypeError(`eboxModule: faults: ${faultSettings}`);
  // Registries given are checked now (a bad CBE or INSS is the caller's TypeError, before any start).
  if (options.registries !== undefined)
    _checkRegistries({ institutions: [], senders: [], citizens: [], ...options.registries });
  return {
    name: 'ebox',
    ports: { soap: 45, control: 46, rest: 47 },
    async start(ctx): Promise<StartedSandboxModule> {
      const { partner } = ctx.pki;
      const defaults = defaultEboxRegistries(partner);
      const registries = _checkRegistries({ ...defaults, ...options.registries });
      const sender = { cbe: partner.cbe, application: partner.application };
      const restClients = options.restClients ?? {
        [SANDBOX_OAUTH_CLIENT_ID]: sender,
        [partner.oauthClientId]: sender,
      };
      const stats = new _EboxStats();
      const store = new _EboxStore(join(ctx.stateDir, 'ebox'));
      const rules = new _EboxRules(registries, store);
      const auth = _authorizer(ctx, options.metadataUrl, 5);
      const faults = new _EboxFaults(ctx, stats, faultSettings, sleep);
      const crash = new _EboxCrash(ctx, stats);
      faults.reset = (req) => crash.reset(req);
      let soapPort = 0;
      const services = { ctx, store, rules, stats, retentionDays, limits, faults, port: () => soapPort };
      const replayCache = new MemoryReplayCache({ maxEntries: 10_000 });
      const servers: Awaited<ReturnType<typeof _listenEbox>>[] = [];
      try {
        const soap = await _listenEbox(
          ctx,
          {
            role: 'soap',
            journalName: 'ebox-soap',
            mutualTls: true,
            maxHeaderBytes,
            timeouts,
            stats,
            crash,
            answer: (reason) => ({
              status: reason === 'headers-timeout' ? 408 : 400,
              statusText: reason === 'headers-timeout' ? 'Request Timeout' : 'Bad Request',
              contentType: 'text/xml; charset=utf-8',
              body: _eboxFaultXml(_EboxFault.system('SOA-03001', reason)).xml,
            }),
          },
          (req, res) => _handleEboxSoap(req, res, { ...services, replayCache }),
        );
        servers.push(soap);
        soapPort = soap.port;
        const rest = await _listenEbox(
          ctx,
          {
            role: 'rest',
            journalName: 'ebox-rest',
            mutualTls: restMutualTls,
            maxHeaderBytes,
            timeouts,
            stats,
            crash,
            answer: (reason) => ({
              status: reason === 'headers-timeout' ? 408 : reason === 'header-too-large' ? 431 : 400,
              statusText: reason === 'headers-timeout' ? 'Request Timeout' : 'Bad Request',
              contentType: 'application/json',
              body: JSON.stringify({
                id: '00000000-0000-4000-8000-000000000000',
                code: 'INVALID_INPUT',
                message: `Request refused (${reason})`,
                environment: 'simulation',
              }),
            }),
          },
          (req, res) =>
            _handleEboxRest(req, res, {
              ...services,
              authorize: auth.authorize,
              senderOf: (clientId) => restClients[clientId],
            }),
        );
        servers.push(rest);
        const control = await _listenEbox(
          ctx,
          {
            role: 'control',
            journalName: 'ebox-control',
            mutualTls: true,
            maxHeaderBytes,
            timeouts,
            stats,
            answer: (reason) => ({
              status: reason === 'headers-timeout' ? 408 : reason === 'header-too-large' ? 431 : 400,
              statusText: reason === 'headers-timeout' ? 'Request Timeout' : 'Bad Request',
              contentType: 'application/problem+json',
              body: JSON.stringify({
                type: 'about:blank',
                title: 'Bad Request',
                status: 400,
                detail: reason,
              }),
            }),
          },
          (req, res) => _handleFaultControl(req, res, { ctx, faults, crash }),
        );
        servers.push(control);
        await crash.set(faultSettings.crash);
      } catch (error) {
        await Promise.all(servers.map((s) => closeServer(s.server)));
        store.close();
        throw error;
      }
      const soapUrl = listenerUrl('https', ctx.host, servers[0]!.port, EBOX_SOAP_PATH);
      const restUrl = listenerUrl('https', ctx.host, servers[1]!.port, EBOX_REST_BASE);
      const controlUrl = listenerUrl('https', ctx.host, servers[2]!.port, EBOX_FAULTS_PATH);
      ctx.log.info({ soap: soapUrl, rest: restUrl }, 'ebox listening');
      return {
        endpoints: { 'ebox.soap': soapUrl, 'ebox.rest': restUrl, 'ebox.control': controlUrl },
        info: {
          soapOperations: _SOAP_OPERATIONS.map((o) => ({ name: o.name, soapAction: o.action })),
          restOperation: `POST ${EBOX_REST_BASE}/publishMessage`,
          restScope: EBOX_PUBLICATION_SCOPE,
          restClients,
          institutions: registries.institutions,
          senders: registries.senders,
          unauthorizedMessageType: EBOX_UNAUTHORIZED_TYPE,
          citizens: registries.citizens,
          inboxApi: '/api/v1/ebox/ (console)',
          store: join(ctx.stateDir, 'ebox', 'ebox.sqlite'),
          documents: store.documentsDir,
          retentionDays,
          maxRequestBytes,
          faults: { ...faultSettings, control: `GET|POST ${controlUrl} (mutual TLS)` },
        },
        stats: () => stats.snapshot(store.counts()),
        api: _inboxApi(ctx, registries, store, rules, stats),
        close: async () => {
          crash.close();
          faults.close();
          await Promise.all(servers.map((s) => closeServer(s.server)));
          await auth.close();
          store.close();
        },
      };
    },
  };
}
