import type { Clock } from '../clock.ts';
import type { TraceExchange, TraceRecorder } from './trace-types.ts';

/** What a recorder shares with the transports it traces. */
export interface _RecorderState {
  readonly dir: string;
  readonly clock: Clock;
  /** The next sequence number to try. */
  next: number;
  readonly done: TraceExchange[];
  readonly onExchange: ((exchange: TraceExchange) => void) | undefined;
}

/** Recorder → its state; only createTraceRecorder makes recorders, so every one is here. */
export const _recorderStates = new WeakMap<TraceRecorder, _RecorderState>();
