import type { RegisterCallSubcommand } from './_call-registry.ts';

export const registerCbssCalls: RegisterCallSubcommand = (call, runner) => {
  call
    .command('cbss:test-connection')
    .description('KSZ-BCSS TestConnectionService (X.509-signed): echo, the TLS DN the platform saw, ticket')
    .requiredOption('--echo <text>', 'text the platform echoes back')
    .action((opts: { echo: string }, cmd) =>
      runner(cmd, async (ctx) => (await import('../call-cbss-impl.ts')).callTestConnection(ctx, opts)),
    );
};
