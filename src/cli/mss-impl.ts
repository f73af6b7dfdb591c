import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import type { MssImap, MssMessageSummary } from '../mss/index.ts';
import type {
  MssFetchCliOptions,
  MssListCliOptions,
  MssLoginCliOptions,
  MssMoveCliOptions,
  MssSendCliOptions,
  MssUidCliOptions,
} from './commands/mss.ts';
import type { CommandContext } from './context.ts';
import { type MssCliSession, mssSettings, openMssCliSession, tokenFileOf } from './mss-session.ts';
import { emit } from './output.ts';

const usage = (message: string, hint: string) => new PasserelleError('ERR_USAGE', message, { hint });

function wholeNumber(text: string | undefined, flag: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1 || Number(text) > max)
    throw usage(`${flag} must be a whole number from 1 to ${max}`, `For example ${flag} 10.`);
  return Number(text);
}
const uidOf = (text: string) => wholeNumber(text, '<uid>', 4_294_967_295) as number;

/** Opens a browser on a desktop (never required: the URL is printed anyway). */
function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no browser here: the printed URL is enough
  }
}

/** `passerelle mss login`: PSC authorization code flow with a loopback redirect; the session is stored 0600. */
export async function mssLogin(ctx: CommandContext, opts: MssLoginCliOptions): Promise<void> {
  const { env, mss } = await mssSettings(ctx);
  const timeoutMs = (wholeNumber(opts.timeout, '--timeout', 86_400) ?? 300) * 1000;
  const lib = await import('../mss/index.ts');
  const pscOptions = await lib.pscOptionsFromConfig(mss, {
    env: env.name,
    baseDir: env.baseDir,
    processEnv: ctx.processEnv,
    clock: ctx.clock,
  });
  const client = await lib.discoverPsc(pscOptions);
  try {
    const onUrl = (url: string) => {
      ctx.io.err(`Open this address to log in with Pro Santé Connect:\n  ${url}`);
      if (opts.browser) openBrowser(url);
    };
    const port = mss.psc?.redirectPort ?? 0;
    const tokens =
      opts.sandboxLogin === undefined
        ? await lib.loginWithLoopback({ client, port, timeoutMs, onUrl })
        : await (await import('../sandbox/psc/loopback-login.ts')).sandboxLoopbackLogin(
            client,
            opts.sandboxLogin,
            {
              ca: pscOptions.ca ?? '',
              port,
              timeoutMs,
            },
          );
    const file = tokenFileOf(env, mss);
    await lib.saveSession(file, tokens, {
      lastActivityAt: ctx.clock.now(),
      setting: `environments.${env.name}.mss.tokenFile`,
    });
    const session = new lib.MssSession({
      tokens,
      clock: ctx.clock,
      ...lib.sessionLimitsFromConfig(mss.session),
    });
    const state = session.state();
    emit(ctx.io, ctx.json, { mailbox: mss.mailbox, session: state, tokenFile: file }, () =>
      [
        `Logged in as RPPS ${state.rpps ?? '?'} (acr ${state.acr ?? '?'}) for ${mss.mailbox}`,
        `  token valid until ${state.tokenExpiresAt}${state.refreshable ? ', refreshed automatically' : ''}`,
        `  session closes after ${state.idleDeadline} if unused, at ${state.totalDeadline} at the latest`,
        `  kept in ${file} (mode 0600)`,
      ].join('\n'),
    );
  } finally {
    await client.close();
  }
}

/** `passerelle mss status`: the stored session's state, never a token. */
export async function mssStatus(ctx: CommandContext): Promise<void> {
  const { env, mss } = await mssSettings(ctx);
  const lib = await import('../mss/index.ts');
  const file = tokenFileOf(env, mss);
  const stored = await lib.loadSession(file, { setting: `environments.${env.name}.mss.tokenFile` });
  const state = new lib.MssSession({
    tokens: stored,
    clock: ctx.clock,
    ...lib.sessionLimitsFromConfig(mss.session),
  }).state();
  emit(ctx.io, ctx.json, { mailbox: mss.mailbox, session: state, tokenFile: file }, () =>
    [
      `${mss.mailbox}: session of RPPS ${state.rpps ?? '?'} logged in at ${state.loggedInAt}`,
      `  token valid until ${state.tokenExpiresAt}${state.refreshable ? ` (refreshable until ${state.refreshExpiresAt})` : ''}`,
      `  last used ${state.lastActivityAt}; closes at ${state.idleDeadline} if unused, at ${state.totalDeadline} at the latest`,
    ].join('\n'),
  );
}

/** `passerelle mss logout`: forgets the stored session. */
export async function mssLogout(ctx: CommandContext): Promise<void> {
  const { env, mss } = await mssSettings(ctx);
  const file = tokenFileOf(env, mss);
  await rm(file, { force: true });
  emit(ctx.io, ctx.json, { tokenFile: file, removed: true }, () => `Session forgotten (${file} removed)`);
}

async function withImap<T>(
  ctx: CommandContext,
  tokenFile: string | undefined,
  body: (imap: MssImap, s: MssCliSession) => Promise<T>,
): Promise<T> {
  const s = await openMssCliSession(ctx, { tokenFile });
  const { openMssImap } = await import('../mss/index.ts');
  try {
    const imap = await openMssImap(s.connection('imap'));
    try {
      return await body(imap, s);
    } finally {
      await imap.close();
    }
  } finally {
    await s.done();
  }
}

/** `passerelle mss send`. */
export async function mssSend(ctx: CommandContext, opts: MssSendCliOptions): Promise<void> {
  if (opts.text !== undefined && opts.textFile !== undefined)
    throw usage('Give --text or --text-file, not both', 'Keep one of them.');
  const text =
    opts.textFile === undefined ? opts.text : await readFile(resolve(ctx.cwd, opts.textFile), 'utf8');
  const s = await openMssCliSession(ctx, { tokenFile: opts.tokenFile });
  try {
    const { sendMssMessage } = await import('../mss/index.ts');
    const result = await sendMssMessage(s.connection('smtp'), {
      to: opts.to,
      ...(opts.cc ? { cc: opts.cc } : {}),
      subject: opts.subject,
      ...(text === undefined ? {} : { text }),
      attachments: (opts.attach ?? []).map((f) => ({ path: resolve(ctx.cwd, f) })),
      cda: (opts.cda ?? []).map((f) => resolve(ctx.cwd, f)),
      ...(opts.fin ? { fin: true } : {}),
      nil: s.mss.nil ?? 'PASSERELLE',
    });
    emit(ctx.io, ctx.json, { from: s.mss.mailbox, ...result }, () =>
      [
        `Sent ${result.messageId} from ${s.mss.mailbox}`,
        `  accepted: ${result.accepted.join(', ') || '-'}`,
        ...(result.rejected.length ? [`  rejected: ${result.rejected.join(', ')}`] : []),
      ].join('\n'),
    );
  } finally {
    await s.done();
  }
}

/** `passerelle mss folders`. */
export async function mssFolders(ctx: CommandContext, opts: MssUidCliOptions): Promise<void> {
  const folders = await withImap(ctx, opts.tokenFile, (imap) => imap.folders());
  emit(ctx.io, ctx.json, { folders }, () =>
    folders.map((f) => `${f.path}${f.specialUse ? `  ${f.specialUse}` : ''}`).join('\n'),
  );
}

const line = (m: MssMessageSummary) =>
  `${String(m.uid).padStart(6)}  ${m.date?.toISOString() ?? '-'}  ${m.flags.includes('\\Seen') ? ' ' : '*'} ${
    m.from.join(', ') || '-'
  }  ${m.subject}${m.attachments ? `  [${m.attachments} attachment${m.attachments > 1 ? 's' : ''}]` : ''}`;

/** `passerelle mss list`. */
export async function mssList(ctx: CommandContext, opts: MssListCliOptions): Promise<void> {
  const limit = wholeNumber(opts.limit, '--limit', 100_000);
  const folder = opts.folder ?? 'INBOX';
  const messages = await withImap(ctx, opts.tokenFile, (imap) =>
    imap.list({ folder, ...(opts.unseen ? { unseen: true } : {}), ...(limit ? { limit } : {}) }),
  );
  emit(ctx.io, ctx.json, { folder, messages }, () =>
    messages.length === 0
      ? `${folder}: no message`
      : [`${folder}: ${messages.length} message(s)`, ...messages.map(line)].join('\n'),
  );
}

/** `passerelle mss fetch UID --out DIR`. */
export async function mssFetch(
  ctx: CommandContext,
  uidText: string,
  opts: MssFetchCliOptions,
): Promise<void> {
  const uid = uidOf(uidText);
  const folder = opts.folder ?? 'INBOX';
  const result = await withImap(ctx, opts.tokenFile, async (imap) => {
    const fetched = await imap.fetchToDir(uid, resolve(ctx.cwd, opts.out), { folder });
    if (opts.markSeen) await imap.markSeen(uid, folder);
    return fetched;
  });
  emit(ctx.io, ctx.json, { uid, folder, ...result }, () =>
    [
      `Message ${uid} → ${result.messageFile}`,
      ...result.attachments.map((a) => `  ${a.file}  (${a.contentType}, ${a.size} bytes)`),
    ].join('\n'),
  );
}

/** `passerelle mss move UID --to FOLDER`. */
export async function mssMove(ctx: CommandContext, uidText: string, opts: MssMoveCliOptions): Promise<void> {
  const uid = uidOf(uidText);
  const folder = opts.folder ?? 'INBOX';
  await withImap(ctx, opts.tokenFile, (imap) => imap.move(uid, opts.to, folder));
  emit(
    ctx.io,
    ctx.json,
    { uid, folder, to: opts.to },
    () => `Message ${uid} moved from ${folder} to ${opts.to}`,
  );
}

/** `passerelle mss delete UID`. */
export async function mssDelete(ctx: CommandContext, uidText: string, opts: MssUidCliOptions): Promise<void> {
  const uid = uidOf(uidText);
  const folder = opts.folder ?? 'INBOX';
  await withImap(ctx, opts.tokenFile, (imap) => imap.delete(uid, folder));
  emit(ctx.io, ctx.json, { uid, folder, deleted: true }, () => `Message ${uid} deleted from ${folder}`);
}
