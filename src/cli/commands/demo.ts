import type { RegisterCommand } from './_types.ts';

export const registerDemo: RegisterCommand = (program, runner) => {
  program
    .command('demo')
    .description('Start the sandbox in-process and drive every flow against it, step by step')
    .option('--state-dir <dir>', 'keep the sandbox state here instead of a throw-away directory')
    .action((opts: { stateDir?: string }, cmd) =>
      runner(cmd, async (ctx) => (await import('../demo-impl.ts')).demoCommand(ctx, opts)),
    );
};
