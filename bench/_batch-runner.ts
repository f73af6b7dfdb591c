// Child process of bench/batch.ts: one batch run (create from the manifest, then publish every
// row over SOAP to the sandbox), alone in its process as `passerelle batch ebox-publish` would
// be. Reports the creation and publication times, the documents per second and the peak RSS.

import { createRunFromManifest } from '../src/batch/create-run-from-manifest.ts';
import { openPostgresBatchStore } from '../src/batch/postgres-store.ts';
import { runBatch } from '../src/batch/run-batch.ts';
import { openSqliteBatchStore } from '../src/batch/sqlite-store.ts';
import { resolveEnvironment } from '../src/config/environment.ts';
import { loadConfig } from '../src/config/load.ts';
import { publishEboxMessage } from '../src/services/ebox/soap-publish.ts';
import { createServiceContext } from '../src/services/service-context.ts';

const [kind, where, configPath, manifest, concurrencyText] = process.argv.slice(2);
if (!kind || !where || !configPath || !manifest || !concurrencyText || !process.send)
  throw new Error('run by bench/batch.ts');
const env = resolveEnvironment(await loadConfig({ path: configPath, env: {} }), 'sandbox', {});
const services = await createServiceContext(env, { processEnv: {} });
const store =
  kind === 'postgres' ? await openPostgresBatchStore({ url: where }) : openSqliteBatchStore({ path: where });
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const run = await createRunFromManifest(store, manifest);
const t1 = process.hrtime.bigint();
const rssAfterCreate = process.memoryUsage().rss;
const result = await runBatch(store, run.id, {
  publish: async (item) => ({ messageId: (await publishEboxMessage(services, item.publication!)).messageId }),
  concurrency: Number(concurrencyText),
  pollMs: 50,
});
const t2 = process.hrtime.bigint();
const cpu = process.cpuUsage(cpu0);
// The live heap after a full collection: what the run still holds (RSS also counts what V8 has not given back).
(globalThis as { gc?: () => void }).gc?.();
const heapAfterGc = process.memoryUsage().heapUsed;
if (process.env['BENCH_BATCH_HEAP_SNAPSHOT'])
  (await import('node:v8')).writeHeapSnapshot(
    `${process.env['BENCH_BATCH_HEAP_SNAPSHOT']}-${kind}-${process.pid}.heapsnapshot`,
  );
await store.close();
await services.close();
const seconds = (a: bigint, b: bigint) => Number(b - a) / 1e9;
process.send(
  {
    createSeconds: seconds(t0, t1),
    runSeconds: seconds(t1, t2),
    done: result.counts.done,
    failed: result.counts.failed,
    maxRss: process.resourceUsage().maxRSS * 1024,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    heapAfterGc,
    rssAfterCreate,
    rssAtEnd: process.memoryUsage().rss,
  },
  () => process.exit(0),
);
