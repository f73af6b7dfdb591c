import type { RegisterCommand } from './_types.ts';

export interface SftpSubmitCliOptions {
  app?: string;
  sender?: string;
  sequence?: string;
  /** Commander's negation of `--no-sign`: false when the FS is not to be made. */
  sign: boolean;
  wait?: string;
}

export interface SftpRepliesCliOptions {
  wait?: string;
  for?: string;
}

export const registerSftp: RegisterCommand = (program, runner) => {
  const sftp = program
    .command('sftp')
    .description(
      'Social-security SFTP batch server: submit FI/FS/GO files, cancel, fetch replies (key login, pinned host key)',
    );
  sftp
    .command('submit')
    .argument('<file>', 'the FI file to submit (the structured message), streamed')
    .description(
      'Upload FI (temporary name, then renamed), its FS signature, then the empty GO trigger last; an interrupted upload resumes',
    )
    .option('--app <code>', 'application code, the second part of the names (default: sftp.app), e.g. DMFA')
    .option('--sender <number>', 'sender number (default: sftp.sender)')
    .option('--sequence <seq>', 'five letters or digits, unique per date (default: the next free number)')
    .option('--no-sign', 'send no FS file (accepted by the platform in the test environment, code T, only)')
    .option('--wait <seconds>', 'then wait up to this long for the reply and fetch it')
    .action((file: string, opts: SftpSubmitCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../sftp-impl.ts')).sftpSubmit(ctx, file, opts)),
    );
  sftp
    .command('cancel')
    .argument('<name>', 'the FI (or GO) name of the submission to cancel')
    .description('Write the empty TD file of a submission whose GO the platform has not picked up yet')
    .action((name: string, _opts: object, cmd) =>
      runner(cmd, async (ctx) => (await import('../sftp-impl.ts')).sftpCancel(ctx, name)),
    );
  sftp
    .command('replies')
    .description(
      'Download the reply files (FO, CO) not fetched yet into sftp.repliesDir, atomically, each once',
    )
    .option('--wait <seconds>', 'poll until a reply arrives (for --for, else any new one), up to this long')
    .option('--for <name>', 'the FI name of the submission whose reply to wait for')
    .action((opts: SftpRepliesCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await import('../sftp-impl.ts')).sftpReplies(ctx, opts)),
    );
  sftp
    .command('ls')
    .argument('[path]', 'remote folder (default: the home folder)')
    .description('List a remote folder: name, size, modification time')
    .action((path: string | undefined, _opts: object, cmd) =>
      runner(cmd, async (ctx) => (await import('../sftp-impl.ts')).sftpLs(ctx, path)),
    );
};
