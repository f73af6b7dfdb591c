import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import type { ResolvedEnvironment } from '../config/environment.ts';
import { KSZ_ENTRY_IPS } from '../config/registry.ts';
import { _Finding, type _Outcome, _withTimeout } from './_check.ts';
import { _formAdvice, _hostPort, _rowOf, type _Target } from './_targets.ts';
import type { DoctorFirewallRow } from './types.ts';

const publishedIp = (env: ResolvedEnvironment, host: string): string | undefined =>
  /(^|\.)ksz-bcss\.fgov\.be$/i.test(host) && env.name in KSZ_ENTRY_IPS
    ? KSZ_ENTRY_IPS[env.name as keyof typeof KSZ_ENTRY_IPS]
    : undefined;

/** DNS check of one host: its addresses (an IP literal is its own). */
export async function _dnsOutcome(
  env: ResolvedEnvironment,
  host: string,
  timeoutMs: number,
  addresses: Map<string, string[]>,
): Promise<_Outcome> {
  if (isIP(host) !== 0) {
    addresses.set(host, [host]);
    return { detail: `${host} is an IP address` };
  }
  const published = publishedIp(env, host);
  const advice = `check the DNS resolvers of this machine for the network access in use (onboarding step 1)${
    published === undefined ? '' : `; the platform publishes ${published} for it`
  }`;
  let found: { address: string }[];
  try {
    found = await _withTimeout(
      lookup(host, { all: true }),
      timeoutMs,
      () => new _Finding('ERR_DOCTOR_DNS', `No answer resolving ${host} in ${timeoutMs} ms`, 1, advice),
    );
  } catch (error) {
    if (error instanceof _Finding) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new _Finding(
      'ERR_DOCTOR_DNS',
      `${host} does not resolve (${code})`,
      1,
      `The name ${host} does not resolve: ${advice}.`,
    );
  }
  const list = found.map((a) => a.address);
  addresses.set(host, list);
  return { detail: `${host} → ${list.join(', ')}` };
}

/**
 * TCP check of one host:port: connects to its first address. A timeout is a missing firewall
 * flow; a refusal, nothing listening; no route, the network access.
 */
export async function _tcpOutcome(
  env: ResolvedEnvironment,
  target: _Target,
  addresses: readonly string[],
  rows: readonly DoctorFirewallRow[],
  timeoutMs: number,
): Promise<_Outcome> {
  const address = addresses[0] ?? target.host;
  const destination = _hostPort(address, target.port);
  const named = address === target.host ? destination : `${destination} (${target.host})`;
  const row = _rowOf(rows, target.host, addresses, target.port);
  const setting = `environments.${env.name}.endpoints["${target.endpoints[0] ?? ''}"]`;
  await new Promise<void>((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new _Finding(
          'ERR_DOCTOR_TCP_TIMEOUT',
          `No answer from ${named} within ${timeoutMs} ms`,
          2,
          `The flow to ${destination} is not open: ${_formAdvice(row, destination)}.`,
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      if (error.code === 'ECONNREFUSED') {
        reject(
          new _Finding(
            'ERR_DOCTOR_TCP_REFUSED',
            `${named} refused the connection`,
            1,
            `Nothing listens on ${destination}: check the endpoint (${setting}); if it is right, the platform is down or a firewall rejects the flow: ${_formAdvice(row, destination)}.`,
          ),
        );
      } else if (error.code === 'ETIMEDOUT') {
        reject(
          new _Finding(
            'ERR_DOCTOR_TCP_TIMEOUT',
            `No answer from ${named}`,
            2,
            `The flow to ${destination} is not open: ${_formAdvice(row, destination)}.`,
          ),
        );
      } else {
        reject(
          new _Finding(
            'ERR_DOCTOR_TCP_UNREACHABLE',
            `${named} is unreachable (${error.code ?? 'error'})`,
            1,
            `This machine has no route to ${destination}: check the network access to the platform (leased line, VPN; onboarding step 1).`,
          ),
        );
      }
    });
    socket.connect({ host: address, port: target.port });
  });
  return { detail: `${destination} accepts connections` };
}
