// Runs the benches: `npm run bench` (all) or `npm run bench -- wss` (by name). A bench plugs in
// by default-exporting a `Bench` (see _measure.ts) and being listed below.
import { availableParallelism, cpus } from 'node:os';
import type { Bench, BenchReport } from './_measure.ts';

const BENCHES: readonly (() => Promise<{ default: Bench }>)[] = [
  () => import('./wss.ts'),
  () => import('./mtom.ts'),
  () => import('./ebox.ts'),
  () => import('./batch.ts'),
  () => import('./sftp.ts'),
  () => import('./mss.ts'),
  () => import('./contracts.ts'),
  () => import('./startup.ts'),
  () => import('./xml.ts'),
];

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const report: BenchReport = {
  rate: (label, ops, note) =>
    console.log(`  ${label.padEnd(44)} ${ops.toFixed(0).padStart(8)} /s${note ? `  ${note}` : ''}`),
  line: (text) => console.log(`  ${text}`),
};

console.log(
  `node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}); wss loops run on one core`,
);
for (const load of BENCHES) {
  const bench = (await load()).default;
  if (filters.length > 0 && !filters.includes(bench.name)) continue;
  console.log(`\n${bench.name}: ${bench.description}`);
  await bench.run(report);
}
