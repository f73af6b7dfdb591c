import type { RegisterCallSubcommand } from './_call-registry.ts';

export const registerEhealthCalls: RegisterCallSubcommand = (call, runner) => {
  call
    .command('ehealth:check-connection')
    .description('PlatformIntegrationConsumerTest checkConnection (TLS only, no WS-Security)')
    .requiredOption('--message <text>', 'text the platform echoes back')
    .action((opts: { message: string }, cmd) =>
      runner(cmd, async (ctx) =>
        (await import('../call-ehealth-impl.ts')).callConsumerTest(ctx, 'checkConnection', opts),
      ),
    );
  call
    .command('ehealth:check-access-control')
    .description(
      'PlatformIntegrationConsumerTest checkAccessControl (X.509 signature): who the platform authenticated',
    )
    .requiredOption('--message <text>', 'text the platform echoes back')
    .action((opts: { message: string }, cmd) =>
      runner(cmd, async (ctx) =>
        (await import('../call-ehealth-impl.ts')).callConsumerTest(ctx, 'checkAccessControl', opts),
      ),
    );
};
