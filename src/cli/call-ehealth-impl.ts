import { checkAccessControl } from '../services/ehealth/check-access-control.ts';
import { checkConnection } from '../services/ehealth/check-connection.ts';
import type { ConsumerTestResult } from '../services/ehealth/consumer-test.ts';
import { signerSummary, withServiceContext } from './call-session.ts';
import type { CommandContext } from './context.ts';
import { emit, isoTime } from './output.ts';
import { unverifiedAssertionWarning } from './unverified-assertion.ts';

const OPERATIONS = {
  checkConnection: { name: 'ehealth:check-connection', run: checkConnection },
  checkAccessControl: { name: 'ehealth:check-access-control', run: checkAccessControl },
} as const;

/** Prints one PlatformIntegrationConsumerTest result (shared with other consumer-test subcommands). */
export function emitConsumerTest(
  ctx: CommandContext,
  operation: string,
  env: string,
  result: ConsumerTestResult,
  /** For calls made with an STS assertion: whether it was verified on receipt. */
  assertion?: { readonly verified: boolean },
): void {
  const unverified = assertion?.verified === false;
  const value = {
    operation,
    env,
    message: result.message,
    timestamp: isoTime(result.timestamp),
    authenticatedConsumer: result.authenticatedConsumer ?? null,
    replySigner: signerSummary(result.replySigner),
    ...(assertion === undefined ? {} : { assertionVerified: assertion.verified }),
    ...(unverified ? { warning: unverifiedAssertionWarning(env) } : {}),
  };
  emit(ctx.io, ctx.json, value, () =>
    [
      ...(unverified ? [`WARNING: ${unverifiedAssertionWarning(env)}`] : []),
      `${operation} on ${env}: ok`,
      `  message          ${result.message}`,
      `  timestamp        ${value.timestamp}`,
      `  authenticated as ${result.authenticatedConsumer ?? '(not authenticated at message level)'}`,
      `  reply signed by  ${value.replySigner?.subject ?? '(unsigned reply)'}`,
      ...(assertion === undefined
        ? []
        : [
            `  STS assertion    ${assertion.verified ? 'verified (trust.sts)' : 'NOT verified (trust.stsUnverified)'}`,
          ]),
    ].join('\n'),
  );
}

export async function callConsumerTest(
  ctx: CommandContext,
  which: keyof typeof OPERATIONS,
  opts: { message: string },
): Promise<number> {
  const { name, run } = OPERATIONS[which];
  const { env, result } = await withServiceContext(ctx, async (services) => ({
    env: services.environment,
    result: await run(services, opts.message),
  }));
  emitConsumerTest(ctx, name, env, result);
  return 0;
}
