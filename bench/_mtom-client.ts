// Child process of bench/mtom.ts: one client, alone in its process so that its peak RSS is its
// own. Mode `raw`: an HTTPS upload and download of the same size to the raw peer (the baseline);
// mode `mtom`: the signed MTOM upload and download through the sandbox. Reports timings, the
// SHA-256 seen on each side and its peak RSS.
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { resolveEnvironment } from '../src/config/environment.ts';
import { loadConfig } from '../src/config/load.ts';
import { mtomDownload, mtomUpload } from '../src/services/mtom/index.ts';
import { createServiceContext } from '../src/services/service-context.ts';
import { _FILE_CHUNK } from '../src/soap/mtom/_source.ts';

const [mode, configPath, rawUrl, sizeText, dir] = process.argv.slice(2);
if (!mode || !configPath || !rawUrl || !sizeText || !dir || !process.send)
  throw new Error('run by bench/mtom.ts');
const size = Number(sizeText);
/**
 * The raw baseline reads the file in the same chunks as an MTOM file attachment, and both
 * downloads are written to disk the same way (a 1 MiB write buffer, so that the disk writes are
 * batched whatever the chunk size a stream delivers): the two paths differ only by MTOM's work.
 */
const WRITE = { highWaterMark: 1024 * 1024 };

async function timed(fn: () => Promise<unknown>, name = ''): Promise<number> {
  if (!name.startsWith(mode ?? '')) return 0;
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const env = resolveEnvironment(await loadConfig({ path: configPath, env: {} }), 'sandbox', {});
const services = await createServiceContext(env, { processEnv: {} });
const file = join(dir, 'upload.bin'); // written by the parent: the input is not the client's memory
let upSha = '';
let downSha = '';
const seconds = {
  rawUpload: await timed(async () => {
    const r = await services.transport.postStream(rawUrl, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: createReadStream(file, { highWaterMark: _FILE_CHUNK }),
    });
    const { bytes } = JSON.parse(Buffer.concat(await r.body.toArray()).toString()) as { bytes: number };
    if (bytes !== size) throw new Error('raw upload lost bytes');
  }, 'rawUpload'),
  mtomUpload: await timed(async () => {
    upSha = (await mtomUpload(services, { files: [{ path: file }] })).documents[0]?.sha256 ?? '';
  }, 'mtomUpload'),
  rawDownload: await timed(async () => {
    const r = await services.transport.postStream(`${rawUrl}?download=${size}`, {
      body: '',
      maxResponseBytes: size + 1,
    });
    await pipeline(r.body, createWriteStream(join(dir, 'raw-download.bin'), WRITE));
  }, 'rawDownload'),
  mtomDownload: await timed(async () => {
    const d = await mtomDownload(services, { size, seed: 'bench-download' });
    await pipeline(d.stream, createWriteStream(join(dir, 'download.bin'), WRITE));
    downSha = (await d.done()).sha256;
  }, 'mtomDownload'),
};
await services.close();
const maxRss = process.resourceUsage().maxRSS * 1024;
process.send({ seconds, upSha, downSha, maxRss }, () => process.exit(0));
