import type { Command } from 'commander';
import type { Runner } from './_types.ts';

export interface MssConformanceRunCliOptions {
  /** The IMAP URL of the API LPS under test (`imaps://host:993` or `imap://host:143`). */
  target: string;
  smtp: string;
  mailbox: string;
  idnat: string;
  ca: string;
  clientCert?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  clientCertMailbox?: string;
  passwordEnv?: string;
  passwordFile?: string;
  out?: string;
  pscUrl?: string;
  pscAdminSecretFile?: string;
  pscCa?: string;
  stateDir?: string;
  operator?: string;
  select?: string;
  caseTimeout?: string;
  idleWait?: string;
  inbound?: string;
  inboundAddress?: string;
}

export interface MssConformanceServeCliOptions {
  host?: string;
  publicName?: string;
  pscPort?: string;
  port?: string;
  stateDir?: string;
  caseTimeout?: string;
  inbound?: string;
  inboundAddress?: string;
}

const STATE_DIR =
  'state directory of the conformance service: PSC keys, TLS PKI, admin secret, jobs (default ./.passerelle-conformance)';

/** `passerelle mss conformance run|serve`, declared under the `mss` command. */
export function registerMssConformance(mss: Command, runner: Runner): void {
  const conformance = mss
    .command('conformance')
    .description(
      "MSSanté operators' conformance: play Pro Santé Connect for an operator's API LPS, run the test catalogue against it, write the conformity report",
    );
  conformance
    .command('run')
    .description(
      'Run the conformance catalogue against an API LPS and write run.json, report.html and report.pdf; exit 0 conformant, 10 non-conformant (major), 11 non-conformant (blocking), 130 interrupted (Ctrl+C: the reports of what ran are written)',
    )
    .requiredOption(
      '--target <url>',
      'IMAP of the API LPS: imaps://host[:993] (implicit TLS) or imap://host[:143] (STARTTLS)',
    )
    .requiredOption('--smtp <url>', 'SMTP of the API LPS: smtps://host[:465] or smtp://host[:587] (STARTTLS)')
    .requiredOption('--mailbox <address>', "the professional's mailbox the token cases open")
    .requiredOption('--idnat <id>', 'national id (RPPS) of the mailbox holder')
    .requiredOption('--ca <file>', "PEM trust anchors of the operator's server certificates")
    .option(
      '--client-cert <file>',
      'PKCS#12 keystore of a client certificate (AUTH_CLI cases; without one they are skipped)',
    )
    .option('--client-cert-pem <file>', 'client certificate as PEM (with --client-key-pem)')
    .option('--client-key-pem <file>', 'private key of --client-cert-pem, PEM')
    .option('--password-env <name>', 'environment variable holding the keystore (or encrypted key) password')
    .option('--password-file <file>', 'file holding the keystore (or encrypted key) password')
    .option('--client-cert-mailbox <address>', 'mailbox the client certificate opens (default --mailbox)')
    .option('--out <dir>', 'folder of the three reports (default ./conformance-<runId>)')
    .option(
      '--psc-url <url>',
      'a running conformance PSC (its issuer or origin, https://); default: the local service of --state-dir',
    )
    .option('--psc-admin-secret-file <file>', "with --psc-url: the file holding the service's admin secret")
    .option('--psc-ca <file>', "with --psc-url: PEM CA of the service's TLS certificate")
    .option('--state-dir <dir>', STATE_DIR)
    .option('--operator <name>', 'operator name printed in the report (default: the target host)')
    .option('--select <ids>', 'only these case ids, comma-separated (default: the whole catalogue)')
    .option('--case-timeout <seconds>', 'time limit of each case (default 30)')
    .option(
      '--idle-wait <seconds>',
      'run the idle-timeout case, waiting this long for the server to close an idle session',
    )
    .option(
      '--inbound <host:port>',
      "listen here for the operator's delivery to the application's mailbox (operator-interface case)",
    )
    .option(
      '--inbound-address <address>',
      'the application mailbox the operator delivers to (with --inbound)',
    )
    .action((opts: MssConformanceRunCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../mss-conformance-run.ts')).mssConformanceRun(ctx, opts)),
    );
  conformance
    .command('serve')
    .description(
      'Run the conformance PSC at fixed URLs (configure them once in the operator servers) and the web application, until SIGINT/SIGTERM',
    )
    .option('--host <address>', 'interface to listen on (default 127.0.0.1)')
    .option(
      '--public-name <name>',
      "the name or address the operator's servers reach this machine at: in the issuer, every URL and the PSC's certificate (default: --host; 127.0.0.1 when --host is every interface)",
    )
    .option('--psc-port <port>', 'fixed port of the PSC (default 7443)')
    .option('--port <port>', 'port of the web application (default 7480)')
    .option('--state-dir <dir>', STATE_DIR)
    .option('--case-timeout <seconds>', "time limit of each case of the web application's jobs (default 30)")
    .option(
      '--inbound <host:port>',
      "listen here for the operator's delivery to the application's mailbox (operator-interface case of the jobs)",
    )
    .option(
      '--inbound-address <address>',
      'the application mailbox the operator delivers to (with --inbound)',
    )
    .action((opts: MssConformanceServeCliOptions, cmd) =>
      runner(cmd, async (ctx) =>
        (await import('../mss-conformance-serve.ts')).mssConformanceServeCommand(ctx, opts),
      ),
    );
}
