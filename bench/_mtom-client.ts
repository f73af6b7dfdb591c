// Child process of bench/mtom.ts: one client operation, alone in its process (as one CLI call
// would be), so that its peak RSS and CPU time are its own. Modes: raw-upload / raw-download
// (HTTPS to the raw peer: the baseline), mtom-upload / mtom-download (signed MTOM through the
// sandbox). Reports the wall time, the CPU time, the SHA-256 the other side saw or we received,
// and the peak RSS.
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { resolveEnvironment } from '../src/config/environment.ts';
import { loadConfig } from '../src/config/load.ts';
import { mtomDownload, mtomUpload } from '../src/services/mtom/index.ts';
import { createServiceContext } from '../src/services/service-context.ts';
import { _FILE_CHUNK } from '../src/soap/mtom/source.ts';

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

const env = resolveEnvironment(await loadConfig({ path: configPath, env: {} }), 'sandbox', {});
const services = await createServiceContext(env, { processEnv: {} });
const file = join(dir, 'upload.bin'); // written by the parent: the input is not the client's memory

const operations: Record<string, () => Promise<string>> = {
  async 'raw-upload'() {
    const r = await services.transport.postStream(rawUrl, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: createReadStream(file, { highWaterMark: _FILE_CHUNK }),
    });
    const { bytes } = JSON.parse(Buffer.concat(await r.body.toArray()).toString()) as { bytes: number };
    if (bytes !== size) throw new Error('raw upload lost bytes');
    return '';
  },
  async 'mtom-upload'() {
    return (await mtomUpload(services, { files: [{ path: file }] })).documents[0]?.sha256 ?? '';
  },
  async 'raw-download'() {
    const r = await services.transport.postStream(`${rawUrl}?download=${size}`, {
      body: '',
      maxResponseBytes: size + 1,
    });
    await pipeline(r.body, createWriteStream(join(dir, 'raw-download.bin'), WRITE));
    return '';
  },
  async 'mtom-download'() {
    const d = await mtomDownload(services, { size, seed: 'bench-download' });
    await pipeline(d.stream, createWriteStream(join(dir, 'download.bin'), WRITE));
    return (await d.done()).sha256;
  },
};
const operation = operations[mode];
if (!operation) throw new Error(`unknown mode ${mode}`);
const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
const sha256 = await operation();
const used = process.cpuUsage(cpu);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await services.close();
const maxRss = process.resourceUsage().maxRSS * 1024;
process.send({ seconds, cpuSeconds: (used.user + used.system) / 1e6, sha256, maxRss }, () => process.exit(0));
