import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PasserelleError } from '../errors.ts';
import { mtomDownload } from '../services/mtom/download.ts';
import { generatedDigest } from '../services/mtom/generated-digest.ts';
import { mtomUpload } from '../services/mtom/upload.ts';
import { signerSummary, withServiceContext } from './call-session.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

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
    );
  return size;
}

export async function callMtomUpload(ctx: CommandContext, opts: MtomUploadCliOptions): Promise<number> {
  const files = opts.file.map((f) => ({
    path: resolve(ctx.cwd, f),
    ...(opts.contentType ? { contentType: opts.contentType } : {}),
  }));
  const { env, result } = await withServiceContext(ctx, async (services) => ({
    env: services.environment,
    result: await mtomUpload(services, { files }),
  }));
  const value = {
    ok: true,
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

export async function callMtomDownload(ctx: CommandContext, opts: MtomDownloadCliOptions): Promise<number> {
  const size = parseSize(opts.size);
  const out = resolve(ctx.cwd, opts.out);
  const partial = `${out}.part`;
  const { env, got, signer } = await withServiceContext(ctx, async (services) => {
    const download = await mtomDownload(services, { size, seed: opts.seed });
    try {
      await pipeline(download.stream, createWriteStream(partial, { mode: 0o600 }));
      const received = await download.done();
      return { env: services.environment, got: received, signer: download.replySigner };
    } catch (error) {
      await download.close();
      await rm(partial, { force: true });
      throw error;
    }
  });
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
  await rename(partial, out);
  const value = {
    ok: true,
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
