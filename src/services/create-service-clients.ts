import type { ResolvedEnvironment } from '../config/environment.ts';
import {
  type TestConnectionOptions,
  type TestConnectionResult,
  testConnection,
} from './cbss/test-connection.ts';
import { checkAccessControl } from './ehealth/check-access-control.ts';
import {
  type CheckBrokeredAccessControlOptions,
  checkBrokeredAccessControl,
} from './ehealth/check-brokered-access-control.ts';
import { checkConnection } from './ehealth/check-connection.ts';
import type { ConsumerTestOptions, ConsumerTestResult } from './ehealth/consumer-test.ts';
import {
  type CreateServiceContextOptions,
  createServiceContext,
  type ServiceContext,
} from './service-context.ts';

/** Typed clients of the platform test services, bound to one environment. */
export interface ServiceClients {
  /** The shared context: pass it to operations not bound here (e.g. the MTOM test service). */
  readonly context: ServiceContext;
  readonly cbss: {
    testConnection(echo: string, options?: TestConnectionOptions): Promise<TestConnectionResult>;
  };
  readonly ehealth: {
    checkConnection(message: string, options?: ConsumerTestOptions): Promise<ConsumerTestResult>;
    checkAccessControl(message: string, options?: ConsumerTestOptions): Promise<ConsumerTestResult>;
    /** SAML holder-of-key call: `options.hok` names the key and where its STS token comes from. */
    checkBrokeredAccessControl(
      message: string,
      options: CheckBrokeredAccessControlOptions,
    ): Promise<ConsumerTestResult>;
  };
  /** Closes the pooled connections. */
  close(): Promise<void>;
}

/**
 * Builds the service clients of a resolved environment (`passerelle --env X`): credentials and
 * trust are loaded once, one mutual-TLS transport is shared by every call.
 *
 * ```ts
 * const clients = await createServiceClients(resolveEnvironment(await loadConfig(), 'sandbox'));
 * try { console.log((await clients.cbss.testConnection('hello')).sslCertificate); }
 * finally { await clients.close(); }
 * ```
 */
export async function createServiceClients(
  env: ResolvedEnvironment,
  options: CreateServiceContextOptions = {},
): Promise<ServiceClients> {
  const context = await createServiceContext(env, options);
  return Object.freeze({
    context,
    cbss: Object.freeze({
      testConnection: (echo: string, o?: TestConnectionOptions) => testConnection(context, echo, o),
    }),
    ehealth: Object.freeze({
      checkConnection: (message: string, o?: ConsumerTestOptions) => checkConnection(context, message, o),
      checkAccessControl: (message: string, o?: ConsumerTestOptions) =>
        checkAccessControl(context, message, o),
      checkBrokeredAccessControl: (message: string, o: CheckBrokeredAccessControlOptions) =>
        checkBrokeredAccessControl(context, message, o),
    }),
    close: () => context.close(),
  });
}
