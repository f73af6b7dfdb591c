import type { ResolvedEnvironment } from '../config/environment.ts';
import type { EndpointName } from '../config/registry.ts';
import type { DoctorFirewallRow } from './types.ts';

export const DEFAULT_ENDPOINTS: readonly EndpointName[] = [
  'cbss.soap',
  'cbss.mtom',
  'cbss.rest',
  'oauth.token',
  'sftp',
];

/** The KSZ-BCSS entry points that require a client certificate (mutual TLS, PROTOCOLS.md §1). */
export const MUTUAL_TLS_ENDPOINTS: readonly EndpointName[] = ['cbss.soap', 'cbss.mtom', 'cbss.rest'];

/** One host:port to check, with the endpoints it serves. */
export interface _Target {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly endpoints: readonly EndpointName[];
}

const DEFAULT_PORT: Readonly<Record<string, number>> = { 'https:': 443, 'sftp:': 22 };

/** `host:port`, IPv6 literals bracketed. */
export const _hostPort = (host: string, port: number): string =>
  `${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * The distinct host:port pairs of the configured `names` endpoints, in their order. A URL that
 * does not parse is left to the configuration check, which reports it.
 */
export function _targets(env: ResolvedEnvironment, names: readonly EndpointName[]): _Target[] {
  const byKey = new Map<string, { host: string; port: number; tls: boolean; endpoints: EndpointName[] }>();
  for (const name of names) {
    const endpoint = env.endpoints[name];
    if (endpoint === undefined) continue;
    const url = new URL(endpoint.url.replace('{api}', ''));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port ? Number(url.port) : (DEFAULT_PORT[url.protocol] ?? 443);
    const key = _hostPort(host, port);
    const entry = byKey.get(key) ?? { host, port, tls: url.protocol === 'https:', endpoints: [] };
    entry.endpoints.push(name);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/** The firewall-form row of a destination (its name or one of its addresses) and port. */
export function _rowOf(
  rows: readonly DoctorFirewallRow[],
  host: string,
  addresses: readonly string[],
  port: number,
): number | undefined {
  return rows.find((r) => r.port === port && (r.host === host || addresses.includes(r.host)))?.row;
}

/** "send the firewall form, row 2" or, without a known row, how to get one. */
export function _formAdvice(row: number | undefined, destination: string): string {
  return row === undefined
    ? `send the firewall-flow form with a row for ${destination} (\`passerelle onboard init\` writes it)`
    : `send the firewall form, row ${row}`;
}
