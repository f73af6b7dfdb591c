import type { SandboxCommandOptions } from '../sandbox-impl.ts';
import { collect, type RegisterCommand } from './_types.ts';

export const registerSandbox: RegisterCommand = (program, runner) => {
  const sandbox = program
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
    .option(
      '--contract <file>',
      'also serve a contract: a WSDL (SOA gateway) or an OpenAPI/Swagger file (REST APIs); repeatable',
      collect,
    )
    .option(
      '--scenarios <file>',
      'canned replies and faults (YAML) for the contract its `contract:` names; repeatable',
      collect,
    )
    .option(
      '--fault <mode>',
      'start with a connection fault, for `passerelle doctor`: port-closed, handshake-timeout, handshake-drop, server-cert-expired, server-cert-untrusted, client-cert-unknown, oauth-client-unknown; repeatable',
      collect,
    )
    .action((opts: SandboxCommandOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../sandbox-impl.ts')).sandboxCommand(ctx, opts)),
    );
  const ebox = sandbox.command('ebox').description('The sandbox eBox: what its citizens received');
  ebox
    .command('inbox')
    .argument('<inss>', "a sandbox citizen's INSS (sandbox.json lists them)")
    .description("List a sandbox citizen's eBox messages and documents (from the running sandbox)")
    .option('--state-dir <dir>', 'the running sandbox state directory (default: as `passerelle sandbox`)')
    .option('--download <dir>', 'save every document into DIR (the messages become read)')
    .action((inss: string, opts: { stateDir?: string; download?: string }, cmd) => {
      // `passerelle sandbox` has its own --state-dir: commander gives it the flag wherever it is.
      const stateDir = opts.stateDir ?? (sandbox.opts() as { stateDir?: string }).stateDir;
      const merged = { ...opts, ...(stateDir === undefined ? {} : { stateDir }) };
      return runner(cmd, async (ctx) =>
        (await import('../sandbox-ebox-impl.ts')).sandboxEboxInbox(ctx, inss, merged),
      );
    });
};
