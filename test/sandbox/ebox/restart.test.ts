/**
 * One store for SOAP and REST that survives a restart: publish over both, stop the sandbox,
 * start it again on the same state directory: the messages, their documents, their read state
 * and the used Idempotency-Keys are still there.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../_support/tmp.ts';
import { assertEboxFault } from './_assert.ts';
import { CITIZEN, publish, startEbox } from './_ebox.ts';
import { consoleGet } from './_inbox.ts';
import { form, message, postRest, publicationScope, tokenFor } from './_rest.ts';

test('publish (SOAP and REST), stop, start again: still there, read state and idempotency kept', async (t) => {
  const stateDir = join(tempDir(t, 'passerelle-ebox-restart-'), 'state');
  const closers: (() => void | Promise<void>)[] = [];
  const first = await startEbox({ after: (fn) => closers.push(fn) }, {}, stateDir);
  const pdf = Buffer.from('%PDF-1.7 kept across restarts');
  assert.equal((await publish(first, pdf, { ticket: 'KEEP', sequence: 1 })).status, 200);
  const key = {
    authorization: `Bearer ${await tokenFor(first, publicationScope)}`,
    'idempotency-key': '"keep-1"',
  };
  assert.equal((await postRest(first, form(message()), key)).status, 201);
  const list = async (s: typeof first) =>
    (await consoleGet(s, `/api/v1/ebox/citizens/${CITIZEN.active}/messages`)).json()['messages'] as Record<
      string,
      string
    >[];
  const before = await list(first);
  assert.equal(before.length, 2);
  const soapMessage = before.find((m) => m['channel'] === 'soap')!;
  const detail = (
    await consoleGet(first, `/api/v1/ebox/citizens/${CITIZEN.active}/messages/${soapMessage['id']}`)
  ).json();
  const href = (detail['documents'] as Record<string, string>[])[0]!['href']!;
  assert.equal((await consoleGet(first, href)).status, 200);
  for (const close of closers.splice(0).reverse()) await close();
  assert.ok(existsSync(join(stateDir, 'ebox', 'ebox.sqlite')));

  const second = await startEbox(t, {}, stateDir);
  const after = await list(second);
  assert.deepEqual(
    after.map((m) => [m['id'], m['channel']]).sort(),
    before.map((m) => [m['id'], m['channel']]).sort(),
  );
  assert.equal(after.find((m) => m['id'] === soapMessage['id'])!['status'], 'read');
  assert.deepEqual((await consoleGet(second, href)).body, pdf);
  const token = { ...key, authorization: `Bearer ${await tokenFor(second, publicationScope)}` };
  assert.equal((await postRest(second, form(message()), token)).status, 409);
  assertEboxFault(
    second,
    await publish(second, pdf, { ticket: 'KEEP', sequence: 1 }),
    'BusinessError',
    '620',
    'ERR_EBOX_DUPLICATE',
  );
});
