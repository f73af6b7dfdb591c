import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { buildFault } from '../../soap/build-fault.ts';
import type { SoaCode } from '../../soap/soa-codes.ts';
import { _sendXml } from '../_xml-reply.ts';

/** The `urn:Environment` the sandbox puts in its SystemError details. */
export const SANDBOX_ENVIRONMENT = 'Sandbox';

/** Who the platform blames, per code family: the consumer for 01xxx/03xxx, the provider otherwise. */
function _origin(code: SoaCode): string {
  return code.startsWith('SOA-01') || code.startsWith('SOA-03') ? 'Consumer' : 'Provider';
}

/**
 * Writes the platform's SOAP fault for `code` (PROTOCOLS.md §3: faultcode soapenv:Client or
 * soapenv:Server, faultstring "<code>: <text>", detail urn:SystemError with Id, Origin, Code,
 * Message xml:lang="en", urn:Environment) as text/xml with `status`. Returns the SystemError Id,
 * which the sandbox log records beside the precise reason.
 */
export function _sendFault(
  res: ServerResponse,
  code: SoaCode,
  status: number,
  endAfter?: Promise<void>,
): string {
  const { id, xml } = _faultXml(code);
  _sendXml(res, status, xml, { endAfter });
  return id;
}

/** The fault document for `code` with a fresh SystemError Id. */
export function _faultXml(code: SoaCode): { id: string; xml: string } {
  const id = `Id-${randomBytes(12).toString('hex')}`;
  const xml = buildFault({
    faultcode: _origin(code) === 'Consumer' ? 'Client' : 'Server',
    soa: { code, id, origin: _origin(code), environment: SANDBOX_ENVIRONMENT },
  });
  return { id, xml };
}
