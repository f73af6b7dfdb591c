import type { RegisterCommand } from './_types.ts';

export interface BatchStoreCliOptions {
  /** A PostgreSQL URL (its password from PGPASSWORD or ~/.pgpass, never the command line). */
  queue?: string;
  /** The SQLite state file (default: <stateDir>/batch.sqlite, else ./.passerelle-batch/batch.sqlite). */
  state?: string;
}

export interface BatchRunCliOptions extends BatchStoreCliOptions {
  concurrency?: string;
  rate?: string;
  maxInFlight?: string;
  rest?: boolean;
  clientId?: string;
}

export interface BatchPublishCliOptions extends BatchRunCliOptions {
  manifest: string;
  strict?: boolean;
  runId?: string;
  lang?: string;
  senderApp?: string;
  senderInstitution?: string;
  validateOnly?: boolean;
}

export interface BatchReportCliOptions extends BatchStoreCliOptions {
  out: string;
  format?: string;
}

const storeOptions = (cmd: import('commander').Command) =>
  cmd
    .option(
      '--queue <url>',
      'postgres://user@host/db: share the run across machines (password from PGPASSWORD)',
    )
    .option(
      '--state <file>',
      'the SQLite state file (default: <stateDir>/batch.sqlite or ./.passerelle-batch/batch.sqlite)',
    );

const runOptions = (cmd: import('commander').Command) =>
  storeOptions(cmd)
    .option('--concurrency <n>', 'publications at the same time (default 8)')
    .option('--rate <n>', 'documents per second at most (default: unlimited)')
    .option('--max-in-flight <n>', 'items held in memory at most (default 4 × concurrency)')
    .option('--rest', 'publish over REST v2 (OAuth) instead of SOAP')
    .option('--client-id <id>', 'REST: OAuth client id (default: oauth.clientId of the environment)');

export const registerBatch: RegisterCommand = (program, runner) => {
  const batch = program
    .command('batch')
    .description(
      'Durable mass publication to the eBox: runs that survive crashes (SQLite, or PostgreSQL with --queue)',
    );
  runOptions(
    batch
      .command('ebox-publish')
      .description('Validate a manifest (CSV or JSON Lines), store it as a run, then publish every good row')
      .requiredOption(
        '--manifest <file>',
        'CSV or JSON Lines: recipient, messageType, title, file [, ticket, sequence, lang, fileName, mime]',
      )
      .option('--strict', 'refuse the whole run if any row is bad (nothing is sent)')
      .option('--run-id <id>', 'the run id (default: a new one, printed)')
      .option('--lang <fr|nl|de>', 'the subject language of rows without one (default fr)')
      .option('--sender-app <urn>', 'SenderID application for every row')
      .option('--sender-institution <cbe>', "SenderID institution (the certificate's CBE)")
      .option('--validate-only', 'store and validate the run, do not publish (then `batch resume RUN`)'),
  ).action((opts: BatchPublishCliOptions, cmd) =>
    runner(cmd, async (ctx) => (await import('../batch-impl.ts')).batchEboxPublish(ctx, opts)),
  );
  runOptions(
    batch
      .command('resume')
      .argument('<run>', 'the run id')
      .description('Go on with a run after a stop or a crash'),
  ).action((run: string, opts: BatchRunCliOptions, cmd) =>
    runner(cmd, async (ctx) => (await import('../batch-impl.ts')).batchResume(ctx, run, opts)),
  );
  runOptions(
    batch
      .command('retry')
      .argument('<run>', 'the run id')
      .description('Queue the dead letters of a run again, then publish them (--failed)')
      .requiredOption('--failed', 'retry the items that failed'),
  ).action((run: string, opts: BatchRunCliOptions, cmd) =>
    runner(cmd, async (ctx) => (await import('../batch-impl.ts')).batchRetry(ctx, run, opts)),
  );
  storeOptions(
    batch
      .command('status')
      .argument('[run]', 'the run id (default: list the runs)')
      .description('Counts of a run'),
  ).action((run: string | undefined, opts: BatchStoreCliOptions, cmd) =>
    runner(cmd, async (ctx) => (await import('../batch-impl.ts')).batchStatus(ctx, run, opts)),
  );
  storeOptions(
    batch
      .command('report')
      .argument('<run>', 'the run id')
      .description('Every item of a run with its state, attempts, code and message id')
      .requiredOption('--out <file>', 'report.csv or report.json')
      .option('--format <csv|json>', 'default from the extension'),
  ).action((run: string, opts: BatchReportCliOptions, cmd) =>
    runner(cmd, async (ctx) => (await import('../batch-impl.ts')).batchReport(ctx, run, opts)),
  );
};
