/**
 * Issue 11's crash test on PostgreSQL: a run of 2,000 documents shared by two worker processes
 * through pg-boss (same URL, same run id; both try to create the run, one does, the other joins),
 * publishing over SOAP to a real sandbox eBox. Worker B is SIGKILLed at seeded random points (at
 * least 4 times: around the run's creation, then mid-run) and started again; worker A runs
 * throughout and takes over B's lapsed leases through pg-boss's expiry. At the end the sandbox —
 * asked through its inbox API, not the runner — holds every document exactly once, and the
 * store's report agrees (every item done, the same message id as the sandbox's for its ticket).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Agent, request } from 'undici';
import { openPostgresBatchStore } from '../../src/batch/postgres-store.ts';
import { writeBatchReport } from '../../src/batch/write-report.ts';
import { MemoryLogger } from '../../src/log.ts';
import { consoleModule } from '../../src/sandbox/console/module.ts';
import { eboxModule } from '../../src/sandbox/ebox/module.ts';
import { startSandbox } from '../../src/sandbox/host.ts';
import { oauthModule } from '../../src/sandbox/oauth/module.ts';
import { requirePostgres } from '../_support/postgres.ts';
import { seededRandom } from '../_support/seeded.ts';
import { tempDir } from '../_support/tmp.ts';

const ITEMS = 2000;
const KILLS = 4;
const CITIZENS = ['85073003328', '05031212360', '91451545659'];

function writeManifest(dir: string): string {
  mkdirSync(join(dir, 'docs'));
  const lines = ['recipient,messageType,title,file,ticket,sequence'];
  for (let i = 1; i <= ITEMS; i++) {
    writeFileSync(join(dir, 'docs', `${i}.pdf`), `%PDF-1.7\n% statement ${i}\n%%EOF\n`);
    const ticket = i % 10 === 0 ? `PGCRASH-${i},1` : ',';
    lines.push(
      `${CITIZENS[i % 3]},PASSERELLE_PAYMENT_STATEMENT,"Relevé n° ${i}, décembre",docs/${i}.pdf,${ticket}`,
    );
  }
  const path = join(dir, 'manifest.csv');
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

interface Session {
  readonly name: string;
  readonly killed: boolean;
  readonly code: number | null;
  readonly ended: number;
  readonly created: boolean;
  readonly ms: number;
  readonly stderr: string;
}

function session(name: string, args: object, killAfterMs: number | undefined): Promise<Session> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, '_postgres-crash-worker.ts'),
      JSON.stringify({ ...args, name }),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let ended = 0;
  let created = false;
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    ended += s.split('"type":"done"').length - 1;
    if (s.includes('"created"')) created = true;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ name, killed: signal === 'SIGKILL', code, ended, created, ms: Date.now() - started, stderr });
    });
  });
}

test(`PostgreSQL: ${ITEMS} documents shared by two workers, one SIGKILLed ${KILLS}+ times: each document in the sandbox exactly once, the report agrees`, {
  timeout: 600_000,
}, async (t) => {
  const pg = await requirePostgres(t);
  if (!pg) return;
  const url = pg.database();
  const dir = tempDir(t, 'passerelle-batch-pgcrash-');
  const sandbox = await startSandbox({
    stateDir: join(dir, 'sandbox'),
    log: new MemoryLogger(),
    modules: [consoleModule(), oauthModule(), eboxModule()],
    journal: false,
  });
  t.after(() => sandbox.close());

  async function inbox(
    inss: string,
  ): Promise<{ id: string; ticket?: string; sequence?: number; versions: number }[]> {
    const agent = new Agent({ connect: { ca: sandbox.pki.ca.certPem } });
    try {
      const res = await request(
        `${sandbox.endpoints['console']!.replace(/\/$/, '')}/api/v1/ebox/citizens/${inss}/messages`,
        { dispatcher: agent },
      );
      assert.equal(res.statusCode, 200);
      return ((await res.body.json()) as { messages: never[] }).messages;
    } finally {
      await agent.close();
    }
  }

  const args = {
    url,
    manifest: writeManifest(dir),
    runId: 'pg-crash-run',
    config: sandbox.configPath,
    concurrency: 8,
    leaseMs: 1500,
  };
  const random = seededRandom(17);
  const started = Date.now();
  const workerA = session('a', args, undefined);
  const sessionsB: Session[] = [];
  let kills = 0;
  while (kills < KILLS) {
    // The first kill falls around the run's creation (both workers race to create it), the
    // others mid-run, while B holds claims.
    const killAfterMs = kills === 0 ? 1200 + random() * 1200 : 2500 + random() * 2500;
    const s = await session('b', args, killAfterMs);
    sessionsB.push(s);
    if (s.killed) kills++;
    else assert.equal(s.code, 0, s.stderr);
    if (!s.killed) break;
  }
  if (sessionsB.at(-1)?.killed) sessionsB.push(await session('b', args, undefined));
  const a = await workerA;
  const elapsedMs = Date.now() - started;
  assert.equal(a.code, 0, a.stderr);
  assert.equal(sessionsB.at(-1)!.code, 0, sessionsB.at(-1)!.stderr);
  assert.ok(kills >= KILLS, `worker B was killed ${kills} times`);
  assert.ok(a.ended > 0, 'worker A published');
  assert.ok(
    sessionsB.some((s) => s.ended > 0),
    'worker B published',
  );

  const messages = (await Promise.all(CITIZENS.map(inbox))).flat();
  const byTicket = new Map<string, typeof messages>();
  for (const m of messages) {
    const key = `${m.ticket}#${m.sequence ?? ''}`;
    byTicket.set(key, [...(byTicket.get(key) ?? []), m]);
  }
  assert.equal(messages.length, ITEMS, 'the sandbox holds one message per document');
  assert.equal(byTicket.size, ITEMS, 'no ticket twice');

  const store = await openPostgresBatchStore({ url });
  const reportPath = join(dir, 'report.json');
  try {
    assert.equal(await writeBatchReport(store, 'pg-crash-run', reportPath), ITEMS);
  } finally {
    await store.close();
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
    counts: { done: number };
    items: { state: string; ticket: string; sequence: number | null; messageId: string; attempts: number }[];
  };
  assert.equal(report.counts.done, ITEMS);
  for (const item of report.items) {
    const found = byTicket.get(`${item.ticket}#${item.sequence ?? ''}`);
    assert.equal(found?.length, 1, `ticket ${item.ticket} in the sandbox once`);
    assert.equal(
      found[0]!.id,
      item.messageId,
      `ticket ${item.ticket}: the report's message id is the sandbox's`,
    );
  }
  const replaced = messages.filter((m) => m.versions > 1).length;
  const retried = report.items.filter((i) => i.attempts > 1).length;
  const creators = [a, ...sessionsB].filter((s) => s.created).length;
  t.diagnostic(
    `items ${ITEMS}, kills of B ${kills}, ${elapsedMs} ms (${Math.round((ITEMS * 1000) / elapsedMs)} documents/s overall), ` +
      `run creations completed ${creators}, replaced in the sandbox ${replaced}, ` +
      `claimed more than once ${retried}; A: ${a.ended} done in ${a.ms} ms; B: ${sessionsB
        .map((s) => `${s.killed ? 'killed' : 'ended'} after ${s.ms} ms, ${s.ended} done`)
        .join('; ')}`,
  );
});
