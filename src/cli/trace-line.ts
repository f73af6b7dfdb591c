import type { TraceExchange } from '../transport/trace-types.ts';

/**
 * The console line of one traced exchange:
 * `trace 0001 POST host:port/path → 200  out 1234 B  in 567 B  42 ms  signer CN=... (BinarySecurityToken)`.
 * The outcome is the status, the error code, or both (a status then a failure reading the body).
 * The signer is the one the request names in its WS-Security header (read, not verified).
 */
export function formatTraceLine(exchange: TraceExchange): string {
  const outcome = [
    ...(exchange.status === null ? [] : [String(exchange.status)]),
    ...(exchange.error === null ? [] : [exchange.error.code]),
  ].join(' ');
  const signer =
    exchange.signer === null ? '' : `  signer ${exchange.signer.subject} (${exchange.signer.source})`;
  const incomplete = exchange.traceError === null ? '' : `  [${exchange.traceError}]`;
  return (
    `trace ${String(exchange.seq).padStart(4, '0')} ${exchange.method} ${exchange.host}${exchange.path}` +
    ` → ${outcome === '' ? 'no response' : outcome}  out ${exchange.bytesOut} B  in ${exchange.bytesIn} B` +
    `  ${exchange.ms} ms${signer}${incomplete}`
  );
}
