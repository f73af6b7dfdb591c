import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { createRunFromManifest } from '../../batch/create-run-from-manifest.ts';
import { runBatch } from '../../batch/run-batch.ts';
import { openSqliteBatchStore } from '../../batch/sqlite-store.ts';
import { writeBatchReport } from '../../batch/write-report.ts';
import { systemClock } from '../../clock.ts';
import { publishEboxMessage } from '../../services/ebox/soap-publish.ts';
import { demoExpect } from '../_expect.ts';
import { _demoPdf } from '../_pdf.ts';
import { withDemoServices } from '../_services.ts';
import type { DemoContext, DemoStep } from '../step.ts';

const ITEMS = 300;
const CITIZENS = ['85073003328', '05031212360', '91451545659'];
const FAULTS = { transientRate: 0.1, resetRate: 0.03, lostReplyRate: 0.03 };

/** POST or GET on the sandbox eBox fault control (mutual TLS with the partner's certificate). */
async function _faults(ctx: DemoContext, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const url = ctx.sandbox.endpoints['ebox.control'];
  demoExpect(url !== undefined, 'the sandbox eBox has its fault control');
  const { tls } = ctx.sandbox.pki.partner;
  const dispatcher = new Agent({
    connect: { ca: ctx.sandbox.pki.ca.certPem, cert: tls.certPem, key: tls.keyPem },
  });
  try {
    const res = await request(new URL('/_control/faults', url), {
      dispatcher,
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    demoExpect(res.statusCode === 200, 'the fault control accepts the settings');
    return (await res.body.json()) as Record<string, unknown>;
  } finally {
    await dispatcher.close();
  }
}

async function _inboxCount(ctx: DemoContext): Promise<number> {
  const dispatcher = new Agent({ connect: { ca: ctx.sandbox.pki.ca.certPem } });
  try {
    let n = 0;
    for (const inss of CITIZENS) {
      const res = await request(
        new URL(`/api/v1/ebox/citizens/${inss}/messages`, ctx.sandbox.endpoints['console']),
        { dispatcher },
      );
      n += ((await res.body.json()) as { messages: unknown[] }).messages.length;
    }
    return n;
  } finally {
    await dispatcher.close();
  }
}

/**
 * Flow "durable mass publication" (issue 11): a manifest of 300 generated PDFs (and two bad rows)
 * stored as a run in SQLite, published with 8 at a time while the sandbox injects seeded
 * transient faults, resets and lost replies; every good document ends in a citizen inbox exactly
 * once (counted by the sandbox), the bad rows are reported by line, and the report is written.
 */
export function batchSteps(): DemoStep[] {
  return [
    {
      id: 'batch.ebox-publish',
      title: `Publish a batch of ${ITEMS} PDFs through injected faults, each exactly once`,
      dependsOn: ['ebox.publish-soap'],
      timeoutMs: 120_000,
      async run(ctx) {
        const dir = join(ctx.workDir, 'batch');
        mkdirSync(join(dir, 'docs'), { recursive: true });
        const rows = ['recipient,messageType,title,file'];
        for (let i = 1; i <= ITEMS; i++) {
          writeFileSync(
            join(dir, 'docs', `s${i}.pdf`),
            _demoPdf(['Payment statement', `Document ${i} of ${ITEMS}`]),
          );
          rows.push(
            `${CITIZENS[i % CITIZENS.length]},PASSERELLE_PAYMENT_STATEMENT,Statement ${i},docs/s${i}.pdf`,
          );
        }
        rows.push(
          '85073003329,PASSERELLE_PAYMENT_STATEMENT,Bad INSS,docs/s1.pdf',
          '85073003328,PASSERELLE_DECISION,No file,docs/none.pdf',
        );
        writeFileSync(join(dir, 'manifest.csv'), `${rows.join('\n')}\n`);
        const before = await _inboxCount(ctx);
        const store = openSqliteBatchStore({ path: join(dir, 'batch.sqlite'), clock: systemClock });
        try {
          const run = await createRunFromManifest(store, join(dir, 'manifest.csv'));
          await _faults(ctx, FAULTS);
          let retries = 0;
          const result = await withDemoServices(ctx, (s) =>
            runBatch(store, run.id, {
              publish: async (item) => ({
                messageId: (await publishEboxMessage(s, item.publication!)).messageId,
              }),
              concurrency: 8,
              // Leases and retry times run on real time (the store's clock): a frozen demo clock would never make a retry due.
              clock: systemClock,
              retry: { baseMs: 5, maxMs: 50 },
              pollMs: 20,
              onEvent: (e) => {
                if (e.type === 'retry') retries++;
              },
            }),
          ).finally(() => _faults(ctx, { transientRate: 0, resetRate: 0, lostReplyRate: 0 }));
          const { counts } = result;
          demoExpect(counts.done === ITEMS && counts.failed === 0, 'every good row was published', {
            ...counts,
          });
          demoExpect(counts.invalid === 2, 'the two bad rows were refused by validation');
          demoExpect(retries > 0, 'the injected faults were retried');
          const added = (await _inboxCount(ctx)) - before;
          demoExpect(added === ITEMS, 'the sandbox holds each document exactly once', { added });
          const reportPath = join(dir, 'report.csv');
          const reported = await writeBatchReport(store, run.id, reportPath);
          return {
            checks: [
              `${ITEMS + 2} rows stored before any work; lines ${ITEMS + 2} (ERR_IDS_INSS_INVALID) and ${ITEMS + 3} (ERR_FILE_NOT_FOUND) refused by validation`,
              `sandbox faults on (seeded): ${FAULTS.transientRate * 100} % SOA-02002, ${FAULTS.resetRate * 100} % resets before storing, ${FAULTS.lostReplyRate * 100} % replies lost after storing`,
              `${ITEMS} published in ${(result.elapsedMs / 1000).toFixed(1)} s with ${retries} retries (same ticket+sequence: a retry replaces, never duplicates)`,
              `the sandbox counts ${added} new messages in the citizens' inboxes: each document exactly once`,
              `the report lists the ${reported} rows with state, attempts, code and message id`,
            ],
          };
        } finally {
          await store.close();
        }
      },
    },
  ];
}
