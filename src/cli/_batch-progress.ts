import { SingleBar } from 'cli-progress';
import type { BatchEvent } from '../batch/events.ts';
import type { CommandContext } from './context.ts';

/** Progress: a bar with rate and ETA on a terminal, else JSON Lines events on stderr (never with --json on stdout). */
export function _batchProgress(ctx: CommandContext): { onEvent: (e: BatchEvent) => void; stop(): void } {
  if (ctx.io.progress !== undefined && !ctx.json) {
    const bar = new SingleBar({
      format: 'batch {bar} {value}/{total} ({percentage}%)  {rate}/s  ETA {eta_formatted}  {failed} failed',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 200,
    });
    let started = false;
    return {
      onEvent(e) {
        if (e.type === 'start') {
          bar.start(e.counts.total - e.counts.invalid, e.counts.done + e.counts.failed, {
            rate: '0',
            failed: e.counts.failed,
          });
          started = true;
        } else if (e.type === 'progress' && started)
          bar.update(e.counts.done + e.counts.failed, {
            rate: e.ratePerSecond.toFixed(1),
            failed: e.counts.failed,
          });
      },
      stop: () => started && bar.stop(),
    };
  }
  const keep = new Set(['start', 'progress', 'retry', 'failed', 'released', 'end']);
  return {
    onEvent: (e) => {
      if (keep.has(e.type)) ctx.io.err(JSON.stringify({ event: e.type, ...e, type: undefined }));
    },
    stop() {},
  };
}
