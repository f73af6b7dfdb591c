import type { RegisterCommand } from './_types.ts';

export interface StsTokenOptions {
  out?: string;
  cache: boolean;
}

export const registerSts: RegisterCommand = (program, runner) => {
  const sts = program.command('sts').description('eHealth STS (WS-Trust, SAML 1.1 holder-of-key tokens)');
  sts
    .command('token')
    .description(
      'Get a SAML holder-of-key token for the environment (cached in the state directory); prints its AssertionID, issuer, subject, validity and cache status, never the assertion',
    )
    .option('--out <file>', 'write the assertion, exactly as received, to this file (mode 0600)')
    .option('--no-cache', 'always ask the STS (the new token still replaces the cached one)')
    .action((opts: StsTokenOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../sts-impl.ts')).stsToken(ctx, opts)),
    );
};
