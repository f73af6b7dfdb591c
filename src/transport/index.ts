export { classifyRetry, type RetryDecision, type RetryReason } from './classify-retry.ts';
export { type CreateTransportOptions, createTransport } from './create-transport.ts';
export { createTraceRecorder } from './trace-recorder.ts';
export type {
  CreateTraceRecorderOptions,
  TraceExchange,
  TraceRecorder,
  TraceRedaction,
  TraceSigner,
} from './trace-types.ts';
export type { PostOptions, Transport, TransportResponse, TransportStreamResponse } from './types.ts';
export { type WithRetryOptions, withRetry } from './with-retry.ts';
