import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';
import { resolvePath } from '../config/paths.ts';
import { PasserelleError } from '../errors.ts';
import { validateInss } from '../pki/ids/inss.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';
import { DEFAULT_STATE_DIR } from './sandbox-impl.ts';

export interface SandboxInboxCliOptions {
  stateDir?: string;
  /** Download every document of the listed messages into this directory (marks them read). */
  download?: string;
}

interface InboxDocument {
  id: string;
  title: string;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  mainContent: boolean;
  href: string;
}
interface InboxMessage {
  id: string;
  status: string;
  subject: string;
  messageType: string;
  sender: { institution: string; application: string };
  channel: string;
  ticket?: string;
  sequence?: number;
  publishedAt: string;
  readAt: string | null;
  documents?: InboxDocument[];
}

/** The state directory of a running sandbox: --state-dir, the config's stateDir, the config file's own directory when it is a sandbox state directory, else ./.passerelle-sandbox. */
async function _stateDir(ctx: CommandContext, opts: SandboxInboxCliOptions): Promise<string> {
  if (opts.stateDir !== undefined) return resolve(ctx.cwd, opts.stateDir);
  const loaded = await ctx.config().catch(() => undefined);
  if (loaded?.config.stateDir) return resolvePath(loaded.baseDir, loaded.config.stateDir);
  if (loaded?.path !== undefined && existsSync(join(loaded.baseDir, 'sandbox.json'))) return loaded.baseDir;
  return resolve(ctx.cwd, DEFAULT_STATE_DIR);
}

function _unreachable(stateDir: string, cause?: unknown): PasserelleError {
  return new PasserelleError('ERR_SANDBOX_STATE', `No running sandbox answers from ${stateDir}`, {
    hint: 'Start the sandbox (`passerelle sandbox`) or name its state directory with --state-dir.',
    details: { stateDir },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * `passerelle sandbox ebox inbox INSS`: what a sandbox citizen received, read from the running
 * sandbox's console API (`/api/v1/ebox/`), over TLS trusting the sandbox CA only.
 */
export async function sandboxEboxInbox(
  ctx: CommandContext,
  inssInput: string,
  opts: SandboxInboxCliOptions,
): Promise<number> {
  const inss = validateInss(inssInput).inss;
  const stateDir = await _stateDir(ctx, opts);
  let info: { endpoints?: Record<string, string>; caFile?: string };
  try {
    info = JSON.parse(await readFile(join(stateDir, 'sandbox.json'), 'utf8'));
  } catch (error) {
    throw _unreachable(stateDir, error);
  }
  const base = info.endpoints?.['console'];
  if (base === undefined || info.caFile === undefined) throw _unreachable(stateDir);
  const dispatcher = new Agent({ connect: { ca: await readFile(info.caFile, 'utf8') } });
  const get = async (path: string) => {
    try {
      return await request(new URL(path, base), { dispatcher });
    } catch (error) {
      throw _unreachable(stateDir, error);
    }
  };
  const json = async <T>(path: string): Promise<T> => {
    const res = await get(path);
    const body = (await res.body.json()) as T & { detail?: string };
    if (res.statusCode !== 200)
      throw new PasserelleError(
        'ERR_SANDBOX_STATE',
        `The sandbox answered ${res.statusCode}: ${String(body.detail ?? '')}`,
        {
          hint: 'List the sandbox citizens with `curl` on /api/v1/ebox/citizens of the console, or see docs/guide.md.',
          details: { status: res.statusCode },
        },
      );
    return body;
  };
  try {
    const list = await json<{ messages: InboxMessage[] }>(`/api/v1/ebox/citizens/${inss}/messages`);
    const messages: InboxMessage[] = [];
    for (const m of list.messages)
      messages.push(await json<InboxMessage>(`/api/v1/ebox/citizens/${inss}/messages/${m.id}`));
    const saved: string[] = [];
    if (opts.download !== undefined) {
      const dir = resolve(ctx.cwd, opts.download);
      await mkdir(dir, { recursive: true });
      for (const m of messages)
        for (const d of m.documents ?? []) {
          const res = await get(d.href);
          if (res.statusCode !== 200) throw _unreachable(stateDir);
          const out = join(dir, `${m.id.slice(0, 8)}-${basename(d.fileName)}`);
          const part = `${out}.part`;
          try {
            await pipeline(Readable.from(res.body), createWriteStream(part, { flags: 'wx' }));
            await rename(part, out);
          } catch (error) {
            await rm(part, { force: true });
            throw new PasserelleError('ERR_FILE_UNWRITABLE', `Cannot write ${out}`, {
              details: { path: out, setting: '--download' },
              cause: error,
            });
          }
          saved.push(out);
        }
    }
    emit(ctx.io, ctx.json, { inss, messages, ...(opts.download === undefined ? {} : { saved }) }, () =>
      [
        `${inss}: ${messages.length} message(s)`,
        ...messages.flatMap((m) => [
          `  ${m.publishedAt}  ${m.status.padEnd(9)}  ${m.messageType}  "${m.subject}"  (${m.channel}, ${m.sender.institution} ${m.sender.application}${m.ticket === undefined ? '' : `, ticket ${m.ticket}`})`,
          ...(m.documents ?? []).map(
            (d) =>
              `      ${d.mainContent ? 'main ' : 'annex'} ${d.fileName}  ${d.mime}  ${d.size} bytes  sha256 ${d.sha256}`,
          ),
        ]),
        ...saved.map((s) => `  saved ${s}`),
      ].join('\n'),
    );
    return 0;
  } finally {
    await dispatcher.close();
  }
}
