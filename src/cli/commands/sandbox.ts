import type { RegisterCommand } from './_types.ts';

export const registerSandbox: RegisterCommand = (program, runner) => {
  program
    .command('sandbox')
    .description('Run the local sandbox of the platform side until SIGINT/SIGTERM (Ctrl+C)')
    .option(
      '--state-dir <dir>',
      'state directory: dev PKI, sandbox.json, client config, log (default: config stateDir or ./.passerelle-sandbox)',
    )
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option(
      '--port-base <n>',
      'fixed ports: each module role listens on N + its offset (default: ephemeral ports)',
    )
    .option('--seed <seed>', 'seed of the fault-injection randomness, so runs repeat')
    .action((opts: { stateDir?: string; host: string; portBase?: string; seed?: string }, cmd) =>
      runner(cmd, async (ctx) => (await import('../sandbox-impl.ts')).sandboxCommand(ctx, opts)),
    );
};
