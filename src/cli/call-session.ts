import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { subjectDn } from '../pki/dn.ts';
import {
  type CreateServiceContextOptions,
  createServiceContext,
  type ServiceContext,
} from '../services/service-context.ts';
import { SoapFaultError } from '../soap/soap-fault-error.ts';
import type { CommandContext } from './context.ts';

/** The safe, printable facts of a reply signer (never the certificate itself). */
export function signerSummary(
  signer: X509Certificate | undefined,
): { subject: string; fingerprint256: string } | null {
  return signer === undefined ? null : { subject: subjectDn(signer), fingerprint256: signer.fingerprint256 };
}

/** A SOAP fault as one clear line: what the platform said, its SOA code and error id. */
function _clearFault(error: SoapFaultError): PasserelleError {
  const { soaCode, soaId, reasonCode } = error.details;
  const facts = [
    soaCode === undefined ? undefined : `SOA code ${String(soaCode)}`,
    reasonCode === undefined ? undefined : `reason ${String(reasonCode)}`,
    soaId === undefined ? undefined : `error id ${String(soaId)}`,
  ].filter((f) => f !== undefined);
  return new PasserelleError(
    'ERR_SOAP_FAULT',
    facts.length === 0 ? error.message : `${error.message} (${facts.join(', ')})`,
    { hint: error.hint, details: error.details, cause: error },
  );
}

/**
 * Runs `fn` with the service context of the selected environment (credentials loaded once,
 * one mutual-TLS transport), closes it afterwards, and rethrows SOAP faults as one clear line.
 */
export async function withServiceContext<T>(
  ctx: CommandContext,
  fn: (services: ServiceContext) => Promise<T>,
  options: Pick<CreateServiceContextOptions, 'replySignature'> = {},
): Promise<T> {
  const environment = await ctx.environment();
  const services = await createServiceContext(environment, {
    ...options,
    clock: ctx.clock,
    processEnv: ctx.processEnv,
    trace: await ctx.trace(),
  });
  try {
    return await fn(services);
  } catch (error) {
    throw error instanceof SoapFaultError ? _clearFault(error) : error;
  } finally {
    await services.close();
  }
}
