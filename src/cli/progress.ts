import { Transform } from 'node:stream';
import type { CommandContext } from './context.ts';

/** At most one progress update per this many milliseconds, unless the percentage moved by STEP. */
const INTERVAL_MS = 500;
/** Percentage points that justify an update before INTERVAL_MS has passed. */
const STEP = 5;

export interface Progress {
  /** Counts `bytes` more transferred; prints when enough time or progress has passed. */
  add(bytes: number): void;
  /** A pass-through stream counting what flows through it. */
  counter(): Transform;
  /** Clears the status line. */
  done(): void;
}

const MiB = 1024 * 1024;
const size = (n: number) => (n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`);

/**
 * The progress line of a long transfer (`label`, `total` bytes), on stderr: only when stderr is a
 * terminal (`io.progress`) and not with --json, throttled to one update per 500 ms or per 5 %.
 * Returns undefined when no progress is shown, so callers add no counting stream at all.
 */
export function createProgress(ctx: CommandContext, label: string, total: number): Progress | undefined {
  const write = ctx.io.progress;
  if (ctx.json || write === undefined) return undefined;
  let sent = 0;
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastPct = Number.NEGATIVE_INFINITY;
  let shown = false;
  const show = (force: boolean) => {
    const pct = total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 100;
    const now = ctx.clock.now();
    if (!force && now - lastAt < INTERVAL_MS && pct - lastPct < STEP) return;
    lastAt = now;
    lastPct = pct;
    shown = true;
    write.call(ctx.io, `${label}  ${size(sent)} / ${size(total)}  ${pct}%`);
  };
  const progress: Progress = {
    add(bytes) {
      sent += bytes;
      show(sent >= total);
    },
    counter() {
      return new Transform({
        transform(chunk: Buffer, _enc, next) {
          progress.add(chunk.length);
          next(null, chunk);
        },
      });
    },
    done() {
      if (shown) write.call(ctx.io, '');
    },
  };
  return progress;
}
