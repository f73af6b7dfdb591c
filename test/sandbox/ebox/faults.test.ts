/**
 * Seeded fault injection of the sandbox eBox, seen by real clients (undici, and the library's
 * publishEboxMessage / createEboxRestClient): transient faults (SOA-02002 with Retry true,
 * XSD-valid; REST 503) and resets before anything is stored, a reset after the commit (the reply
 * is lost) followed by a retry that leaves exactly one message in the inbox, slow replies held
 * by an injected sleep, the crash switch (refused, reset, then back), the control endpoint and
 * its refusals, and determinism: the same seed gives the same faults, whatever the order.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, type TestContext, test } from 'node:test';
import { Agent, request } from 'undici';
import { createContext } from '../../../src/cli/context.ts';
import { main } from '../../../src/cli/main.ts';
import { serveSandbox } from '../../../src/cli/sandbox-impl.ts';
import { FrozenClock } from '../../../src/clock.ts';
import { resolveEnvironment } from '../../../src/config/environment.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { isPasserelleError } from '../../../src/errors.ts';
import { MemoryLogger } from '../../../src/log.ts';
import { consoleModule } from '../../../src/sandbox/console/module.ts';
import { type EboxFaultOptions, eboxModule } from '../../../src/sandbox/ebox/module.ts';
import { startSandbox } from '../../../src/sandbox/host.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import { createEboxRestClient } from '../../../src/services/ebox/index.ts';
import { publishEboxMessage } from '../../../src/services/ebox/soap-publish.ts';
import { createServiceContext } from '../../../src/services/service-context.ts';
import { parseEnvelope } from '../../../src/soap/parse-envelope.ts';
import { classifyRetry } from '../../../src/transport/classify-retry.ts';
import { childElements } from '../../../src/xml/dom.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { captureIo, tempDir } from '../../_support/tmp.ts';
import { assertEboxFault, assertValidReply } from './_assert.ts';
import { CITIZEN, type EboxSandbox, publish, startEbox, TYPES_NS } from './_ebox.ts';
import { consoleGet } from './_inbox.ts';
import { form, message, postRest, publicationScope, tokenFor } from './_rest.ts';
import { assertSwagger } from './_swagger.ts';

const ERRORS_NS = 'http://socialsecurity.be/errors/v1';
const pdf = Buffer.from('%PDF-1.7\n% faults\n%%EOF\n');

/** POSTs (or GETs) the fault control as the partner (mutual TLS). */
async function control(s: EboxSandbox, body?: unknown, agent: Agent = s.agent) {
  const res = await request(s.sandbox.endpoints['ebox.control']!, {
    method: body === undefined ? 'GET' : 'POST',
    dispatcher: agent,
    ...(body === undefined
      ? {}
      : {
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** The messages of a citizen's inbox (counted by the sandbox's inbox API). */
async function inbox(s: EboxSandbox, inss: string = CITIZEN.active) {
  const r = await consoleGet(s, `/api/v1/ebox/citizens/${inss}/messages`);
  assert.equal(r.status, 200);
  return r.json()['messages'] as Record<string, unknown>[];
}

/** The error a request that should fail fails with. */
async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (error) {
    return error as Error & { code?: string };
  }
  assert.fail('the request succeeded');
}

const injected = (s: EboxSandbox) => {
  const stats = s.sandbox.modules['ebox']!.stats!();
  return Object.fromEntries(Object.entries(stats).filter(([k]) => k.startsWith('injected.')));
};

const s = await startEbox({ after });
let bearer: Record<string, string> = {};
before(async () => {
  bearer = { authorization: `Bearer ${await tokenFor(s, publicationScope)}` };
});

test('no faults unless configured: the settings start at zero and crash off', async () => {
  const r = await control(s);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), {
    transientRate: 0,
    resetRate: 0,
    lostReplyRate: 0,
    slowRate: 0,
    slowMs: 2000,
    crash: 'off',
  });
  assert.equal((await publish(s, pdf, { ticket: 'NF-1' })).status, 200);
  assert.deepEqual(injected(s), {});
});

test('SOAP transient fault: SOA-02002 SystemError, Retry true, XSD-valid, nothing stored; the retry is stored once', async (t) => {
  assert.equal((await control(s, { transientRate: 1 })).status, 200);
  const before = (await inbox(s)).length;
  const reply = await publish(s, pdf, { ticket: 'TR-1' });
  assertEboxFault(s, reply, 'SystemError', 'SOA-02002', 'injected-transient', 500);
  const error = childElements(childElements(childElements(parseEnvelope(reply.text).body)[0]!)[2]!)[0]!;
  assert.equal(childElements(error, ERRORS_NS, 'Retry')[0]?.textContent, 'true');
  assertValidReply(t, reply);
  assert.equal((await inbox(s)).length, before);
  await control(s, { transientRate: 0 });
  assert.equal((await publish(s, pdf, { ticket: 'TR-1' })).status, 200);
  const mine = (await inbox(s)).filter((m) => m['ticket'] === 'TR-1');
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!['versions'], 1);
  assert.equal(injected(s)['injected.transient'], 1);
  assert.equal(s.sandbox.modules['ebox']!.stats!()['faults.SOA-02002'], 1);
});

test('REST transient fault: 503 SERVICE_UNAVAILABLE StatusMessage with Retry-After, nothing stored; the retry with the same key is stored', async () => {
  await control(s, { transientRate: 1 });
  const before = (await inbox(s)).length;
  const headers = { ...bearer, 'idempotency-key': '"TR-REST-1"' };
  const reply = await postRest(s, form(message()), headers);
  assert.equal(reply.status, 503, reply.text);
  assertSwagger('StatusMessage', reply.json());
  assert.equal(reply.json()['code'], 'SERVICE_UNAVAILABLE');
  assert.equal(reply.headers['retry-after'], '1');
  assert.equal((await inbox(s)).length, before);
  await control(s, { transientRate: 0 });
  assert.equal((await postRest(s, form(message()), headers)).status, 201);
  assert.equal((await inbox(s)).length, before + 1);
});

test('reset before storing: SOAP and REST see ECONNRESET mid-request; nothing stored; the sandbox serves the next call', async () => {
  await control(s, { resetRate: 1 });
  const before = (await inbox(s)).length;
  const soap = await failure(publish(s, pdf, { ticket: 'RS-1' }));
  assert.equal(soap.code, 'ECONNRESET', String(soap));
  const rest = await failure(postRest(s, form(message()), { ...bearer, 'idempotency-key': '"RS-REST-1"' }));
  assert.equal(rest.code, 'ECONNRESET', String(rest));
  assert.equal((await inbox(s)).length, before);
  assert.equal(injected(s)['injected.reset'], 2);
  // The journal records an exchange once its connection closed: poll (bounded).
  const noted = () => s.sandbox.exchanges(500).filter((e) => e.fault === 'injected reset');
  for (let i = 0; i < 500 && noted().length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(
    noted()
      .map((e) => [e.listener, e.reason, e.completed])
      .sort(),
    [
      ['ebox-rest', 'fault-injection:reset', false],
      ['ebox-soap', 'fault-injection:reset', false],
    ],
  );
  await control(s, { resetRate: 0 });
  assert.equal((await publish(s, pdf, { ticket: 'RS-1' })).status, 200);
  assert.equal((await inbox(s)).length, before + 1);
});

test('lost reply over SOAP: stored, then reset; the retry with the same ticket+sequence replaces it (one message, same id, versions 2)', async () => {
  await control(s, { lostReplyRate: 1 });
  const lost = await failure(publish(s, pdf, { ticket: 'LR-1', sequence: 1 }));
  assert.equal(lost.code, 'ECONNRESET', String(lost));
  const stored = (await inbox(s)).filter((m) => m['ticket'] === 'LR-1');
  assert.equal(stored.length, 1, 'the publication was committed before the reply was lost');
  await control(s, { lostReplyRate: 0 });
  const retry = await publish(s, pdf, { ticket: 'LR-1', sequence: 1 });
  assert.equal(retry.status, 200, retry.text.slice(0, 400));
  const id = childElements(childElements(parseEnvelope(retry.text).body)[0]!, TYPES_NS, 'ID')[0]?.textContent;
  const after = (await inbox(s)).filter((m) => m['ticket'] === 'LR-1');
  assert.equal(after.length, 1);
  assert.equal(after[0]!['id'], stored[0]!['id']);
  assert.equal(after[0]!['id'], id);
  assert.equal(after[0]!['versions'], 2);
  assert.equal(injected(s)['injected.lostReply'], 1);
});

test('lost reply over REST: stored, then reset; the retry with the same Idempotency-Key is 409 DUPLICATE_REQUEST ("already published"), one message', async () => {
  await control(s, { lostReplyRate: 1 });
  const subject = { fr: 'Décompte perdu' };
  const headers = { ...bearer, 'idempotency-key': '"LR-REST-1"' };
  const lost = await failure(postRest(s, form(message({ subject })), headers));
  assert.equal(lost.code, 'ECONNRESET', String(lost));
  await control(s, { lostReplyRate: 0 });
  const retry = await postRest(s, form(message({ subject })), headers);
  assert.equal(retry.status, 409, retry.text);
  assert.equal(retry.json()['code'], 'DUPLICATE_REQUEST');
  assert.equal((await inbox(s)).filter((m) => m['subject'] === 'Décompte perdu').length, 1);
});

test('control: refused without a client certificate; 400 for a bad setting (each says what), 404, 405', async () => {
  const anonymous = new Agent({ connect: { ca: s.sandbox.pki.ca.certPem } });
  try {
    const error = await failure(control(s, undefined, anonymous));
    assert.match(
      String(error.code),
      /^(ECONNRESET|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|UND_ERR_SOCKET)$/,
    );
  } finally {
    await anonymous.close();
  }
  for (const [body, detail] of [
    [{ transientRate: 2 }, 'transientRate is a number from 0 to 1'],
    [{ transientRate: 0.6, resetRate: 0.6 }, 'transientRate + resetRate + lostReplyRate is at most 1'],
    [{ slowMs: -1 }, 'slowMs is an integer from 0 to 600000'],
    [{ crash: 'maybe' }, 'crash is one of off, refuse, reset'],
    [{ chaos: 1 }, 'unknown setting chaos'],
    ['[1]', 'Send a JSON object'],
    ['{', 'Send a JSON object'],
  ] as const) {
    const r = await control(s, body);
    assert.equal(r.status, 400);
    assert.equal(r.json()['detail'], detail);
  }
  assert.equal((await control(s)).json()['transientRate'], 0, 'a refused change changes nothing');
  const base = s.sandbox.endpoints['ebox.control']!.replace('/_control/faults', '');
  const nowhere = await request(`${base}/other`, { dispatcher: s.agent });
  assert.equal(nowhere.statusCode, 404);
  await nowhere.body.dump();
  const put = await request(s.sandbox.endpoints['ebox.control']!, {
    method: 'PUT',
    dispatcher: s.agent,
    body: '{}',
  });
  assert.equal(put.statusCode, 405);
  await put.body.dump();
});

test('crash switch: refuse (ECONNREFUSED), reset (ECONNRESET), then back; the console and the control stay up', async () => {
  const r = await control(s, { crash: 'refuse' });
  assert.equal(r.status, 200);
  assert.equal(r.json()['crash'], 'refuse');
  const refused = await failure(publish(s, pdf, { ticket: 'CR-1' }));
  assert.equal(refused.code, 'ECONNREFUSED', String(refused));
  const restRefused = await failure(postRest(s, form(message()), bearer));
  assert.equal(restRefused.code, 'ECONNREFUSED', String(restRefused));
  assert.equal((await consoleGet(s, '/api/v1/status')).status, 200);
  assert.equal((await control(s, { crash: 'reset' })).json()['crash'], 'reset');
  const reset = await failure(publish(s, pdf, { ticket: 'CR-1' }));
  assert.equal(reset.code, 'ECONNRESET', String(reset));
  assert.ok((injected(s)['injected.crashReset'] ?? 0) >= 1);
  assert.equal((await control(s, { crash: 'off' })).json()['crash'], 'off');
  assert.equal((await publish(s, pdf, { ticket: 'CR-1' })).status, 200);
  assert.equal((await postRest(s, form(message()), bearer)).status, 201);
  assert.equal(injected(s)['injected.crash.refuse'], 1);
  assert.equal(injected(s)['injected.crash.reset'], 1);
});

test('crash refuse drops a request in flight (its client sees the connection go)', async () => {
  let stop = () => {};
  const stalled = new Promise<void>((r) => {
    stop = r;
  });
  async function* slowBody() {
    yield Buffer.from('--x\r\n');
    await stalled;
  }
  const pending = failure(
    request(s.soapUrl, {
      method: 'POST',
      dispatcher: s.agent,
      headers: { 'content-type': 'multipart/related; type="text/xml"; boundary="x"' },
      body: slowBody() as unknown as Buffer,
    }).then((res) => res.body.text()),
  );
  await new Promise((r) => setTimeout(r, 200));
  await control(s, { crash: 'refuse' });
  const error = await pending;
  stop();
  assert.match(String(error.code), /^(ECONNRESET|UND_ERR_SOCKET)$/, String(error));
  assert.ok((injected(s)['injected.crashDropped'] ?? 0) >= 1);
  await control(s, { crash: 'off' });
  assert.equal((await publish(s, pdf, { ticket: 'CR-2' })).status, 200);
});

test('slow replies: stored first, the reply held by the injected sleep for slowMs', async (t) => {
  const waits: number[] = [];
  let release = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const slow = await startEbox(t, {
    faults: {
      slowRate: 1,
      slowMs: 1234,
      sleep: async (ms) => {
        waits.push(ms);
        await gate;
      },
    },
  });
  let done = false;
  const reply = publish(slow, pdf, { ticket: 'SL-1' }).finally(() => {
    done = true;
  });
  for (let i = 0; i < 500 && waits.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(waits, [1234]);
  assert.equal(done, false, 'the reply waits');
  assert.equal((await inbox(slow)).filter((m) => m['ticket'] === 'SL-1').length, 1, 'already stored');
  release();
  assert.equal((await reply).status, 200);
  assert.equal(injected(slow)['injected.slow'], 1);
});

test('slow replies with the real timer: a reply takes at least slowMs', async (t) => {
  const slow = await startEbox(t, { faults: { slowRate: 1, slowMs: 300 } });
  const started = performance.now();
  assert.equal((await publish(slow, pdf, { ticket: 'SL-2' })).status, 200);
  assert.ok(performance.now() - started >= 290);
});

test('invalid fault options are a TypeError at construction', () => {
  assert.throws(() => eboxModule({ faults: { transientRate: -0.1 } }), {
    name: 'TypeError',
    message: 'eboxModule: faults: transientRate is a number from 0 to 1',
  });
  assert.throws(() => eboxModule({ faults: { transientRate: 0.5, resetRate: 0.3, lostReplyRate: 0.3 } }), {
    name: 'TypeError',
    message: 'eboxModule: faults: transientRate + resetRate + lostReplyRate is at most 1',
  });
  assert.throws(() => eboxModule({ faults: { crash: 'down' as 'off' } }), TypeError);
});

// --- Determinism -------------------------------------------------------------------------------

const MIXED: EboxFaultOptions = {
  transientRate: 0.25,
  resetRate: 0.15,
  lostReplyRate: 0.1,
  slowRate: 0.2,
  slowMs: 0,
};

async function seeded(t: TestContext, seed: string) {
  const stateDir = join(tempDir(t, 'passerelle-ebox-faults-'), 'state');
  const clock = new FrozenClock(TEST_NOW);
  const sandbox = await startSandbox({
    stateDir,
    clock,
    log: new MemoryLogger(),
    seed,
    journal: false,
    modules: [consoleModule(), oauthModule(), eboxModule({ faults: MIXED })],
  });
  const { tls } = sandbox.pki.partner;
  const agent = new Agent({ connect: { ca: sandbox.pki.ca.certPem, cert: tls.certPem, key: tls.keyPem } });
  t.after(async () => {
    await agent.close();
    await sandbox.close();
  });
  return {
    sandbox,
    clock,
    log: new MemoryLogger(),
    stateDir,
    soapUrl: sandbox.endpoints['ebox.soap']!,
    restUrl: sandbox.endpoints['ebox.rest']!,
    agent,
  } satisfies EboxSandbox;
}

/** The outcome of each publication in order: 200, a SOA code, or the socket error. */
async function outcomes(sb: EboxSandbox, tickets: readonly string[]): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  for (const ticket of tickets) {
    try {
      const reply = await publish(sb, pdf, { ticket });
      seen[ticket] =
        reply.status === 200 ? '200' : (/<err:Code>([^<]+)</.exec(reply.text)?.[1] ?? String(reply.status));
    } catch (error) {
      seen[ticket] = String((error as { code?: string }).code);
    }
  }
  return seen;
}

test('determinism: the same seed gives the same faults, in any order; another seed gives others', async (t) => {
  const tickets = Array.from({ length: 24 }, (_, i) => `DET-${i}`);
  const a = await outcomes(await seeded(t, 'seed-A'), tickets);
  const b = await outcomes(await seeded(t, 'seed-A'), [...tickets].reverse());
  const c = await outcomes(await seeded(t, 'seed-B'), tickets);
  assert.deepEqual(b, a);
  assert.notDeepEqual(c, a);
  const kinds = new Set(Object.values(a));
  for (const k of ['200', 'SOA-02002', 'ECONNRESET'])
    assert.ok(kinds.has(k), `${k} in ${[...kinds].join(', ')}`);
});

test('determinism: the n-th attempt of a publication draws the same in two sandboxes with the same seed', async (t) => {
  const one = await seeded(t, 'seed-R');
  const two = await seeded(t, 'seed-R');
  const attempts = async (sb: EboxSandbox) => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push((await outcomes(sb, ['SAME']))['SAME']!);
    return seen;
  };
  assert.deepEqual(await attempts(two), await attempts(one));
});

// --- The library's clients retrying --------------------------------------------------------------

test('publishEboxMessage with retries through transient faults: the citizen gets the document exactly once', async (t) => {
  const sb = await startEbox(t, { faults: { transientRate: 0.5 } });
  const config = await loadConfig({ path: sb.sandbox.configPath, env: {} });
  const environment = resolveEnvironment(config, 'sandbox', {});
  const waits: number[] = [];
  const ctx = await createServiceContext(environment, {
    clock: sb.clock,
    processEnv: {},
    retry: { attempts: 20, sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
  });
  t.after(() => ctx.close());
  const file = join(tempDir(t, 'passerelle-ebox-faults-doc-'), 'doc.pdf');
  writeFileSync(file, pdf);
  for (let i = 0; i < 8; i++) {
    await publishEboxMessage(ctx, {
      recipient: CITIZEN.active,
      messageType: 'PASSERELLE_PAYMENT_STATEMENT',
      subject: { lang: 'fr', text: `Décompte ${i}` },
      document: { path: file },
      ticket: `LIB-${i}`,
    });
  }
  const messages = await inbox(sb);
  for (let i = 0; i < 8; i++) assert.equal(messages.filter((m) => m['ticket'] === `LIB-${i}`).length, 1);
  assert.equal(messages.length, 8);
  assert.ok((injected(sb)['injected.transient'] ?? 0) >= 1, 'some attempts were refused');
  assert.equal(waits.length, injected(sb)['injected.transient']);
});

test('library clients: a transient fault is retryable (soa-02002, http-503); a reset mid-request is an ERR_TRANSPORT_CONNECT sent', async (t) => {
  const sb = await startEbox(t, { faults: { transientRate: 1 } });
  const config = await loadConfig({ path: sb.sandbox.configPath, env: {} });
  const environment = resolveEnvironment(config, 'sandbox', {});
  const ctx = await createServiceContext(environment, { clock: sb.clock, processEnv: {} });
  t.after(() => ctx.close());
  const rest = await createEboxRestClient(environment, { clock: { now: () => Date.now() }, processEnv: {} });
  t.after(() => rest.close());
  const file = join(tempDir(t, 'passerelle-ebox-faults-lib-'), 'doc.pdf');
  writeFileSync(file, pdf);
  const publication = {
    recipient: CITIZEN.active,
    messageType: 'PASSERELLE_PAYMENT_STATEMENT',
    subject: { lang: 'fr' as const, text: 'Décompte' },
    document: { path: file },
    ticket: 'LIB-T',
  };
  const soap = await failure(publishEboxMessage(ctx, publication));
  assert.ok(isPasserelleError(soap, 'ERR_SOAP_FAULT'), String(soap));
  assert.equal(soap.details['soaCode'], 'SOA-02002');
  assert.deepEqual(classifyRetry(soap), { retry: true, reason: 'soa-02002' });
  const restError = await failure(rest.publish(publication));
  assert.ok(isPasserelleError(restError, 'ERR_TRANSPORT_HTTP_STATUS'), String(restError));
  assert.equal(restError.details['status'], 503);
  assert.deepEqual(classifyRetry(restError), { retry: true, reason: 'http-503' });
  await control(sb, { transientRate: 0, resetRate: 1 });
  const reset = await failure(publishEboxMessage(ctx, publication));
  assert.ok(isPasserelleError(reset, 'ERR_TRANSPORT_CONNECT'), String(reset));
  assert.equal(reset.details['errno'], 'ECONNRESET');
  // The transport cannot tell whether a request it sent was processed: not transient for it (a
  // batch runner with idempotency keys may still retry it; see eboxModule).
  assert.equal(reset.details['requestSent'], true);
  await control(sb, { resetRate: 0, crash: 'refuse' });
  const refused = await failure(publishEboxMessage(ctx, publication));
  assert.ok(isPasserelleError(refused, 'ERR_TRANSPORT_CONNECT'), String(refused));
  assert.deepEqual(classifyRetry(refused), { retry: true, reason: 'connection-refused' });
  await control(sb, { crash: 'reset' });
  const crashReset = await failure(publishEboxMessage(ctx, publication));
  assert.ok(isPasserelleError(crashReset, 'ERR_TRANSPORT_CONNECT'), String(crashReset));
  assert.equal(crashReset.details['requestSent'], false);
  assert.deepEqual(classifyRetry(crashReset), { retry: true, reason: 'connection-reset' });
  await control(sb, { crash: 'off', lostReplyRate: 1 });
  const lost = await failure(publishEboxMessage(ctx, publication));
  assert.ok(isPasserelleError(lost, 'ERR_TRANSPORT_CONNECT'), String(lost));
  assert.equal(lost.details['errno'], 'ECONNRESET');
  assert.equal(lost.details['requestSent'], true);
  assert.equal(
    (await inbox(sb)).filter((m) => m['ticket'] === 'LIB-T').length,
    1,
    'stored before the reply was lost',
  );
  await control(sb, { lostReplyRate: 0 });
  assert.ok((await publishEboxMessage(ctx, publication)).messageId.length > 0);
  assert.equal((await inbox(sb)).filter((m) => m['ticket'] === 'LIB-T').length, 1);
});

test('a sandbox started crashed refuses publications, comes back when switched off, and closes either way', async (t) => {
  const sb = await startEbox(t, { faults: { crash: 'refuse' } });
  assert.equal((await control(sb)).json()['crash'], 'refuse');
  const refused = await failure(publish(sb, pdf, { ticket: 'START-1' }));
  assert.equal(refused.code, 'ECONNREFUSED', String(refused));
  assert.equal((await control(sb, { crash: 'off' })).json()['crash'], 'off');
  assert.equal((await publish(sb, pdf, { ticket: 'START-1' })).status, 200);
  await control(sb, { crash: 'refuse' });
  // t.after closes the sandbox while it is crashed.
});

// --- From the configuration file -----------------------------------------------------------------

test('passerelle sandbox: sandbox.ebox.faults configures the module; rates over 1 in all are ERR_CONFIG_INVALID', async (t) => {
  const dir = tempDir(t, 'passerelle-ebox-faults-cli-');
  const faults = { transientRate: 0.25, resetRate: 0.05, slowRate: 0.1, slowMs: 50 };
  writeFileSync(join(dir, 'passerelle.config.json'), JSON.stringify({ sandbox: { ebox: { faults } } }));
  const clock = new FrozenClock(TEST_NOW);
  const ctx = createContext(captureIo().io, { json: true }, { clock, cwd: dir, processEnv: {} });
  const controller = new AbortController();
  let info: Record<string, unknown> = {};
  await serveSandbox(ctx, { stateDir: 'state' }, controller.signal, (sb) => {
    info = { ...sb.info['ebox'] };
    setImmediate(() => controller.abort());
  });
  const { control: where, ...settings } = info['faults'] as Record<string, unknown>;
  assert.deepEqual(settings, { ...faults, lostReplyRate: 0, crash: 'off' });
  assert.match(String(where), /^GET\|POST https:\/\/127\.0\.0\.1:\d+\/_control\/faults \(mutual TLS\)$/);
  assert.equal((info['citizens'] as unknown[]).length, 5, 'the registries keep their defaults');

  writeFileSync(
    join(dir, 'passerelle.config.json'),
    JSON.stringify({ sandbox: { ebox: { faults: { transientRate: 0.6, lostReplyRate: 0.6 } } } }),
  );
  const cap = captureIo();
  const status = await main(['node', 'passerelle', 'sandbox', '--json', '--state-dir', 'state2'], {
    io: cap.io,
    clock,
    cwd: dir,
    env: {},
  });
  assert.equal(status, 1);
  const error = JSON.parse(cap.stdout).error as {
    code: string;
    message: string;
    details: { setting: string };
  };
  assert.equal(error.code, 'ERR_CONFIG_INVALID');
  assert.equal(error.details.setting, 'sandbox.ebox');
  assert.match(error.message, /transientRate \+ resetRate \+ lostReplyRate is at most 1/);
});
