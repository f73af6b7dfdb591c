import { collect, type RegisterCommand } from './_types.ts';
import { registerMssConformance } from './mss-conformance.ts';

export interface MssLoginCliOptions {
  /** Commander's negation of `--no-browser`. */
  browser: boolean;
  sandboxLogin?: string;
  timeout?: string;
}
export interface MssSendCliOptions {
  to: string[];
  cc?: string[];
  subject: string;
  text?: string;
  textFile?: string;
  attach?: string[];
  cda?: string[];
  fin?: boolean;
  tokenFile?: string;
}
export interface MssListCliOptions {
  folder?: string;
  unseen?: boolean;
  limit?: string;
  tokenFile?: string;
}
export interface MssFetchCliOptions {
  folder?: string;
  out: string;
  markSeen?: boolean;
  tokenFile?: string;
}
export interface MssMoveCliOptions {
  folder?: string;
  to: string;
  tokenFile?: string;
}
export interface MssUidCliOptions {
  folder?: string;
  tokenFile?: string;
}

const TOKEN_FILE =
  'a file holding a PSC access token the application obtained itself (used until it expires; never on the command line)';
const impl = () => import('../mss-impl.ts');

export const registerMss: RegisterCommand = (program, runner) => {
  const mss = program
    .command('mss')
    .description(
      'MSSanté API LPS: Pro Santé Connect login, then IMAP and SMTP with XOAUTH2 (or a client certificate) on the operator',
    );
  mss
    .command('login')
    .description(
      'Log in with Pro Santé Connect (authorization code + PKCE, acr eidas1, loopback redirect) and keep the session in mss.tokenFile',
    )
    .option('--no-browser', 'only print the login URL (default: also open it in a browser on a desktop)')
    .option(
      '--sandbox-login <rpps>',
      'sandbox only: choose this test professional on the sandbox login page, no browser',
    )
    .option('--timeout <seconds>', 'how long to wait for the browser to come back (default 300)')
    .action((opts: MssLoginCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await impl()).mssLogin(ctx, opts)),
    );
  mss
    .command('status')
    .description(
      'Show the stored session: professional, token expiry, idle and total deadlines (never a token)',
    )
    .action((_o: object, cmd) => runner(cmd, async (ctx) => (await impl()).mssStatus(ctx)));
  mss
    .command('logout')
    .description('Forget the stored session (delete mss.tokenFile)')
    .action((_o: object, cmd) => runner(cmd, async (ctx) => (await impl()).mssLogout(ctx)));
  mss
    .command('send')
    .description(
      'Send a message from the configured mailbox, with X-MSS-NIL (and X-MSS-CODECDA/X-MSS-INS with --cda)',
    )
    .requiredOption('--to <address>', 'recipient (repeat for several)', collect)
    .option('--cc <address>', 'copy recipient (repeat for several)', collect)
    .requiredOption('--subject <text>', 'subject')
    .option('--text <text>', 'body text')
    .option('--text-file <file>', 'body text from a UTF-8 file')
    .option('--attach <file>', 'attachment, streamed (repeat for several)', collect)
    .option(
      '--cda <file>',
      'HL7 CDA document, packed in the IHE_XDM.ZIP attachment (repeat for several)',
      collect,
    )
    .option('--fin', 'X-MSS-MES: FIN (a message to a patient that must not be answered)')
    .option('--token-file <file>', TOKEN_FILE)
    .action((opts: MssSendCliOptions, cmd) => runner(cmd, async (ctx) => (await impl()).mssSend(ctx, opts)));
  mss
    .command('folders')
    .description('List the folders of the mailbox')
    .option('--token-file <file>', TOKEN_FILE)
    .action((opts: MssUidCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await impl()).mssFolders(ctx, opts)),
    );
  mss
    .command('list')
    .description('List the messages of a folder: UID, date, sender, subject, attachments, MSSanté headers')
    .option('--folder <name>', 'folder (default INBOX)')
    .option('--unseen', 'only messages not read yet')
    .option('--limit <n>', 'at most this many, the newest')
    .option('--token-file <file>', TOKEN_FILE)
    .action((opts: MssListCliOptions, cmd) => runner(cmd, async (ctx) => (await impl()).mssList(ctx, opts)));
  mss
    .command('fetch')
    .argument('<uid>', 'the UID of the message (mss list shows them)')
    .description('Write a message (<uid>.eml) and each attachment, decoded, into a folder; never overwrites')
    .requiredOption('--out <dir>', 'folder to write to (created if missing)')
    .option('--folder <name>', 'folder (default INBOX)')
    .option('--mark-seen', 'then mark it read')
    .option('--token-file <file>', TOKEN_FILE)
    .action((uid: string, opts: MssFetchCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await impl()).mssFetch(ctx, uid, opts)),
    );
  mss
    .command('move')
    .argument('<uid>', 'the UID of the message')
    .requiredOption('--to <folder>', 'destination folder')
    .option('--folder <name>', 'folder it is in (default INBOX)')
    .option('--token-file <file>', TOKEN_FILE)
    .description('Move a message to another folder')
    .action((uid: string, opts: MssMoveCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await impl()).mssMove(ctx, uid, opts)),
    );
  mss
    .command('delete')
    .argument('<uid>', 'the UID of the message')
    .option('--folder <name>', 'folder it is in (default INBOX)')
    .option('--token-file <file>', TOKEN_FILE)
    .description('Delete a message (flag \\Deleted, then expunge that message only)')
    .action((uid: string, opts: MssUidCliOptions, cmd) =>
      runner(cmd, async (ctx) => (await impl()).mssDelete(ctx, uid, opts)),
    );
  registerMssConformance(mss, runner);
};
