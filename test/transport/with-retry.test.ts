import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPasserelleError, PasserelleError } from '../../src/errors.ts';
import { classifyRetry } from '../../src/transport/classify-retry.ts';
import { withRetry } from '../../src/transport/with-retry.ts';
import { seededRandom } from '../_support/seeded.ts';

const connect = (errno: string, requestSent: boolean) =>
  new PasserelleError('ERR_TRANSPORT_CONNECT', 'x', { details: { errno, requestSent, host: 'h' } });
const status = (s: number) =>
  new PasserelleError('ERR_TRANSPORT_HTTP_STATUS', 'x', { details: { status: s } });
const fault = (soaCode: string, retryable: boolean) =>
  new PasserelleError('ERR_SOAP_FAULT', 'x', {
    details: { soaCode, retryable, faultCode: 'soapenv:Server' },
  });

test('classifyRetry retries only resets/refusals before sending, 503 and SOA-02002', () => {
  const cases: [unknown, boolean][] = [
    [connect('ECONNRESET', false), true],
    [connect('ECONNREFUSED', false), true],
    [connect('ECONNRESET', true), false],
    [connect('ENOTFOUND', false), false],
    [new PasserelleError('ERR_TRANSPORT_TIMEOUT', 'x', { details: { phase: 'connect' } }), false],
    [new PasserelleError('ERR_TRANSPORT_TLS', 'x'), false],
    [status(503), true],
    [status(500), false],
    [status(400), false],
    [status(502), false],
    [fault('SOA-02002', true), true],
    [fault('SOA-02001', false), false],
    [{ status: 503, headers: {}, body: Buffer.alloc(0) }, true],
    [{ status: 200 }, false],
    [new Error('boom'), false],
    [undefined, false],
  ];
  for (const [outcome, expected] of cases)
    assert.equal(classifyRetry(outcome).retry, expected, String(outcome));
});

test('withRetry backs off exponentially with full jitter from an injected random and sleep', async () => {
  const sleeps: number[] = [];
  let calls = 0;
  const result = await withRetry(
    async (attempt) => {
      calls += 1;
      assert.equal(attempt, calls);
      if (attempt < 4) throw status(503);
      return 'done';
    },
    {
      attempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 300,
      random: seededRandom(42),
      sleep: async (ms) => void sleeps.push(ms),
    },
  );
  assert.equal(result, 'done');
  const r = seededRandom(42);
  assert.deepEqual(
    sleeps,
    [100, 200, 300].map((w) => Math.floor(w * r())),
  );
  assert.ok(sleeps.every((ms, i) => ms >= 0 && ms < [100, 200, 300][i]!));
});

test('withRetry gives up after the last attempt with the original error, or the 503 response', async () => {
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls += 1;
        throw fault('SOA-02002', true);
      },
      { attempts: 3, sleep: async () => {} },
    ),
    (e: unknown) => isPasserelleError(e, 'ERR_SOAP_FAULT'),
  );
  assert.equal(calls, 3);
  const response = await withRetry(async () => ({ status: 503 }), { attempts: 2, sleep: async () => {} });
  assert.equal(response.status, 503);
});

test('withRetry does not retry what is not transient', async () => {
  for (const error of [fault('SOA-02001', false), status(400), status(500), connect('ECONNRESET', true)]) {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls += 1;
          throw error;
        },
        { attempts: 5, sleep: async () => assert.fail('must not sleep') },
      ),
      (e: unknown) => e === error,
    );
    assert.equal(calls, 1);
  }
});

test('withRetry stops when aborted and rejects bad options', async () => {
  const controller = new AbortController();
  await assert.rejects(
    withRetry(
      async () => {
        controller.abort();
        throw status(503);
      },
      { attempts: 3, signal: controller.signal, baseDelayMs: 10_000 },
    ),
    (e: unknown) => e instanceof Error && e.name === 'AbortError',
  );
  await assert.rejects(
    withRetry(async () => 1, { attempts: 0 }),
    TypeError,
  );
  await assert.rejects(
    withRetry(async () => 1, { attempts: 1.5 }),
    TypeError,
  );
});
