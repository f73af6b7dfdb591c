import type { BatchCounts } from './types.ts';

/**
 * What `runBatch` reports while it works, in order, through `onEvent` (synchronously; a throwing
 * listener is ignored). Rate and ETA: `progress` carries the counts and the documents per second
 * of this session; remaining / rate is the ETA.
 */
export type BatchEvent =
  | { readonly type: 'start'; readonly runId: string; readonly counts: BatchCounts; readonly at: number }
  | { readonly type: 'claimed'; readonly count: number; readonly at: number }
  | {
      readonly type: 'done';
      readonly key: string;
      readonly line: number;
      readonly messageId: string;
      readonly attempts: number;
      readonly ms: number;
      readonly at: number;
    }
  | {
      readonly type: 'retry';
      readonly key: string;
      readonly line: number;
      readonly attempts: number;
      readonly code: string;
      readonly waitMs: number;
      readonly at: number;
    }
  | {
      readonly type: 'failed';
      readonly key: string;
      readonly line: number;
      readonly attempts: number;
      readonly code: string;
      readonly message: string;
      readonly at: number;
    }
  /** A transition refused because the lease had expired and another claim took the item. */
  | { readonly type: 'lease-lost'; readonly key: string; readonly line: number; readonly at: number }
  /** Claimed items given back on a graceful stop. */
  | { readonly type: 'released'; readonly count: number; readonly at: number }
  | {
      readonly type: 'progress';
      readonly counts: BatchCounts;
      /** Items ended (done or failed) by this session per second since it started. */
      readonly ratePerSecond: number;
      /** (queued + in flight) / rate, seconds; undefined before the first item ends. */
      readonly etaSeconds: number | undefined;
      readonly at: number;
    }
  | {
      readonly type: 'end';
      readonly runId: string;
      readonly counts: BatchCounts;
      /** True when the signal stopped it before every item ended. */
      readonly stopped: boolean;
      readonly elapsedMs: number;
      readonly at: number;
    };
