/**
 * The conformance web application's JSON API, driven with fetch: PSC and catalogue, input
 * validation with codes, the bounded FIFO queue, server-sent event order, cancellation, failed
 * runs, persistence across a restart, and refusal of cross-origin and misdirected requests.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { CATALOGUE, CATALOGUE_VERSION } from '../../../../src/mss/conformance/catalogue.ts';
import { testPki } from '../../../_support/credentials.ts';
import { tempDir } from '../../../_support/tmp.ts';
import { failingRun, fakeRun, gate, json, PSC, postJob, readSse, runError, settled, start } from './_app.ts';

const pki = await testPki();
const JOB = {
  operatorName: 'Opérateur Test',
  imap: 'imaps://127.0.0.1:10993',
  smtp: 'smtps://127.0.0.1:10465',
  mailbox: 'jean.dupont@sandbox.mssante.fr',
  idNat: '810001234567',
  ca: pki.ca.certPem,
  selection: ['imap.tls12-accepted', 'smtp.tls12-accepted', 'imap.psc-token-accepted'],
};

async function problem(res: Response, status: number) {
  assert.equal(res.status, status, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  return (await json(res)) as { code?: string; field?: string; detail: string };
}

test('PSC endpoints without the client secret; the catalogue with its version', async (t) => {
  const s = await start(tempDir(t), fakeRun().runJob);
  t.after(() => s.app.close());
  const psc = await json(await s.api('/api/v1/psc'));
  assert.deepEqual(psc, {
    issuer: PSC.issuer,
    introspection: PSC.introspection,
    jwks: PSC.jwks,
    discovery: PSC.discovery,
    introspectionClient: { clientId: PSC.introspectionClient.clientId },
  });
  const cat = await json(await s.api('/api/v1/catalogue'));
  assert.equal(cat.version, CATALOGUE_VERSION);
  assert.deepEqual(
    cat.cases.map((c: { id: string }) => c.id),
    CATALOGUE.map((c) => c.id),
  );
  const home = await s.api('/');
  assert.match(home.headers.get('content-security-policy') ?? '', /default-src 'none'.*form-action 'self'/);
  assert.ok(
    (await home.text()).includes(PSC.introspectionClient.clientSecret),
    'the home page shows the secret',
  );
  assert.equal(JSON.stringify(s.log.entries).includes(PSC.introspectionClient.clientSecret), false);
});

test('invalid input: 400 problem with the code and the field; 415 and 413', async (t) => {
  const s = await start(tempDir(t), fakeRun().runJob);
  t.after(() => s.app.close());
  const cases: [Record<string, unknown>, string][] = [
    [{ ...JOB, imap: 'https://127.0.0.1' }, 'imap'],
    [{ ...JOB, smtp: 'smtps://other.example.fr' }, 'smtp'],
    [{ ...JOB, mailbox: 'nobody' }, 'mailbox'],
    [{ ...JOB, idNat: '81-00' }, 'idNat'],
    [{ ...JOB, ca: 'not a pem' }, 'ca'],
    [{ ...JOB, operatorName: '  ' }, 'operatorName'],
    [{ ...JOB, operatorName: 42 }, 'operatorName'],
    [{ ...JOB, selection: ['imap.nope'] }, 'selection'],
    [{ ...JOB, selection: [] }, 'selection'],
    [{ ...JOB, extra: 1 }, 'extra'],
    [{ ...JOB, clientCertificate: { certPem: pki.ec.certPem, keyPem: pki.rsa.keyPem } }, 'clientKey'],
    [{ ...JOB, ca: undefined }, 'ca'],
  ];
  for (const [body, field] of cases) {
    const p = await problem(await postJob(s, body), 400);
    assert.deepEqual(
      [p.code, p.field],
      ['ERR_MSS_CONFORMANCE_TARGET_INVALID', field],
      JSON.stringify(body).slice(0, 80),
    );
    assert.doesNotMatch(p.detail, /-----BEGIN|MII[A-Za-z0-9+/]{8}/);
  }
  assert.equal((await problem(await postJob(s, '{"operatorName":'), 400)).field, 'body');
  assert.equal((await problem(await postJob(s, '[1]'), 400)).field, 'body');
  const form = await s.api('/api/v1/jobs', { method: 'POST', body: 'a=b' });
  assert.equal((await problem(form, 415)).code, 'ERR_USAGE');
  const big = await postJob(s, { ...JOB, ca: 'x'.repeat(300 * 1024) });
  assert.equal((await problem(big, 413)).code, 'ERR_USAGE');
  assert.deepEqual((await json(await s.api('/api/v1/jobs'))).jobs, []);
});

test('a job runs; its events arrive in order; the result and the JSON report follow', async (t) => {
  const hold = gate();
  const run = fakeRun({
    step: (id) => (id === 'smtp.tls12-accepted' ? hold.wait : undefined),
    outcome: (id) => (id === 'imap.psc-token-accepted' ? 'failed' : 'passed'),
  });
  const s = await start(tempDir(t), run.runJob, { defaultCa: pki.ca.certPem });
  t.after(() => s.app.close());
  const res = await postJob(s, { ...JOB, ca: undefined });
  assert.equal(res.status, 202);
  const { id, status, links } = await json(res);
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.equal(status, 'running', 'the queue was empty: the job started at once');
  assert.equal(res.headers.get('location'), `/api/v1/jobs/${id}`);
  assert.equal(links.events, `/api/v1/jobs/${id}/events`);
  assert.equal(run.calls[0]?.target.ca, pki.ca.certPem, 'the default CA stands in');

  const stream = await s.api(links.events);
  assert.equal(stream.headers.get('content-type'), 'text/event-stream');
  const running = (await json(await s.api(links.self))) as {
    status: string;
    progress: unknown;
    cases: { status: string }[];
  };
  assert.equal(running.status, 'running');
  assert.deepEqual(running.progress, { done: 1, total: 3 });
  assert.deepEqual(
    running.cases.map((c) => c.status),
    ['passed', 'running', 'pending'],
  );
  assert.equal(
    (await problem(await s.api(`${links.self}/report.json`), 409)).detail.includes('running'),
    true,
  );
  hold.open();
  const events = await readSse(stream);
  assert.deepEqual(
    events.map((e) => [
      e.event,
      (e.data as { type?: string; status?: string }).type ?? (e.data as { status: string }).status,
    ]),
    [
      ['status', 'running'],
      ['progress', 'run-started'],
      ['progress', 'case-started'],
      ['progress', 'case-finished'],
      ['progress', 'case-started'],
      ['progress', 'case-finished'],
      ['progress', 'case-started'],
      ['progress', 'case-finished'],
      ['progress', 'run-finished'],
      ['status', 'finished'],
    ],
  );
  assert.deepEqual(
    events.map((e) => Number(e.id)),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(events.at(-1)?.data, {
    status: 'finished',
    verdict: { level: 'non-conformant-blocking', incomplete: false },
  });
  // Resuming after event 8 replays only what followed.
  const resumed = await readSse(await s.api(links.events, { headers: { 'last-event-id': '8' } }));
  assert.deepEqual(
    resumed.map((e) => e.id),
    ['9', '10'],
  );

  const job = await settled(s, id);
  assert.equal((job['result'] as { runId: string }).runId.length, 36);
  assert.deepEqual(Object.keys(job['links'] as object), [
    'self',
    'events',
    'page',
    'reportJson',
    'reportHtml',
    'reportPdf',
  ]);
  const report = await s.api(`/api/v1/jobs/${id}/report.json`);
  assert.equal(report.status, 200);
  assert.match(
    report.headers.get('content-disposition') ?? '',
    /^attachment; filename="mss-conformance-operateur-test-2026-06-15-[0-9a-f]{8}\.json"$/,
  );
  assert.deepEqual(await json(report), job['result']);
  const html = await s.api(`/api/v1/jobs/${id}/report.html`);
  assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(html.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.match(await html.text(), /data-verdict="non-conformant-blocking"/);
  const pdf = await s.api(`/api/v1/jobs/${id}/report.pdf`);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.match(
    pdf.headers.get('content-disposition') ?? '',
    /^attachment; filename="mss-conformance-.*\.pdf"$/,
  );
  assert.equal(
    Buffer.from(await pdf.arrayBuffer())
      .subarray(0, 5)
      .toString('latin1'),
    '%PDF-',
  );
});

test('the queue runs one job at a time, first in first out, and refuses beyond maxQueued (503)', async (t) => {
  const holds = new Map<string, ReturnType<typeof gate>>();
  const run = fakeRun({
    step: (_id, req) => {
      if (!holds.has(req.operatorName)) holds.set(req.operatorName, gate());
      return holds.get(req.operatorName)!.wait;
    },
  });
  const s = await start(tempDir(t), run.runJob, { maxQueued: 2 });
  t.after(() => s.app.close());
  const one = { ...JOB, selection: ['imap.tls12-accepted'] };
  const ids: string[] = [];
  for (const name of ['A', 'B', 'C'])
    ids.push((await json(await postJob(s, { ...one, operatorName: name }))).id);
  const full = await postJob(s, { ...one, operatorName: 'D' });
  await problem(full, 503);
  assert.equal(full.headers.get('retry-after'), '60');
  const list = (await json(await s.api('/api/v1/jobs'))).jobs as {
    operatorName: string;
    status: string;
  }[];
  assert.deepEqual(
    list.map((j) => [j.operatorName, j.status]),
    [
      ['C', 'queued'],
      ['B', 'queued'],
      ['A', 'running'],
    ],
  );
  // Cancelling a queued job frees its place at once.
  const cancelled = await s.api(`/api/v1/jobs/${ids[1]}`, { method: 'DELETE' });
  assert.equal(cancelled.status, 200);
  assert.equal((await json(cancelled)).status, 'cancelled');
  assert.equal((await postJob(s, { ...one, operatorName: 'D' })).status, 202);
  for (const name of ['A', 'C', 'D']) {
    while (!holds.has(name)) await new Promise((resolve) => setImmediate(resolve));
    holds.get(name)!.open();
  }
  const last = (await json(await s.api('/api/v1/jobs'))).jobs[0].id;
  await settled(s, last);
  assert.deepEqual(
    run.calls.map((r) => r.operatorName),
    ['A', 'C', 'D'],
  );
  const statuses = (
    (await json(await s.api('/api/v1/jobs'))).jobs as { operatorName: string; status: string }[]
  ).map((j) => [j.operatorName, j.status]);
  assert.deepEqual(statuses, [
    ['D', 'finished'],
    ['C', 'finished'],
    ['B', 'cancelled'],
    ['A', 'finished'],
  ]);
});

test('DELETE aborts a running job through its signal; an ended job answers 409, an unknown one 404', async (t) => {
  const hold = gate();
  let signalSeen: AbortSignal | undefined;
  const run = fakeRun({ step: () => hold.wait });
  const s = await start(tempDir(t), async (req, hooks) => {
    signalSeen = hooks.signal;
    hooks.signal.addEventListener('abort', () => hold.open());
    return run.runJob(req, hooks);
  });
  t.after(() => s.app.close());
  const { id } = await json(await postJob(s, JOB));
  const del = await s.api(`/api/v1/jobs/${id}`, { method: 'DELETE' });
  assert.equal(del.status, 202);
  const job = await settled(s, id);
  assert.equal(signalSeen?.aborted, true);
  assert.equal(job['status'], 'cancelled');
  assert.deepEqual(
    job['verdict'],
    { level: 'conformant', incomplete: true },
    'the partial result is kept, incomplete',
  );
  await problem(await s.api(`/api/v1/jobs/${id}`, { method: 'DELETE' }), 409);
  await problem(await s.api('/api/v1/jobs/00000000-0000-4000-8000-000000000000', { method: 'DELETE' }), 404);
  await problem(await s.api('/api/v1/jobs/..%2f..%2fetc'), 404);
});

test('a run that throws: failed with its code (ERR_INTERNAL for a non-Passerelle error), no stack', async (t) => {
  const dir = tempDir(t);
  const a = await start(dir, failingRun(runError('PSC service unreachable at http://127.0.0.1:1')));
  const { id } = await json(await postJob(a, JOB));
  const job = await settled(a, id);
  assert.deepEqual(
    [job['status'], job['error']],
    ['failed', { code: 'ERR_MSS_CONFORMANCE_PSC', message: 'PSC service unreachable at http://127.0.0.1:1' }],
  );
  await a.app.close();
  const b = await start(dir, failingRun(new RangeError('boom at secret place')));
  t.after(() => b.app.close());
  const second = await settled(b, (await json(await postJob(b, JOB))).id);
  assert.deepEqual(second['error'], {
    code: 'ERR_INTERNAL',
    message: 'The run stopped on an internal error (see the application log)',
  });
  const page = await (await b.api(`/jobs/${second['id']}`)).text();
  assert.match(page, /ERR_INTERNAL/);
  assert.doesNotMatch(page, /boom|RangeError|at .*\.ts:\d+/);
});

test('finished jobs are listed again after a restart; one interrupted comes back failed', async (t) => {
  const dir = tempDir(t);
  const hold = gate();
  const first = await start(
    dir,
    fakeRun({ step: (_id, req) => (req.operatorName === 'late' ? hold.wait : undefined) }).runJob,
  );
  const done = (await json(await postJob(first, JOB))).id;
  const before = await settled(first, done);
  const late = (await json(await postJob(first, { ...JOB, operatorName: 'late' }))).id;
  const queued = (await json(await postJob(first, { ...JOB, operatorName: 'queued' }))).id;
  const closing = first.app.close();
  hold.open();
  await closing;

  const again = await start(dir, fakeRun().runJob);
  t.after(() => again.app.close());
  const jobs = (await json(await again.api('/api/v1/jobs'))).jobs as Record<string, unknown>[];
  const byId = new Map(jobs.map((j) => [j['id'], j]));
  assert.equal(byId.get(done)?.['status'], 'finished');
  assert.deepEqual(byId.get(done)?.['verdict'], before['verdict']);
  assert.equal(byId.get(late)?.['status'], 'cancelled', 'aborted by close');
  assert.deepEqual(
    [byId.get(queued)?.['status'], (byId.get(queued)?.['error'] as { code: string } | undefined)?.code],
    ['failed', 'ERR_INTERNAL'],
  );
  const restored = await json(await again.api(`/api/v1/jobs/${done}`));
  assert.deepEqual(restored.result, before['result']);
  assert.equal((await again.api(`/api/v1/jobs/${done}/report.json`)).status, 200);
  const events = await readSse(await again.api(`/api/v1/jobs/${done}/events`));
  assert.deepEqual(
    events.map((e) => [e.event, (e.data as { status: string }).status]),
    [['status', 'finished']],
  );
});

/** A raw HTTP request (fetch would not send a Host header of our choice). */
function raw(url: string, method: string, headers: Record<string, string>, body = '') {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('cross-origin POST and DELETE are refused; a foreign Host header too (DNS rebinding)', async (t) => {
  const s = await start(tempDir(t), fakeRun().runJob);
  t.after(() => s.app.close());
  const body = JSON.stringify(JOB);
  const jsonType = { 'content-type': 'application/json' };
  for (const headers of <Record<string, string>[]>[
    { origin: 'http://evil.example' },
    { 'sec-fetch-site': 'cross-site' },
    { origin: 'null' },
  ])
    await problem(await postJob(s, JOB, headers), 403);
  const form = new URLSearchParams({
    operatorName: 'x',
    imap: JOB.imap,
    smtp: JOB.smtp,
    mailbox: JOB.mailbox,
    idNat: JOB.idNat,
  });
  const formPost = await s.api('/jobs', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'http://evil.example',
      'sec-fetch-site': 'cross-site',
    },
    body: form,
    redirect: 'manual',
  });
  assert.equal(formPost.status, 403);
  assert.deepEqual((await json(await s.api('/api/v1/jobs'))).jobs, []);
  const host = new URL(s.app.url).host;
  const rebound = await raw(`${s.app.url}/`, 'GET', { host: `evil.example:${new URL(s.app.url).port}` });
  assert.equal(rebound.status, 421);
  assert.equal(rebound.body.includes(PSC.introspectionClient.clientSecret), false);
  const sameOrigin = await raw(
    `${s.app.url}/api/v1/jobs`,
    'POST',
    { ...jsonType, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
    body,
  );
  assert.equal(sameOrigin.status, 202);
  const viaLocalhost = await raw(`${s.app.url}/api/v1/jobs`, 'GET', {
    host: `localhost:${new URL(s.app.url).port}`,
  });
  assert.equal(viaLocalhost.status, 200);
});

test('the form: 303 to the job page, or the form again (400) with the message; the client key is never echoed', async (t) => {
  const hold = gate();
  const s = await start(tempDir(t), fakeRun({ step: () => hold.wait }).runJob, { maxQueued: 0 });
  t.after(() => s.app.close());
  const post = (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
    return s.api('/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body,
      redirect: 'manual',
    });
  };
  const fields = {
    operatorName: 'Op',
    imap: JOB.imap,
    smtp: JOB.smtp,
    mailbox: JOB.mailbox,
    idNat: JOB.idNat,
    ca: pki.ca.certPem,
    cases: ['smtp.tls12-accepted', 'imap.tls12-accepted'],
  };
  const bad = await post({
    ...fields,
    mailbox: 'nobody',
    clientCert: pki.ec.certPem,
    clientKey: pki.ec.keyPem,
  });
  assert.equal(bad.status, 400);
  const page = await bad.text();
  assert.match(page, /<p class="field-error" id="e-mailbox">The mailbox must be an e-mail address/);
  assert.match(page, /id="f-mailbox" name="mailbox" class="invalid"/);
  assert.ok(page.includes('value="Op"'), 'values kept');
  assert.equal(page.includes('PRIVATE KEY'), false, 'the key is not echoed');
  assert.match(await (await post({ ...fields, clientKey: pki.ec.keyPem })).text(), /id="e-clientCert"/);
  assert.match(await (await post({ ...fields, cases: [] })).text(), /id="e-cases">Select at least one case/);

  const ok = await post(fields);
  assert.equal(ok.status, 303);
  const location = ok.headers.get('location') ?? '';
  assert.match(location, /^\/jobs\/[0-9a-f-]{36}$/);
  const id = location.split('/').at(-1)!;
  assert.deepEqual((await json(await s.api(`/api/v1/jobs/${id}`))).selection, [
    'imap.tls12-accepted',
    'smtp.tls12-accepted',
  ]);
  const jobPage = await s.api(location);
  assert.match(jobPage.headers.get('content-security-policy') ?? '', /script-src 'sha256-[A-Za-z0-9+/=]+'/);
  assert.match(await jobPage.text(), /data-events="\/api\/v1\/jobs\/[0-9a-f-]{36}\/events"/);
  // maxQueued 0: nothing waits behind the running job.
  const full = await post(fields);
  assert.equal(full.status, 503);
  assert.match(await full.text(), /La file d’attente est pleine/);
  const cancel = await s.api(`/jobs/${id}/cancel`, {
    method: 'POST',
    headers: { 'sec-fetch-site': 'same-origin' },
    redirect: 'manual',
  });
  assert.deepEqual([cancel.status, cancel.headers.get('location')], [303, location]);
  assert.equal((await settled(s, id))['status'], 'cancelled');
  const finished = await s.api(location);
  assert.equal(finished.headers.get('content-security-policy')?.includes("script-src 'none'"), true);
  assert.equal((await s.api('/jobs/00000000-0000-4000-8000-000000000000')).status, 404);
});
