/**
 * The application's own SMTP receiver of `passerelle mss conformance run --inbound HOST:PORT
 * --inbound-address ADDR` (operator-interface case): the operator's MTA delivers there. Its
 * STARTTLS certificate is issued for this run, in memory, from the development CA of the state
 * directory: the conformance service's (`<stateDir>/pki/ca`, made by `serve`) when there is
 * one, else one created in `<stateDir>/inbound-ca`. The operator trusts that CA's ca.crt if
 * it checks the certificate of the servers it delivers to.
 */
import { isIP } from 'node:net';
import { join } from 'node:path';
import { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { CommandContext } from './context.ts';

export interface InboundListen {
  readonly host: string;
  readonly port: number;
  readonly address: string;
}

const usage = (message: string, hint: string) => new PasserelleError('ERR_USAGE', message, { hint });

/** `--inbound HOST:PORT` (`[::1]:2525` for IPv6) and `--inbound-address`, checked together. */
export async function parseInbound(
  listen: string | undefined,
  address: string | undefined,
): Promise<InboundListen | undefined> {
  if (listen === undefined && address === undefined) return undefined;
  if (listen === undefined || address === undefined)
    throw usage(
      '--inbound and --inbound-address go together',
      'Give where to listen (--inbound 0.0.0.0:25) and the mailbox the operator delivers to (--inbound-address).',
    );
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(listen.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (host === undefined || !(port >= 0 && port <= 65535))
    throw usage(
      `--inbound must be HOST:PORT, not "${listen.slice(0, 100)}"`,
      'For example --inbound 0.0.0.0:25 or --inbound [::1]:2525.',
    );
  const { MailAddressSchema } = await import('../config/mss-schema.ts');
  if (!MailAddressSchema.safeParse(address).success)
    throw usage(
      '--inbound-address must be an e-mail address (local@domain)',
      'The application mailbox the operator delivers to, e.g. conformance@app.example.',
    );
  return { host, port, address };
}

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

/** The development CA of the state directory (the service's, else one made for the receiver). */
async function devCa(stateDir: string, ctx: CommandContext) {
  const { createDevCa, hasDevCa, loadDevCa } = await import('../pki/dev-ca.ts');
  const serviceCa = join(stateDir, 'pki', 'ca');
  if (await hasDevCa(serviceCa)) return loadDevCa(serviceCa);
  const own = join(stateDir, 'inbound-ca');
  if (await hasDevCa(own)) return loadDevCa(own);
  return createDevCa({ dir: own, clock: ctx.clock, cn: 'Passerelle Conformance Development CA' });
}

/** Starts the receiver; its certificate names the listen host (and localhost, 127.0.0.1). */
export async function startInbound(
  ctx: CommandContext,
  stateDir: string,
  listen: InboundListen,
  log: Logger,
) {
  const ca = await devCa(stateDir, ctx);
  const { issueDevCertificate } = await import('../pki/dev-issue.ts');
  const named = UNSPECIFIED.has(listen.host) ? [] : [listen.host];
  const credential = await issueDevCertificate(ca, {
    usage: 'tls-server',
    subject: [
      ['O', 'Passerelle Conformance'],
      ['CN', named[0] ?? 'localhost'],
    ],
    dnsNames: ['localhost', ...named.filter((h) => isIP(h) === 0)],
    ipAddresses: [...new Set(['127.0.0.1', ...named.filter((h) => isIP(h) !== 0)])],
    validityDays: 30,
    clock: ctx.clock,
  });
  const { startInboundReceiver } = await import('../mss/conformance/inbound.ts');
  const receiver = await startInboundReceiver({
    host: listen.host,
    port: listen.port,
    address: listen.address,
    tls: { key: credential.keyPem, cert: credential.certPem },
    log,
  });
  return { receiver, caFile: ca.certFile };
}
