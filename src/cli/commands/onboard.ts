import type { RegisterCommand } from './_types.ts';

export interface OnboardInitCliOptions {
  answers?: string;
  out: string;
  force?: boolean;
}

export const registerOnboard: RegisterCommand = (program, runner) => {
  const onboard = program
    .command('onboard')
    .description(
      'Onboarding: the firewall flows, the certificate kit and the configuration for the platforms',
    );
  onboard
    .command('init')
    .description(
      'Write an onboarding folder (firewall flows and forms, a key and CSR per environment and purpose, passerelle.config.yaml, a README saying what to send to whom) from an answers file, or from prompts on a terminal',
    )
    .option(
      '--answers <file>',
      'YAML answers file (docs/onboarding-answers.example.yaml); prompts on a terminal without it',
    )
    .requiredOption('--out <dir>', 'the onboarding folder to write (new or empty)')
    .option('--force', 'replace an existing non-empty folder (its keys are lost)')
    .action((opts: OnboardInitCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../onboard-impl.ts')).onboardInitCommand(ctx, opts)),
    );
};
