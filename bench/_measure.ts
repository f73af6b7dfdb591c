/** Ops per second of `fn` over one window of about `ms` milliseconds. */
function window(fn: () => unknown, ms: number): number {
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    elapsed = process.hrtime.bigint() - start;
  }
  return n / (Number(elapsed) / 1e9);
}

export const median = (xs: readonly number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Rates of `ours` and of its `baseline`, measured in alternating windows after a warm-up (until
 * the JIT has settled), so that a drift of the machine's speed during the run hits both alike:
 * the median rate of each, and the median of the per-round ratios ours / baseline.
 */
export function compareRates(
  ours: () => unknown,
  baseline: () => unknown,
  { rounds = 7, ms = 300, warmupMs = 1000 } = {},
): { ours: number; baseline: number; ratio: number } {
  window(ours, warmupMs / 2);
  window(baseline, warmupMs / 2);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(window(ours, ms));
    b.push(window(baseline, ms));
  }
  return { ours: median(a), baseline: median(b), ratio: median(a.map((x, i) => x / b[i]!)) };
}

export interface BenchReport {
  /** A measured rate, printed as one aligned line. */
  rate(label: string, opsPerSec: number, note?: string): void;
  /** A free line (ratios, verdicts, skipped peers). */
  line(text: string): void;
}

/** A bench module's default export. */
export interface Bench {
  readonly name: string;
  readonly description: string;
  run(report: BenchReport): Promise<void>;
}

/**
 * Runs `bench` when its module is the script node was started with (`node --import tsx
 * bench/mtom.ts`), with a plain console report; `npm run bench -- NAME` goes through run.ts.
 */
export async function runIfMain(bench: Bench, moduleUrl: string): Promise<void> {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  await bench.run({
    rate: (label, ops, note) => console.log(`  ${label} ${ops.toFixed(1)} /s ${note ?? ''}`.trimEnd()),
    line: (text) => console.log(`  ${text}`),
  });
}
