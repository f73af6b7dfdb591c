/**
 * A worker process of the PostgreSQL crash test (postgres-crash.test.ts), started with
 * `node --import tsx`: opens the pg-boss store at the given URL, creates the run from the manifest
 * unless another worker has (both try; the loser waits for the creator's lock, then joins), then
 * works the run over SOAP against the sandbox whose client configuration it is given, printing one
 * JSON line per ended item and `{"end":...}`. The test SIGKILLs one of the two workers at times.
 */
import { createRunFromManifest } from '../../src/batch/create-run-from-manifest.ts';
import { openPostgresBatchStore } from '../../src/batch/postgres-store.ts';
import { runBatch } from '../../src/batch/run-batch.ts';
import { resolveEnvironment } from '../../src/config/environment.ts';
import { loadConfig } from '../../src/config/load.ts';
import { publishEboxMessage } from '../../src/services/ebox/soap-publish.ts';
import { createServiceContext } from '../../src/services/service-context.ts';

interface Args {
  readonly url: string;
  readonly manifest: string;
  readonly runId: string;
  readonly config: string;
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly name: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const store = await openPostgresBatchStore({ url: args.url, maintenanceIntervalSeconds: 1 });
const run = await store.getRun(args.runId);
if (run?.state !== 'open') {
  try {
    await createRunFromManifest(store, args.manifest, { id: args.runId });
    process.stdout.write(`${JSON.stringify({ created: args.name })}\n`);
  } catch (error) {
    // The other worker created it while this one waited: join.
    if (!(error instanceof TypeError && /exists/.test(error.message))) throw error;
  }
}
const environment = resolveEnvironment(await loadConfig({ path: args.config, env: {} }), 'sandbox', {});
const ctx = await createServiceContext(environment, { processEnv: {} });
const result = await runBatch(store, args.runId, {
  publish: async (item) => {
    const r = await publishEboxMessage(ctx, item.publication!);
    return { messageId: r.messageId, details: { size: r.document.size } };
  },
  concurrency: args.concurrency,
  leaseMs: args.leaseMs,
  pollMs: 100,
  owner: args.name,
  retry: { attempts: 20, baseMs: 20, maxMs: 500 },
  onEvent: (event) => {
    if (event.type === 'done' || event.type === 'failed' || event.type === 'retry')
      process.stdout.write(`${JSON.stringify({ type: event.type, key: event.key })}\n`);
  },
});
process.stdout.write(`${JSON.stringify({ end: result })}\n`);
await ctx.close();
await store.close();
