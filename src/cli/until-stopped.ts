/**
 * Runs a long-lived command body (`passerelle sandbox`, `mss conformance serve`) until SIGINT or
 * SIGTERM aborts its signal; the handlers are removed when it returns. The body stops cleanly
 * and returns the exit status.
 */
export async function untilStopped(body: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => controller.abort(signal);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
