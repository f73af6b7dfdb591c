import type { X509Certificate } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PasserelleError } from '../errors.ts';
import { checkInputFile } from '../input-file.ts';
import { mtomDownload } from '../services/mtom/download.ts';
import { generatedDigest } from '../services/mtom/generated-digest.ts';
import { mtomUpload } from '../services/mtom/upload.ts';
import { signerSummary, withServiceContext } from './call-session.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';
import { createProgress } from './progress.ts';

export interface MtomUploadCliOptions {
  file: string[];
  contentType?: string;
}

export interface MtomDownloadCliOptions {
  size: string;
  out: string;
  seed: string;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function parseSize(text: string): number {
  const m = /^(\d+)\s*([kKmMgG]?)$/.exec(text.trim());
  const size = m ? Number(m[1]) * UNITS[m[2]!.toLowerCase()]! : Number.NaN;
  if (!Number.isSafeInteger(size))
    throw new PasserelleError(
      'ERR_USAGE',
      `Invalid --size ${JSON.stringify(text)}: give bytes, e.g. 1048576 or 1M`,
      { hint: 'Give --size a whole number of bytes, optionally followed by k, M or G (powers of 1024).' },
    );
  return size;
}

export async function callMtomUpload(ctx: CommandContext, opts: MtomUploadCliOptions): Promise<number> {
  const files = opts.file.map((f) => ({
    path: resolve(ctx.cwd, f),
    ...(opts.contentType ? { contentType: opts.contentType } : {}),
  }));
  // Every file is checked before the credentials are loaded or anything is sent.
  let total = 0;
  for (const f of files) total += await checkInputFile(f.path, { what: 'file to upload', setting: '--file' });
  const progress = createProgress(ctx, 'mtom:upload', total);
  const { env, result } = await withServiceContext(ctx, async (services) => ({
    env: services.environment,
    result: await mtomUpload(services, {
      files,
      ...(progress === undefined ? {} : { onProgress: (bytes: number) => progress.add(bytes) }),
    }),
  })).finally(() => progress?.done());
  const value = {
    operation: 'mtom:upload',
    env,
    documents: result.documents,
    replySigner: signerSummary(result.replySigner),
  };
  emit(ctx.io, ctx.json, value, () =>
    [
      `mtom:upload on ${env}: ok (signature over the attachments verified by the receiver)`,
      ...result.documents.map((d) => `  ${d.name}  ${d.size} bytes  sha256 ${d.sha256}`),
      `  reply signed by  ${value.replySigner?.subject ?? '(unsigned reply)'}`,
    ].join('\n'),
  );
  return 0;
}

/** ERR_FILE_UNWRITABLE for the --out file (or its .part), with the errno code, never Node's text. */
function unwritable(path: string, cause: unknown): PasserelleError {
  const errno = (cause as NodeJS.ErrnoException)?.code;
  return new PasserelleError('ERR_FILE_UNWRITABLE', `Cannot write ${path}`, {
    hint: 'Check the --out path: its directory must exist and be writable by this user, and it must not be a directory.',
    details: { path, setting: '--out', ...(typeof errno === 'string' ? { errno } : {}) },
    cause,
  });
}

export async function callMtomDownload(ctx: CommandContext, opts: MtomDownloadCliOptions): Promise<number> {
  const size = parseSize(opts.size);
  const out = resolve(ctx.cwd, opts.out);
  const partial = `${out}.part`;
  // The .part file is created before anything is asked, so that a bad --out fails first.
  let handle: FileHandle;
  try {
    handle = await open(partial, 'w', 0o600);
  } catch (cause) {
    throw unwritable(partial, cause);
  }
  const progress = createProgress(ctx, 'mtom:download', size);
  let env: string;
  let got: { size: number; sha256: string };
  let signer: X509Certificate | undefined;
  try {
    ({ env, got, signer } = await withServiceContext(ctx, async (services) => {
      const download = await mtomDownload(services, { size, seed: opts.seed });
      try {
        const file = handle.createWriteStream();
        await (progress === undefined
          ? pipeline(download.stream, file)
          : pipeline(download.stream, progress.counter(), file));
        const received = await download.done();
        return { env: services.environment, got: received, signer: download.replySigner };
      } catch (error) {
        await download.close();
        throw error;
      }
    }));
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  } finally {
    progress?.done();
  }
  const expected = await generatedDigest(opts.seed, size);
  if (got.sha256 !== expected) {
    await rm(partial, { force: true });
    throw new PasserelleError(
      'ERR_SOAP_UNEXPECTED_RESPONSE',
      'The downloaded content is not the generated content asked for',
      {
        details: { sha256: got.sha256, expected },
      },
    );
  }
  try {
    await rename(partial, out);
  } catch (cause) {
    await rm(partial, { force: true });
    throw unwritable(out, cause);
  }
  const value = {
    operation: 'mtom:download',
    env,
    file: out,
    size: got.size,
    sha256: got.sha256,
    replySigner: signerSummary(signer),
  };
  emit(ctx.io, ctx.json, value, () =>
    [
      `mtom:download on ${env}: ok (reply signature over the attachment and SHA-256 checked)`,
      `  ${out}  ${got.size} bytes  sha256 ${got.sha256}`,
      `  reply signed by  ${value.replySigner?.subject ?? '(unsigned reply)'}`,
    ].join('\n'),
  );
  return 0;
}
