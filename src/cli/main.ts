import { Command, CommanderError } from 'commander';
import type { Clock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { COMMANDS } from './commands/index.ts';
import { type CommandContext, createContext, type GlobalOptions } from './context.ts';
import { type Io, processIo, reportError } from './output.ts';

export interface MainOptions {
  io?: Io;
  clock?: Clock;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Options that would put a secret on the command line; refused everywhere. */
const SECRET_FLAGS = /^--(password|pass|passphrase|secret|token|private-key-pem|client-secret)(=|$)/;

/**
 * Builds the program. Commands are declared here and load their implementation lazily, so
 * `passerelle env list` never loads XML or crypto code. Returns the exit status; only the
 * entry point (bin/passerelle.mjs) sets it on the process.
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIo;
  const program = new Command('passerelle')
    .description(
      'Connect to the Belgian social-security and health platforms and MSSanté; run the local sandbox.',
    )
    .option(
      '--config <file>',
      'configuration file (default: passerelle.config.{json,yaml} or $PASSERELLE_CONFIG)',
    )
    .option(
      '--env <name>',
      'environment: test, acpt, prod, sandbox or a custom one (default: $PASSERELLE_ENV)',
    )
    .option('--json', 'machine-readable output')
    .option('--debug', 'show stack traces and causes on failure')
    .option('-V, --version', 'print the version of passerelle (with --json: {"ok":true,"version":...})')
    .on('option:version', () => {
      throw new CommanderError(0, 'commander.version', 'version');
    })
    .option(
      '--trace <dir>',
      'record every HTTP exchange (heads and bodies, secrets redacted) in numbered folders under <dir>',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s), outputError: () => {} })
    .showHelpAfterError(false);

  const secretFlag = argv.slice(2).find((a) => SECRET_FLAGS.test(a));
  const rawGlobals = { json: argv.includes('--json'), debug: argv.includes('--debug') };
  if (secretFlag) {
    return reportError(
      io,
      new PasserelleError(
        'ERR_USAGE_SECRET_ON_ARGV',
        `Secrets are never accepted on the command line (${secretFlag.split('=')[0]})`,
        {
          hint: 'Name an environment variable (--password-env NAME) or a file (--password-file PATH) instead.',
        },
      ),
      rawGlobals,
    );
  }

  let failure: unknown;
  const ctxFor = (cmd: Command): CommandContext =>
    createContext(io, cmd.optsWithGlobals() as GlobalOptions, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.env ? { processEnv: options.env } : {}),
    });
  let status = 0;
  for (const register of COMMANDS) {
    register(program, async (cmd, run) => {
      try {
        status = (await run(ctxFor(cmd))) ?? 0;
      } catch (error) {
        failure = error;
      }
    });
  }

  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Commander's own parse errors (unknown command or option, missing argument, ...) are usage
    // errors; anything else that escapes is reported by reportError (ERR_INTERNAL if not ours).
    if (error instanceof CommanderError && error.code.startsWith('commander.')) {
      if (error.code === 'commander.version') {
        const { printVersion } = await import('./version.ts');
        return printVersion(io, rawGlobals.json);
      }
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      if (error.exitCode === 0) return 0;
      const { usageError } = await import('./usage-error.ts');
      return reportError(io, usageError(error, program, argv), rawGlobals);
    }
    failure = error;
  }
  if (failure !== undefined) return reportError(io, failure, rawGlobals);
  return status;
}
