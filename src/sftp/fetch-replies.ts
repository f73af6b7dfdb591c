import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { type Logger, silentLogger } from '../log.ts';
import { _sha256Local } from './_integrity.ts';
import { _withLock } from './_lock.ts';
import { _readAcknowledgement, type ReplyStatus } from './acknowledgement.ts';
import { type _LedgerData, _readLedger, _writeLedger, type LedgerReply } from './ledger.ts';
import type { SubmissionKey } from './names.ts';
import { parseReplyFileName, type ReplyFileName, replyAnswers } from './reply-names.ts';
import type { SftpSession, TransferProgress } from './session.ts';

export interface FetchRepliesOptions {
  /** Local folder the replies are downloaded to; it holds the record. */
  readonly repliesDir: string;
  /** Remote folder; default `OUT`. */
  readonly outDir?: string;
  /** Poll until a reply for `forSubmission` (or, without it, any new reply) is fetched. */
  readonly wait?: {
    readonly timeoutMs: number;
    readonly pollMs?: number;
    readonly forSubmission?: SubmissionKey;
  };
  /** Gives fetchedAt; default system clock (waiting uses real time). */
  readonly clock?: Clock;
  readonly onProgress?: (name: string, progress: TransferProgress) => void;
  readonly logger?: Logger;
}

/** One reply fetched by this call. */
export interface FetchedReply extends ReplyStatus {
  readonly name: string;
  /** Local path of the downloaded file. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly fetchedAt: string;
  /** Sender, date, sequence and environment of the submission it answers. */
  readonly reply: ReplyFileName;
  /** The FI name of that submission when the record knows it. */
  readonly submission?: string;
}

export interface FetchRepliesResult {
  readonly fetched: readonly FetchedReply[];
  /** Replies on the server fetched by an earlier call. */
  readonly alreadyFetched: number;
}

async function fetchOnce(session: SftpSession, ledger: _LedgerData, options: FetchRepliesOptions) {
  const { repliesDir, outDir = 'OUT', clock = systemClock, onProgress, logger = silentLogger } = options;
  const known = new Set(ledger.replies.map((r) => r.name));
  const fetched: FetchedReply[] = [];
  let alreadyFetched = 0;
  for (const entry of await session.list(outDir)) {
    const reply = entry.type === 'file' ? parseReplyFileName(entry.name) : undefined;
    if (!reply) continue;
    if (known.has(reply.name)) {
      alreadyFetched++;
      continue;
    }
    const path = join(repliesDir, reply.name);
    const remote = `${outDir.replace(/\/+$/, '')}/${reply.name}`;
    const existing = await stat(path).catch(() => undefined);
    let sha256: string;
    if (existing?.isFile() && existing.size === entry.size) {
      // Downloaded by a run that stopped before recording it: the final name is only ever complete.
      sha256 = (await _sha256Local(path)).sha256;
      logger.info({ name: reply.name }, 'SFTP reply already downloaded, recorded now');
    } else {
      sha256 = (
        await session.download(
          remote,
          path,
          onProgress ? { onProgress: (p) => onProgress(reply.name, p) } : {},
        )
      ).sha256;
    }
    const submission = ledger.submissions.find((s) => replyAnswers(reply, s.key))?.fi;
    const record: LedgerReply = {
      name: reply.name,
      size: entry.size,
      sha256,
      fetchedAt: new Date(clock.now()).toISOString(),
      ...(submission ? { submission } : {}),
    };
    ledger.replies.push(record);
    known.add(reply.name);
    await _writeLedger(repliesDir, ledger);
    const status =
      entry.size <= 1024 * 1024 ? _readAcknowledgement(await readFile(path)) : { status: 'unknown' as const };
    fetched.push({ ...status, ...record, path, reply });
  }
  return { fetched, alreadyFetched };
}

/**
 * Fetches the platform's replies (`FO.*` / `CO.*` names in `outDir`) not fetched before: each is
 * downloaded atomically into `repliesDir` and recorded (name, size, SHA-256, fetchedAt), so a
 * reply is never fetched twice — a complete local file left by a crash before recording counts
 * as fetched. With `wait`, polls until a reply for `wait.forSubmission` arrives (immediately
 * done when the record already has one), else ERR_SFTP_REPLY_TIMEOUT. Each round holds the lock
 * of `repliesDir` (another process holding it: ERR_FILE_UNWRITABLE, details.pid); waiting does not.
 */
export async function fetchReplies(
  session: SftpSession,
  options: FetchRepliesOptions,
): Promise<FetchRepliesResult> {
  const { repliesDir, wait, clock = systemClock } = options;
  await mkdir(repliesDir, { recursive: true });
  const target = wait?.forSubmission;
  // The record is locked per round (read, fetch, record), not while waiting between rounds.
  const round = (first: boolean) =>
    _withLock(repliesDir, clock, async () => {
      const ledger = await _readLedger(repliesDir);
      const answered =
        first &&
        target !== undefined &&
        ledger.replies.some((r) => {
          const n = parseReplyFileName(r.name);
          return n !== undefined && replyAnswers(n, target);
        });
      return { answered, ...(await fetchOnce(session, ledger, options)) };
    });
  const deadline = performance.now() + (wait?.timeoutMs ?? 0);
  const first = await round(true);
  if (first.answered) return { fetched: first.fetched, alreadyFetched: first.alreadyFetched };
  const fetched: FetchedReply[] = [];
  for (let n = 0; ; n++) {
    const result = n === 0 ? first : await round(false);
    fetched.push(...result.fetched);
    const done = !wait || (target ? fetched.some((r) => replyAnswers(r.reply, target)) : fetched.length > 0);
    if (done) return { fetched, alreadyFetched: result.alreadyFetched };
    const left = deadline - performance.now();
    if (left <= 0)
      throw new PasserelleError(
        'ERR_SFTP_REPLY_TIMEOUT',
        `No reply${target ? ` for sequence ${target.sequence} of ${target.date}` : ''} within ${Math.round(wait.timeoutMs / 1000)} s`,
        {
          details: {
            timeoutMs: wait.timeoutMs,
            ...(target ? { sequence: target.sequence, date: target.date } : {}),
          },
        },
      );
    await new Promise((r) => setTimeout(r, Math.min(wait.pollMs ?? 2000, left)));
  }
}
