import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialRef, credentialSetting } from '../../config/environment.ts';
import type { Credential } from '../../pki/credential.ts';
import { subjectDn } from '../../pki/dn.ts';
import { loadCredential } from '../../pki/load-credential.ts';
import {
  connectSftpEnvironment,
  type FetchedReply,
  fetchReplies,
  replyAnswers,
  type SftpSession,
  type SubmissionKey,
  signSubmissionFile,
  submissionDate,
  submissionFileName,
  submitFile,
} from '../../sftp/index.ts';
import { demoExpect } from '../_expect.ts';
import type { DemoContext, DemoStep } from '../step.ts';

/** A DmfA-like structured message: plain text, what an FI file holds (the content is not checked). */
const FI_CONTENT = (n: number) =>
  Array.from({ length: 2000 }, (_, i) => `DMFA;${n};line ${i + 1};0000123456;20261201\n`).join('');

async function _session<T>(ctx: DemoContext, body: (session: SftpSession) => Promise<T>): Promise<T> {
  const session = await connectSftpEnvironment(ctx.environment, { processEnv: {} });
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

const _signer = (ctx: DemoContext): Promise<Credential> =>
  loadCredential(credentialRef(ctx.environment, 'signing'), {
    baseDir: ctx.environment.baseDir,
    env: {},
    setting: credentialSetting(ctx.environment, 'signing'),
  });

const _settings = (ctx: DemoContext) => {
  const sftp = ctx.environment.sftp ?? {};
  demoExpect(
    sftp.sender !== undefined && sftp.app !== undefined,
    'the sandbox configuration names the SFTP sender',
  );
  return {
    sender: sftp.sender,
    app: sftp.app,
    environment: sftp.environmentCode ?? 'T',
    repliesDir: join(ctx.workDir, 'sftp-replies'),
  } as const;
};

async function _replyFor(ctx: DemoContext, session: SftpSession, key: SubmissionKey): Promise<FetchedReply> {
  const { fetched } = await fetchReplies(session, {
    repliesDir: _settings(ctx).repliesDir,
    wait: { timeoutMs: 30_000, pollMs: 100, forSubmission: key },
    clock: ctx.clock,
  });
  const reply = fetched.find((r) => replyAnswers(r.reply, key));
  demoExpect(reply !== undefined, 'the reply of the submission is fetched');
  return reply;
}

/**
 * Flow "SFTP batch" (issue 12): a signed submission (FI under a temporary name then renamed, its
 * CMS FS signature, the GO last) to the sandbox SFTP server over a pinned host key and the
 * partner's SSH key, its acknowledgement fetched (ACCEPTED); then a submission whose FS signs
 * other bytes, which the sandbox rejects with FS_INVALID.
 */
export function sftpSteps(): DemoStep[] {
  return [
    {
      id: 'sftp.submit',
      title: 'Submit a signed batch file over SFTP (FI, FS, GO last) and fetch its acknowledgement',
      async run(ctx) {
        const s = _settings(ctx);
        const file = join(ctx.workDir, 'dmfa.txt');
        writeFileSync(file, FI_CONTENT(1));
        const signer = await _signer(ctx);
        return _session(ctx, async (session) => {
          const submitted = await submitFile(session, {
            file,
            app: s.app,
            sender: s.sender,
            environment: s.environment,
            clock: ctx.clock,
            repliesDir: s.repliesDir,
            signer,
          });
          demoExpect(submitted.fs !== undefined, 'an FS signature was sent');
          const reply = await _replyFor(ctx, session, submitted.key);
          demoExpect(reply.status === 'ACCEPTED', 'the sandbox accepts the submission', {
            status: reply.status,
            ...(reply.reason?.code ? { reason: reply.reason.code } : {}),
          });
          const again = await fetchReplies(session, { repliesDir: s.repliesDir, clock: ctx.clock });
          demoExpect(again.fetched.length === 0, 'a reply is never fetched twice');
          return {
            checks: [
              `host key pinned (${session.hostKeyFingerprint}), public-key login`,
              `${submitted.fi}: ${submitted.bytes} bytes, renamed from .part once complete`,
              `FS (CMS detached, ${subjectDn(signer.certificate)}) then GO last`,
              `${reply.name}: ACCEPTED, downloaded atomically, not fetched twice`,
            ],
          };
        });
      },
    },
    {
      id: 'sftp.bad-signature',
      title: 'A submission whose FS signs other bytes is rejected with FS_INVALID',
      dependsOn: ['sftp.submit'],
      async run(ctx) {
        const s = _settings(ctx);
        const signer = await _signer(ctx);
        const inDir = ctx.environment.sftp?.inDir ?? 'IN';
        return _session(ctx, async (session) => {
          const key: SubmissionKey = {
            app: s.app,
            sender: s.sender,
            date: submissionDate(new Date(ctx.clock.now())),
            sequence: '90001',
            environment: s.environment,
          };
          const fi = join(ctx.workDir, 'dmfa-2.txt');
          writeFileSync(fi, FI_CONTENT(2));
          const other = join(ctx.workDir, 'dmfa-2-other.txt');
          writeFileSync(other, FI_CONTENT(3));
          const fs = join(ctx.workDir, 'dmfa-2.fs');
          writeFileSync(
            fs,
            await signSubmissionFile(other, { signer, signingTime: new Date(ctx.clock.now()) }),
          );
          await session.upload(fi, `${inDir}/${submissionFileName('FI', key)}`);
          await session.upload(fs, `${inDir}/${submissionFileName('FS', key)}`);
          await session.writeEmpty(`${inDir}/${submissionFileName('GO', key)}`);
          const reply = await _replyFor(ctx, session, key);
          demoExpect(
            reply.status === 'REJECTED' && reply.reason?.code === 'FS_INVALID',
            'the sandbox rejects the submission with FS_INVALID',
            { status: reply.status, reason: reply.reason?.code ?? '' },
          );
          return {
            checks: [
              `${submissionFileName('FI', key)} with an FS over other bytes`,
              `${reply.name}: REJECTED ${reply.reason?.code}${reply.reason?.text ? ` (${reply.reason.text})` : ''}`,
            ],
          };
        });
      },
    },
  ];
}
