import type { RegisterCallSubcommand } from './_call-registry.ts';

export const registerEhealthBrokeredCall: RegisterCallSubcommand = (call, runner) => {
  call
    .command('ehealth:check-brokered-access')
    .description(
      'PlatformIntegrationConsumerTest checkBrokeredAccessControl (SAML holder-of-key token from the STS, cached)',
    )
    .requiredOption('--message <text>', 'text the platform echoes back')
    .action((opts: { message: string }, cmd) =>
      runner(cmd, async (ctx) =>
        (await import('../call-ehealth-brokered-impl.ts')).callBrokeredAccess(ctx, opts),
      ),
    );
};
