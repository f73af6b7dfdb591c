import { resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import type { ServiceContext } from '../services/service-context.ts';
import { readWsdl, resolveOperation } from '../wsdl/index.ts';
import type { SoapCallOptions } from './commands/soap.ts';
import type { CommandContext } from './context.ts';
import { rebaseAddress } from './rebase-address.ts';

export interface WsdlTarget {
  readonly url: string;
  readonly action: string;
  readonly security: 'x509' | 'hok' | 'none';
  /** Where the URL came from, for the summary line. */
  readonly source: string;
}

function _usable(address: string | undefined): address is string {
  if (address === undefined) return false;
  try {
    const url = new URL(address);
    return url.protocol === 'https:' && !/REPLACE|example\.(com|org)|localhost:?\d*$/i.test(url.host);
  } catch {
    return false;
  }
}

/** The URL, SOAPAction and security of `--operation` in `--wsdl`. */
export async function targetFromWsdl(
  ctx: CommandContext,
  services: Pick<ServiceContext, 'endpoint' | 'environment'>,
  opts: SoapCallOptions,
): Promise<WsdlTarget> {
  const model = await readWsdl(resolve(ctx.cwd, opts.wsdl!));
  const op = resolveOperation(model, opts.operation!, opts.port === undefined ? {} : { port: opts.port });
  if (op.soapVersion !== '1.1') {
    throw new PasserelleError(
      'ERR_USAGE',
      `The operation ${op.operation} is bound to SOAP ${op.soapVersion}`,
      {
        hint: 'The platforms speak SOAP 1.1: choose the SOAP 1.1 port with --port.',
      },
    );
  }
  const security = op.security === 'saml' ? 'hok' : op.security === 'none' ? 'none' : 'x509';
  if (opts.url !== undefined || opts.endpoint !== undefined) {
    return { url: '', action: op.soapAction, security, source: 'flags' };
  }
  const address = op.address;
  if (!_usable(address)) {
    throw new PasserelleError(
      'ERR_USAGE',
      `The WSDL gives no usable address for ${op.operation} (${String(address ?? 'none').slice(0, 80)})`,
      {
        hint: 'Say where to send it: --endpoint NAME [--path PATH] (e.g. --endpoint ebox.soap) or --url URL.',
      },
    );
  }
  const rebased = rebaseAddress(address, services);
  if (rebased === undefined)
    return { url: address, action: op.soapAction, security, source: 'the WSDL address' };
  return {
    url: rebased.url,
    action: op.soapAction,
    security,
    source: `the WSDL address on ${services.environment}'s ${rebased.endpoint}`,
  };
}
