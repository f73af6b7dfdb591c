import type { ServiceContext } from '../service-context.ts';
import { _consumerTestCall, type ConsumerTestOptions, type ConsumerTestResult } from './consumer-test.ts';

/**
 * PlatformIntegrationConsumerTest `checkAccessControl`: signed with the X.509 token profile
 * (PROTOCOLS.md §3) using the configured signing credential. The platform answers the echo and
 * the consumer it authenticated from the signature; a rejected signature is the SOA-01001 fault
 * (ERR_SOAP_FAULT with `details.soaCode`). The signed reply is verified against
 * `trust.platformSigning`.
 */
export function checkAccessControl(
  ctx: ServiceContext,
  message: string,
  options: ConsumerTestOptions = {},
): Promise<ConsumerTestResult> {
  return _consumerTestCall(ctx, 'checkAccessControl', message, 'x509', options);
}
