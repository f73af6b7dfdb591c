import { type ConnectionOptions, checkServerIdentity } from 'node:tls';
import { PasserelleError } from '../errors.ts';
import { assertSecureEnvironment } from '../transport/secure-environment.ts';
import type { MssConnectionOptions } from './types.ts';

/** An MSSanté server endpoint parsed from its URL. */
export interface MssEndpoint {
  readonly host: string;
  readonly port: number;
  /** true: TLS from the first byte; false: STARTTLS, required. */
  readonly implicitTls: boolean;
}

const SCHEMES: Record<string, { implicit: boolean; port: number; protocol: 'imap' | 'smtp' }> = {
  'imaps:': { implicit: true, port: 993, protocol: 'imap' },
  'imap:': { implicit: false, port: 143, protocol: 'imap' },
  'smtps:': { implicit: true, port: 465, protocol: 'smtp' },
  'smtp:': { implicit: false, port: 587, protocol: 'smtp' },
};

/** Parses `imaps://host[:port]` etc.; ERR_MSS_UNSUPPORTED for another scheme or protocol. */
export function parseEndpoint(url: string, protocol: 'imap' | 'smtp'): MssEndpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PasserelleError('ERR_MSS_UNSUPPORTED', `Not a URL: ${JSON.stringify(url.slice(0, 200))}`, {
      details: { protocol },
    });
  }
  const scheme = SCHEMES[u.protocol];
  if (!scheme || scheme.protocol !== protocol || !u.hostname || u.username || u.password)
    throw new PasserelleError(
      'ERR_MSS_UNSUPPORTED',
      `${u.protocol}//${u.host} is not an ${protocol.toUpperCase()} URL (${protocol}s:// for implicit TLS, ${protocol}:// for STARTTLS)`,
      { details: { protocol, url: `${u.protocol}//${u.host}` } },
    );
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: u.port ? Number(u.port) : scheme.port, implicitTls: scheme.implicit };
}

export function timeoutOf(options: MssConnectionOptions): number {
  return options.timeoutMs ?? 30_000;
}

/**
 * TLS options of every MSSanté connection: TLS 1.2 at least, the server certificate verified
 * against `ca` (else the system's CAs) and its host name checked, the client certificate in
 * AUTH_CLI mode. Refused outright under NODE_TLS_REJECT_UNAUTHORIZED=0 (ERR_TRANSPORT_INSECURE).
 */
export function tlsOptions(options: MssConnectionOptions, host: string): ConnectionOptions {
  assertSecureEnvironment();
  const name = options.servername ?? host;
  return {
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
    checkServerIdentity: (_host, cert) => checkServerIdentity(name, cert),
    ...(options.servername ? { servername: options.servername } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.auth.kind === 'external' ? { cert: options.auth.cert, key: options.auth.key } : {}),
  };
}
