import type { RegisterCommand } from './_types.ts';

export const registerEnv: RegisterCommand = (program, runner) => {
  const env = program.command('env').description('Show the environments and their endpoints');
  env
    .command('list')
    .description('List known environments (built-in and from the configuration)')
    .action((_opts, cmd) => runner(cmd, async (ctx) => (await import('../env-impl.ts')).envList(ctx)));
  env
    .command('show')
    .argument('[name]', 'environment name (default: the selected one)')
    .description('Show the endpoints of one environment, with where each value comes from')
    .action((name: string | undefined, _opts, cmd) =>
      runner(cmd, async (ctx) => (await import('../env-impl.ts')).envShow(ctx, name)),
    );
};
