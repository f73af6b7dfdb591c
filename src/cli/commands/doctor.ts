import type { DoctorCommandOptions } from '../doctor-impl.ts';
import { collect, type RegisterCommand } from './_types.ts';

export const registerDoctor: RegisterCommand = (program, runner) => {
  program
    .command('doctor')
    .description(
      'Check the onboarding of the environment (--env) step by step and explain the first broken step: configuration, certificates, DNS, TCP (firewall flows), TLS, client certificate, test call, OAuth token, SFTP',
    )
    .option(
      '--profile <name>',
      'profile the TLS certificate subject must fit: ebox, cbss or ehealth (default: any)',
    )
    .option(
      '--onboarding <dir>',
      'the folder `passerelle onboard init` wrote: its onboarding.json numbers the firewall-form rows named in remedies',
    )
    .option(
      '--rest-api <name>',
      'also call GET /{api}/health of this REST API with a token (default: the rest.apis of the configuration); repeatable',
      collect,
    )
    .option('--dns-timeout <ms>', 'per host name (default 3000)')
    .option('--tcp-timeout <ms>', 'per TCP connection (default 3000)')
    .option('--tls-timeout <ms>', 'per TLS handshake and client-certificate probe (default 5000)')
    .option('--call-timeout <ms>', 'per test call, token request and SFTP login (default 15000)')
    .action((opts: DoctorCommandOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../doctor-impl.ts')).doctorCommand(ctx, opts)),
    );
};
