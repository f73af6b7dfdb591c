/** Runs `fn` repeatedly for about `ms` milliseconds after a warm-up; returns operations per second. */
export function opsPerSecond(fn: () => unknown, ms = 1500, warmup = 50): number {
  for (let i = 0; i < warmup; i++) fn();
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
    elapsed = process.hrtime.bigint() - start;
  }
  return n / (Number(elapsed) / 1e9);
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
