import type { ServiceContext } from '../service-context.ts';
import { _consumerTestCall, type ConsumerTestOptions, type ConsumerTestResult } from './consumer-test.ts';

/**
 * PlatformIntegrationConsumerTest `checkConnection`: TLS only, an empty SOAP header, no
 * WS-Security (PROTOCOLS.md §5). Proves the network path and the TLS setup; the reply has no
 * `authenticatedConsumer`. A signed reply is still verified when it carries a signature.
 */
export function checkConnection(
  ctx: ServiceContext,
  message: string,
  options: ConsumerTestOptions = {},
): Promise<ConsumerTestResult> {
  return _consumerTestCall(ctx, 'checkConnection', message, 'none', options);
}
