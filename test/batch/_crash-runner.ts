/**
 * The runner process of the crash test (crash.test.ts), started with `node --import tsx`: opens
 * the SQLite state, creates the run from the manifest unless it exists (a creation cut short is
 * redone), publishes over SOAP to the sandbox whose client configuration it is given, and prints
 * one JSON line per ended item, then `{"end":...}`. The test SIGKILLs it at random points.
 */

import { createRunFromManifest } from '../../src/batch/create-run-from-manifest.ts';
import { runBatch } from '../../src/batch/run-batch.ts';
import { openSqliteBatchStore } from '../../src/batch/sqlite-store.ts';
import { resolveEnvironment } from '../../src/config/environment.ts';
import { loadConfig } from '../../src/config/load.ts';
import { publishEboxMessage } from '../../src/services/ebox/soap-publish.ts';
import { createServiceContext } from '../../src/services/service-context.ts';

interface Args {
  readonly state: string;
  readonly manifest: string;
  readonly runId: string;
  readonly config: string;
  readonly concurrency: number;
  readonly leaseMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const store = openSqliteBatchStore({ path: args.state });
const run = await store.getRun(args.runId);
if (run === undefined || run.state === 'creating') {
  process.stdout.write(`${JSON.stringify({ phase: 'creating' })}\n`);
  await createRunFromManifest(store, args.manifest, { id: args.runId });
}
process.stdout.write(`${JSON.stringify({ phase: 'publishing' })}\n`);
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
  retry: { attempts: 20, baseMs: 20, maxMs: 500 },
  onEvent: (event) => {
    if (event.type === 'done' || event.type === 'failed' || event.type === 'retry')
      process.stdout.write(`${JSON.stringify({ type: event.type, key: event.key })}\n`);
  },
});
process.stdout.write(`${JSON.stringify({ end: result })}\n`);
await ctx.close();
await store.close();
