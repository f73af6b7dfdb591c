import type { Readable } from 'node:stream';

/**
 * The chunks of a byte stream one by one, as its source pushed them, with backpressure (the
 * stream is paused while a chunk waits for the consumer). Unlike `for await` over the stream,
 * which calls `read()` and so concatenates whatever is buffered into a new Buffer, nothing is
 * copied: with a source that pushes synchronously (a generator, a cipher) the async iterator
 * would copy every chunk once more. Leaving early (break, throw) destroys the stream.
 */
export async function* _chunks(stream: Readable): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (chunk: Buffer | string) => {
    queue.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    stream.pause();
    signal();
  };
  const onEnd = () => {
    ended = true;
    signal();
  };
  const onError = (error: unknown) => {
    failure = { error };
    signal();
  };
  const onClose = () => {
    if (!ended && !failure) {
      const error = Object.assign(new Error('The stream closed before its end'), {
        code: 'ERR_STREAM_PREMATURE_CLOSE',
      });
      failure = { error };
    }
    signal();
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
  stream.on('close', onClose);
  let complete = false;
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        yield chunk;
        continue;
      }
      if (failure) throw failure.error;
      if (ended) {
        complete = true;
        return;
      }
      const waiting = new Promise<void>((resolve) => {
        wake = resolve;
      });
      stream.resume();
      await waiting;
    }
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onError);
    stream.off('close', onClose);
    if (!complete) stream.destroy();
  }
}
