// Mass publication through the sandbox eBox: runs of BENCH_BATCH_ITEMS (default 1,000 and
// 10,000) documents of 100 KB, published over SOAP by the batch runner, on SQLite and on
// PostgreSQL (a throwaway cluster, when Debian's postgresql is installed). The sandbox and the
// runner each run in their own process (bundled, plain node): documents per second, the time to
// store and validate the run, and the runner's peak RSS at each size (flat = bounded memory).
// Children run with `--max-old-space-size=128` (BENCH_BATCH_NODE_FLAGS): without a cap V8 grows
// its old space lazily and the peak RSS rises with the run's length while the live heap after a
// collection stays flat (a heap snapshot after 6,000 documents: 20.6 MB); with it the peak RSS
// stays flat too (measured 134 MB at 1k items, 138 MB at 10k).
// Alone: `node --import tsx bench/batch.ts`; quick: BENCH_BATCH_ITEMS=200.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _demoPdf } from '../src/demo/_pdf.ts';
import { findPostgresBinDir, startThrowawayCluster } from '../test/_support/postgres.ts';
import { bundleChild, childUsage, nodeFlags, startChild, stopChildren } from './_children.ts';
import { type Bench, type BenchReport, runIfMain } from './_measure.ts';

const CONCURRENCY = Number(process.env['BENCH_BATCH_CONCURRENCY'] ?? 16);
const CITIZENS = ['85073003328', '05031212360', '91451545659'];
const EXTERNAL = ['better-sqlite3', 'pg-boss', 'pg'];
/** --expose-gc for the live-heap reading; the old-space cap keeps the RSS flat (see above). */
const FLAGS = [
  '--max-semi-space-size=1',
  '--expose-gc',
  ...nodeFlags('BENCH_BATCH_NODE_FLAGS', '--max-old-space-size=128'),
];
/**
 * The sandbox stands for the platform: its RSS is not measured, so it keeps V8's default young
 * generation (a 1 MB semi-space, as the runner has, made it spend a quarter of its time in
 * scavenges: every document passes through it as 100 KB of buffers).
 */
const SANDBOX_FLAGS = nodeFlags('BENCH_BATCH_SANDBOX_NODE_FLAGS', '');
const child = <T>(file: string, args: string[], flags = FLAGS) => startChild<T>(file, args, flags);
const usage = async (p: ChildProcess) => ({ maxRss: 0, ...(await childUsage(p)) });

/** A manifest of `n` rows over 100 distinct 100 KB PDFs (distinct titles: no duplicate rows). */
function manifest(dir: string, n: number, tag: string): string {
  const docs = join(dir, 'docs');
  mkdirSync(docs, { recursive: true });
  for (let i = 0; i < 100; i++) {
    const pdf = _demoPdf(['Payment statement', `Bench document ${i}`]);
    writeFileSync(join(docs, `d${i}.pdf`), Buffer.concat([pdf, Buffer.alloc(100 * 1024 - pdf.length, 0x25)]));
  }
  const rows = ['recipient,messageType,title,file'];
  for (let i = 0; i < n; i++)
    rows.push(`${CITIZENS[i % 3]},PASSERELLE_PAYMENT_STATEMENT,Bench ${tag} ${i},docs/d${i % 100}.pdf`);
  const path = join(dir, `manifest-${tag}.csv`);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

interface RunnerResult {
  cpuSeconds: number;
  heapAfterGc: number;
  rssAfterCreate: number;
  rssAtEnd: number;
  createSeconds: number;
  runSeconds: number;
  done: number;
  failed: number;
  maxRss: number;
}

const bench: Bench = {
  name: 'batch',
  description:
    'batch runs of 100 KB PDFs to the sandbox eBox over SOAP: documents/s and runner RSS, SQLite and PostgreSQL',
  async run(report: BenchReport) {
    const sizes = (process.env['BENCH_BATCH_ITEMS'] ?? '1000,10000').split(',').map(Number);
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-batch-'));
    const running: ChildProcess[] = [];
    let cluster: { url: string; stop(): void } | undefined;
    try {
      const [sandboxJs, runnerJs] = [
        await bundleChild('_batch-sandbox', EXTERNAL),
        await bundleChild('_batch-runner', EXTERNAL),
      ];
      const sandbox = await child<{ configPath: string }>(sandboxJs, [dir], SANDBOX_FLAGS);
      running.push(sandbox.process);
      const binDir = findPostgresBinDir();
      // Durable (fsync on), as a production cluster: the test clusters run with fsync off.
      if (binDir !== undefined) cluster = await startThrowawayCluster(binDir, { durable: true });
      else report.line('PostgreSQL: not installed (Debian postgresql), its runs are skipped');
      report.line(`concurrency ${CONCURRENCY}; sandbox and runner on this machine, one process each`);
      let k = 0;
      for (const kind of ['sqlite', 'postgres'] as const) {
        if (kind === 'postgres' && cluster === undefined) continue;
        for (const n of sizes) {
          const tag = `${kind}-${n}-${k++}`;
          const where = kind === 'sqlite' ? join(dir, `${tag}.sqlite`) : (cluster?.url ?? '');
          const before = await usage(sandbox.process);
          const { first: r } = await child<RunnerResult>(runnerJs, [
            kind,
            where,
            sandbox.first.configPath,
            manifest(dir, n, tag),
            String(CONCURRENCY),
          ]);
          const sandboxCpu = (await usage(sandbox.process)).cpuSeconds - before.cpuSeconds;
          report.rate(
            `${kind} run of ${n} documents`,
            r.done / r.runSeconds,
            `${r.done} done, ${r.failed} failed in ${r.runSeconds.toFixed(1)} s; stored+validated in ${r.createSeconds.toFixed(1)} s; runner RSS after storing ${(r.rssAfterCreate / 1e6).toFixed(0)} MB, at the end ${(r.rssAtEnd / 1e6).toFixed(0)} MB, peak ${(r.maxRss / 1e6).toFixed(0)} MB, live heap after GC ${(r.heapAfterGc / 1e6).toFixed(0)} MB; CPU runner ${r.cpuSeconds.toFixed(1)} s + sandbox ${sandboxCpu.toFixed(1)} s`,
          );
        }
      }
    } finally {
      await stopChildren(running);
      cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

await runIfMain(bench, import.meta.url);
