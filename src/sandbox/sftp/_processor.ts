import type { X509Certificate } from 'node:crypto';
import { lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, isoNow } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import {
  parseSubmissionFileName,
  type SubmissionKey,
  submissionDate,
  submissionFileName,
  validateSubmissionKey,
} from '../../sftp/names.ts';
import { replyFileName } from '../../sftp/reply-names.ts';
import type { _Account } from './_account.ts';
import { _checkSubmission, type _Verdict } from './_check.ts';
import { type _Reply, _writeReply } from './_reply.ts';
import type { _SftpStats } from './_stats.ts';

export interface _ProcessorOptions {
  readonly clock: Clock;
  readonly log: Logger;
  readonly stats: _SftpStats;
  /** Between a GO and the reply, ms (a real timer; timestamps come from the clock). */
  readonly replyDelayMs: number;
  /** The certificate an FS must be signed with (the partner's signing certificate, pinned). */
  readonly signer: X509Certificate;
}

interface _Pending {
  readonly account: _Account;
  readonly key: SubmissionKey;
  readonly go: string;
  readonly receivedAt: string;
  readonly timer: NodeJS.Timeout;
}

/** A reply key for a trigger whose name does not parse: each usable part kept, neutral ones else. */
function fallbackKey(name: string, account: _Account, now: Date): SubmissionKey {
  const [, , sender, date, sequence, environment] = name.split('.');
  const given: Partial<Record<keyof SubmissionKey, string | undefined>> = {
    sender,
    date,
    sequence,
    environment,
  };
  let key: SubmissionKey = {
    app: 'NONE',
    sender: account.sender,
    date: submissionDate(now),
    sequence: '00000',
    environment: 'T',
  };
  for (const [field, value] of Object.entries(given)) {
    const candidate = { ...key, [field]: value } as SubmissionKey;
    try {
      validateSubmissionKey(candidate);
      key = candidate;
    } catch {
      // keep the neutral part
    }
  }
  return key;
}

/**
 * The platform side of submissions. A `GO.<…>.1` written or renamed into IN/ schedules a check
 * after `replyDelayMs`; then FI, FS and GO leave IN/ (picked up) and `OUT/FO.ACRF.<…>` holds the
 * acknowledgement (ACCEPTED, or REJECTED with a reason code). A `TD.<…>.1` before that cancels:
 * the files are removed and the reply says CANCELLED. A TD with only FI/FS present (no GO yet)
 * cancels those; a TD with nothing to cancel is removed and logged.
 */
export class _SubmissionProcessor {
  readonly #pending = new Map<string, _Pending>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(private readonly o: _ProcessorOptions) {}

  /** Submissions waiting for their delay. */
  get pending(): number {
    return this.#pending.size;
  }

  /** A file of `account`'s IN/ was completed under `name`. */
  notify(account: _Account, name: string): void {
    if (this.#closed || !/^(GO|TD)\./.test(name)) return;
    const receivedAt = isoNow(this.o.clock);
    let key: SubmissionKey;
    let kind: string;
    try {
      ({ kind, key } = parseSubmissionFileName(name));
    } catch {
      this.#track(
        this.#finish(account, name, fallbackKey(name, account, new Date(this.o.clock.now())), [name], {
          submission: name,
          status: 'REJECTED',
          reason: { code: 'NAME_INVALID', text: `${name} does not follow the submission naming` },
          receivedAt,
        }),
      );
      return;
    }
    const id = `${account.user}/${submissionFileName('GO', key)}`;
    if (kind === 'GO') {
      if (this.#pending.has(id)) return;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#track(this.#decide(account, key, name, receivedAt));
      }, this.o.replyDelayMs);
      this.#pending.set(id, { account, key, go: name, receivedAt, timer });
      this.o.log.info(
        { account: account.user, go: name, delayMs: this.o.replyDelayMs },
        'submission triggered',
      );
      return;
    }
    const waiting = this.#pending.get(id);
    if (waiting !== undefined) {
      clearTimeout(waiting.timer);
      this.#pending.delete(id);
    }
    this.#track(this.#cancel(account, key, name, receivedAt, waiting !== undefined));
  }

  async #decide(account: _Account, key: SubmissionKey, go: string, receivedAt: string): Promise<void> {
    let verdict: _Verdict;
    try {
      verdict = await _checkSubmission(account, key, {
        signer: this.o.signer,
        at: new Date(this.o.clock.now()),
      });
    } catch (error) {
      this.o.log.error(
        { account: account.user, go, error: (error as Error).message },
        'submission check failed',
      );
      verdict = { accepted: false, code: 'FS_MALFORMED', text: 'the submission could not be checked' };
    }
    await this.#finish(account, go, key, this.#files(key, go), {
      submission: submissionFileName('FI', key),
      status: verdict.accepted ? 'ACCEPTED' : 'REJECTED',
      reason: verdict.accepted ? undefined : { code: verdict.code, text: verdict.text },
      receivedAt,
    });
  }

  async #cancel(
    account: _Account,
    key: SubmissionKey,
    td: string,
    receivedAt: string,
    hadGo: boolean,
  ): Promise<void> {
    const fi = submissionFileName('FI', key);
    const present =
      hadGo ||
      (await this.#exists(account, fi)) ||
      (await this.#exists(account, submissionFileName('FS', key)));
    if (!present) {
      await unlink(join(account.area('IN'), td)).catch(() => undefined);
      this.o.log.warn({ account: account.user, td }, 'cancel of no waiting submission: TD removed');
      return;
    }
    await this.#finish(account, td, key, [...this.#files(key, submissionFileName('GO', key)), td], {
      submission: fi,
      status: 'CANCELLED',
      receivedAt,
    });
  }

  #files(key: SubmissionKey, go: string): string[] {
    return [submissionFileName('FI', key), submissionFileName('FS', key), go];
  }

  async #exists(account: _Account, name: string): Promise<boolean> {
    return (await lstat(join(account.area('IN'), name)).catch(() => undefined)) !== undefined;
  }

  /** Removes the submission's files (not one still being written) and writes the reply. */
  async #finish(
    account: _Account,
    trigger: string,
    key: SubmissionKey,
    files: readonly string[],
    reply: _Reply,
  ): Promise<void> {
    for (const name of files) {
      const path = join(account.area('IN'), name);
      if (!account.isBeingWritten(path)) await unlink(path).catch(() => undefined);
    }
    await account.refresh();
    const name = replyFileName('ACRF', key);
    await _writeReply(account.area('OUT'), name, reply);
    this.o.stats.bump(`submissions.${reply.status.toLowerCase()}`);
    this.o.log[reply.status === 'ACCEPTED' ? 'info' : 'warn'](
      { account: account.user, trigger, reply: name, status: reply.status, reason: reply.reason?.code },
      'submission answered',
    );
  }

  #track(work: Promise<void>): void {
    const p = work
      .catch((error: unknown) => {
        this.o.log.error({ error: (error as Error).message }, 'submission processing failed');
      })
      .finally(() => this.#running.delete(p));
    this.#running.add(p);
  }

  /** Cancels the waiting delays and waits for the checks in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
    await Promise.all([...this.#running]);
  }
}
