// eBox publication through the sandbox: (1) one large document (BENCH_EBOX_BYTES, default
// 512 MiB) published over SOAP (swaRef) and over REST (multipart), each client alone in its
// process, with the peak RSS of the client and of the sandbox (limit 150 MB each); (2) the rate
// of publications of a 100 KB PDF over SOAP and REST next to the signed test-connection call rate
// measured in the same run, in alternating windows: the ratios show what eBox adds to a signed
// call. Children are bundled with esbuild and run by plain node, as deployed.
// Alone: `node --import tsx bench/ebox.ts`; quick: BENCH_EBOX_BYTES=67108864.
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { generatedContent } from '../src/services/mtom/generated-content.ts';
import { bundleChild, childUsage, nodeFlags, startChild, stopChildren } from './_children.ts';
import { type Bench, type BenchReport, runIfMain } from './_measure.ts';

const MiB = 1024 * 1024;
const LIMIT_RSS = 150 * 1000 * 1000;
/** As bench/mtom.ts: a small young generation so stream buffers are collected soon (deployment tuning). */
const NODE_FLAGS = nodeFlags('BENCH_EBOX_NODE_FLAGS', '--max-semi-space-size=1');
const child = <T>(file: string, args: string[]) => startChild<T>(file, args, NODE_FLAGS);
const usage = async (p: ChildProcess) => ({ maxRss: 0, ...(await childUsage(p)) });

/** A minimal one-page PDF padded to about `size` bytes with a comment stream (a real PDF reader opens it). */
function pdf(size: number): Buffer {
  const head =
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n';
  const tail = 'trailer<</Root 1 0 R>>\n%%EOF\n';
  const pad = Math.max(0, size - head.length - tail.length);
  return Buffer.concat([Buffer.from(head), Buffer.alloc(pad, '%'), Buffer.from(tail)]);
}

const bench: Bench = {
  name: 'ebox',
  description:
    'eBox publication through the sandbox: a large document over SOAP and REST (memory), and publications/s of a 100 KB PDF vs signed test-connection calls',
  async run(report: BenchReport) {
    const size = Number(process.env['BENCH_EBOX_BYTES'] ?? 512 * MiB);
    if (!Number.isSafeInteger(size) || size <= 0)
      throw new TypeError('BENCH_EBOX_BYTES must be a positive integer');
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-ebox-'));
    const running: ChildProcess[] = [];
    try {
      const [sandboxJs, clientJs] = [
        await bundleChild('_ebox-sandbox', ['better-sqlite3']),
        await bundleChild('_ebox-client', ['better-sqlite3']),
      ];
      writeFileSync(join(dir, 'small.pdf'), pdf(100 * 1024));
      await pipeline(generatedContent('bench-ebox', size), createWriteStream(join(dir, 'large.pdf')));
      const sandbox = await child<{ configPath: string }>(sandboxJs, [dir]);
      running.push(sandbox.process);
      const info = JSON.parse(readFileSync(join(dir, 'state', 'sandbox.json'), 'utf8')) as {
        modules?: Record<
          string,
          { info?: { citizens?: { inss: string; ebox: string }[]; senders?: { messageTypes: string[] }[] } }
        >;
      };
      const ebox = info.modules?.['ebox']?.info;
      const recipient =
        process.env['BENCH_EBOX_INSS'] ?? ebox?.citizens?.find((c) => c.ebox === 'active')?.inss ?? '';
      const messageType = process.env['BENCH_EBOX_TYPE'] ?? ebox?.senders?.[0]?.messageTypes[0] ?? '';
      const run = async (mode: string) =>
        (
          await child<Record<string, number>>(clientJs, [
            mode,
            sandbox.first.configPath,
            dir,
            recipient,
            messageType,
          ])
        ).first;
      const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
      const soapLarge = await run('soap-large');
      const restLarge = await run('rest-large');
      const sandboxRss = (await usage(sandbox.process)).maxRss;
      report.line(
        `document ${(size / MiB).toFixed(0)} MiB; one process per client run, plain node ${NODE_FLAGS.join(' ')}`,
      );
      for (const [label, r] of [
        ['SOAP publish (swaRef, signed)', soapLarge],
        ['REST publish (multipart, OAuth)', restLarge],
      ] as const)
        report.line(
          `${label.padEnd(34)} ${r['seconds']!.toFixed(2).padStart(6)} s ${(size / MiB / r['seconds']!).toFixed(1).padStart(6)} MiB/s  client peak RSS ${mb(r['maxRss']!)}`,
        );
      const bounded = Math.max(soapLarge['maxRss']!, restLarge['maxRss']!, sandboxRss) < LIMIT_RSS;
      report.line(
        `sandbox peak RSS ${mb(sandboxRss)}; memory verdict (150 MB each): ${bounded ? 'ok' : 'OVER'}`,
      );
      const rates = await run('rates');
      report.rate('signed test-connection calls (baseline)', rates['testConnection']!);
      report.rate(
        'SOAP publications of a 100 KB PDF',
        rates['soap']!,
        `${(rates['soap']! / rates['testConnection']!).toFixed(2)}x test-connection`,
      );
      report.rate(
        'REST publications of a 100 KB PDF',
        rates['rest']!,
        `${(rates['rest']! / rates['testConnection']!).toFixed(2)}x test-connection`,
      );
    } finally {
      await stopChildren(running);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

await runIfMain(bench, import.meta.url);
