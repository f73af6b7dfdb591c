import type { Clock } from '../clock.ts';

/** Who a traced request says signed it: read from its own bytes, not verified. */
export interface TraceSigner {
  /** The certificate subject, most significant RDN last (`CN=..., O=..., C=BE`). */
  readonly subject: string;
  /**
   * `BinarySecurityToken`: the X.509 token of the WS-Security header (X.509 token profile);
   * `holder-of-key`: the certificate of the SAML assertion's holder-of-key SubjectConfirmation.
   */
  readonly source: 'BinarySecurityToken' | 'holder-of-key';
}

/** Secrets replaced by `[REDACTED:<kind>]` in one file of an exchange. */
export interface TraceRedaction {
  readonly in: 'request.http' | 'request.body' | 'response.http' | 'response.body';
  /** `bearer`, `basic`, `dpop`, `cookie`, `client_assertion`, `access_token`, `private-key`, ... */
  readonly kind: string;
  readonly count: number;
}

/** One finished HTTP exchange, as summarised in its `exchange.json`. */
export interface TraceExchange {
  /** Sequence number in the trace directory (1, 2, ...). */
  readonly seq: number;
  /** The exchange's folder, e.g. `/tmp/t/0001-POST-SOA-TestConnectionService-v1`. */
  readonly folder: string;
  readonly method: string;
  /** The URL, credential query parameters redacted. */
  readonly url: string;
  readonly host: string;
  /** The path, without the query. */
  readonly path: string;
  /** The response status; null when no response came. */
  readonly status: number | null;
  /** Body bytes sent (as written to the connection, before chunked framing). */
  readonly bytesOut: number;
  /** Body bytes received. */
  readonly bytesIn: number;
  /** From the start of the request to the end of the response (or the failure), milliseconds. */
  readonly ms: number;
  readonly signer: TraceSigner | null;
  /** Why the exchange failed (the transport's error code), or null. */
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Both bodies are byte-exact (nothing was redacted in them). */
  readonly exact: boolean;
  readonly redactions: readonly TraceRedaction[];
  /** Set when a trace file could not be written (the exchange itself went on). */
  readonly traceError: string | null;
}

export interface CreateTraceRecorderOptions {
  /** The trace directory; created (mode 0700) if missing. Exchanges go in numbered folders. */
  readonly dir: string;
  /** Called once per finished exchange (successful or not). Exceptions are ignored. */
  readonly onExchange?: (exchange: TraceExchange) => void;
  /** The time written as `startedAt`; default the system clock. Durations use a monotonic timer. */
  readonly clock?: Clock;
}

/**
 * Records HTTP exchanges to a directory. Give it to `createTransport({ trace })` (or to
 * `createServiceContext`, `createStsSession`, `createHttpClient`, `createRestService`, which
 * pass it on); one recorder may serve several transports, its numbering is shared.
 */
export interface TraceRecorder {
  /** The trace directory (absolute). */
  readonly dir: string;
  /** The exchanges finished so far, in the order they finished. */
  exchanges(): readonly TraceExchange[];
}
