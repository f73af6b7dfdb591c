import { resolve } from 'node:path';
import { credentialRef, credentialSetting, type ResolvedEnvironment } from '../config/environment.ts';
import { resolvePath } from '../config/paths.ts';
import { PasserelleError } from '../errors.ts';
import { checkInputFile } from '../input-file.ts';
import type { Logger } from '../log.ts';
import { loadCredential } from '../pki/load-credential.ts';
import type { FetchedReply, SftpSession } from '../sftp/index.ts';
import type { SftpRepliesCliOptions, SftpSubmitCliOptions } from './commands/sftp.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';
import { createProgress } from './progress.ts';

function usageError(message: string, hint: string): PasserelleError {
  return new PasserelleError('ERR_USAGE', message, { hint });
}

/** `--wait <seconds>` as milliseconds: a whole number from 1 to 86400. */
function waitMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 86_400)
    throw usageError('--wait must be a whole number of seconds from 1 to 86400', 'For example --wait 60.');
  return Number(text) * 1000;
}

/** Warnings of the SFTP client (a key file readable by others) on stderr; never secrets. */
function stderrLogger(ctx: CommandContext): Logger {
  const ignore = () => {};
  return {
    debug: ignore,
    info: ignore,
    warn: (fields, msg) =>
      ctx.io.err(`warning: ${msg}${fields['file'] ? ` (${String(fields['file'])})` : ''}`),
    error: ignore,
  };
}

const repliesDir = (env: ResolvedEnvironment) =>
  resolvePath(env.baseDir, env.sftp?.repliesDir ?? './sftp-replies');

/** The environment code of the names: the configured one, else R in prod and T elsewhere. */
const environmentCode = (env: ResolvedEnvironment): 'R' | 'T' =>
  env.sftp?.environmentCode ?? (env.name === 'prod' ? 'R' : 'T');

async function withSession<T>(
  ctx: CommandContext,
  body: (
    session: SftpSession,
    env: ResolvedEnvironment,
    lib: typeof import('../sftp/index.ts'),
  ) => Promise<T>,
): Promise<T> {
  const env = await ctx.environment();
  const lib = await import('../sftp/index.ts');
  const session = await lib.connectSftpEnvironment(env, {
    logger: stderrLogger(ctx),
    processEnv: ctx.processEnv,
  });
  try {
    return await body(session, env, lib);
  } finally {
    await session.close();
  }
}

const describeReply = (r: FetchedReply) =>
  `${r.name}  ${r.status}${r.reason?.code ? ` ${r.reason.code}` : ''}${r.reason?.text ? `: ${r.reason.text}` : ''}\n  → ${r.path}`;

const replyJson = (r: FetchedReply) => ({
  name: r.name,
  path: r.path,
  size: r.size,
  sha256: r.sha256,
  status: r.status,
  ...(r.reason ? { reason: r.reason } : {}),
  ...(r.submission ? { submission: r.submission } : {}),
});

/** `passerelle sftp submit FILE`: FI, FS, then GO; optionally waits for the reply. */
export async function sftpSubmit(
  ctx: CommandContext,
  file: string,
  opts: SftpSubmitCliOptions,
): Promise<number> {
  const path = resolve(ctx.cwd, file);
  const size = await checkInputFile(path, { what: 'file to submit', setting: '<file>' });
  const wait = waitMs(opts.wait);
  const env = await ctx.environment();
  const app = opts.app ?? env.sftp?.app;
  const sender = opts.sender ?? env.sftp?.sender;
  if (app === undefined)
    throw usageError(
      'No application code',
      `Give --app (e.g. DMFA) or set environments.${env.name}.sftp.app.`,
    );
  if (sender === undefined)
    throw usageError('No sender number', `Give --sender or set environments.${env.name}.sftp.sender.`);
  const code = environmentCode(env);
  if (!opts.sign && code === 'R')
    throw usageError(
      '--no-sign is refused for the real environment (code R): the platform requires the FS signature there',
      'Drop --no-sign; the FS is signed with credentials.signing.',
    );
  const signer = opts.sign
    ? await loadCredential(credentialRef(env, 'signing'), {
        baseDir: env.baseDir,
        env: ctx.processEnv,
        setting: credentialSetting(env, 'signing'),
      })
    : undefined;
  const progress = createProgress(ctx, `FI ${file}`, size);
  let shown = 0;
  const onProgress = (p: { readonly bytes: number }) => {
    progress?.add(p.bytes - shown);
    shown = p.bytes;
  };
  const dir = repliesDir(env);
  const result = await withSession(ctx, async (session, _env, lib) => {
    const submitted = await lib.submitFile(session, {
      file: path,
      app,
      sender,
      environment: code,
      ...(opts.sequence === undefined ? {} : { sequence: opts.sequence }),
      clock: ctx.clock,
      ...(env.sftp?.inDir ? { inDir: env.sftp.inDir } : {}),
      repliesDir: dir,
      ...(signer ? { signer } : {}),
      ...(env.sftp?.signature ? { signature: env.sftp.signature } : {}),
      ...(progress ? { onProgress } : {}),
      logger: stderrLogger(ctx),
    });
    progress?.done();
    const replies =
      wait === undefined
        ? undefined
        : await lib.fetchReplies(session, {
            repliesDir: dir,
            ...(env.sftp?.outDir ? { outDir: env.sftp.outDir } : {}),
            wait: { timeoutMs: wait, forSubmission: submitted.key },
            clock: ctx.clock,
          });
    return { submitted, reply: replies?.fetched.find((r) => lib.replyAnswers(r.reply, submitted.key)) };
  });
  const { submitted, reply } = result;
  emit(
    ctx.io,
    ctx.json,
    {
      fi: submitted.fi,
      fs: submitted.fs ?? null,
      go: submitted.go,
      bytes: submitted.bytes,
      sha256: submitted.sha256,
      resumedFrom: submitted.resumedFrom,
      restarted: submitted.restarted,
      ...(reply ? { reply: replyJson(reply) } : {}),
    },
    () =>
      [
        `submitted ${submitted.fi} (${submitted.bytes} bytes${submitted.resumedFrom > 0 ? `, resumed at ${submitted.resumedFrom}` : ''}${submitted.restarted ? ', restarted from zero' : ''})`,
        submitted.fs ? `  signature ${submitted.fs}` : '  no signature (--no-sign)',
        `  trigger   ${submitted.go}`,
        ...(reply ? [`reply ${describeReply(reply)}`] : []),
      ].join('\n'),
  );
  return reply && reply.status !== 'ACCEPTED' && reply.status !== 'unknown' ? 1 : 0;
}

/** `passerelle sftp cancel NAME`: the TD file of a submission still waiting. */
export async function sftpCancel(ctx: CommandContext, name: string): Promise<void> {
  const { td } = await withSession(ctx, (session, env, lib) =>
    lib.cancelSubmission(session, name, {
      ...(env.sftp?.inDir ? { inDir: env.sftp.inDir } : {}),
      repliesDir: repliesDir(env),
      clock: ctx.clock,
    }),
  );
  emit(ctx.io, ctx.json, { td }, () => `cancel requested: ${td} (the reply says whether it was in time)`);
}

/** `passerelle sftp replies`: new reply files, each downloaded once. */
export async function sftpReplies(ctx: CommandContext, opts: SftpRepliesCliOptions): Promise<void> {
  const wait = waitMs(opts.wait);
  if (opts.for !== undefined && wait === undefined)
    throw usageError('--for needs --wait', 'Give --wait SECONDS with --for NAME.');
  const result = await withSession(ctx, (session, env, lib) => {
    const forSubmission = opts.for === undefined ? undefined : lib.parseSubmissionFileName(opts.for).key;
    return lib.fetchReplies(session, {
      repliesDir: repliesDir(env),
      ...(env.sftp?.outDir ? { outDir: env.sftp.outDir } : {}),
      ...(wait === undefined
        ? {}
        : { wait: { timeoutMs: wait, ...(forSubmission ? { forSubmission } : {}) } }),
      clock: ctx.clock,
    });
  });
  emit(
    ctx.io,
    ctx.json,
    { fetched: result.fetched.map(replyJson), alreadyFetched: result.alreadyFetched },
    () =>
      [
        ...result.fetched.map(describeReply),
        `${result.fetched.length} new repl${result.fetched.length === 1 ? 'y' : 'ies'}, ${result.alreadyFetched} fetched before`,
      ].join('\n'),
  );
}

/** `passerelle sftp ls [PATH]`. */
export async function sftpLs(ctx: CommandContext, path: string | undefined): Promise<void> {
  const entries = await withSession(ctx, (session) => session.list(path ?? '.'));
  emit(
    ctx.io,
    ctx.json,
    {
      path: path ?? '.',
      entries: entries.map((e) => ({
        name: e.name,
        type: e.type,
        size: e.size,
        mtime: e.mtime.toISOString(),
      })),
    },
    () =>
      entries.length === 0
        ? '(empty)'
        : entries
            .map(
              (e) =>
                `${e.type === 'directory' ? 'd' : '-'} ${String(e.size).padStart(12)}  ${e.mtime.toISOString()}  ${e.name}`,
            )
            .join('\n'),
  );
}
