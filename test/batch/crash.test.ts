/**
 * Issue 11's crash test: a run of 2,000 documents published over SOAP to a real sandbox eBox by a
 * runner in a child process that is SIGKILLed at seeded random points (at least 5 times: during
 * the run's creation, mid-run) and started again on the same state file. At the end the sandbox
 * — asked through its inbox API, not the runner — holds every document exactly once, and the
 * runner's report agrees (every item done, the same message id as the sandbox's for its ticket).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Agent, request } from 'undici';
import { openSqliteBatchStore } from '../../src/batch/sqlite-store.ts';
import { writeBatchReport } from '../../src/batch/write-report.ts';
import { MemoryLogger } from '../../src/log.ts';
import { consoleModule } from '../../src/sandbox/console/module.ts';
import { eboxModule } from '../../src/sandbox/ebox/module.ts';
import { startSandbox } from '../../src/sandbox/host.ts';
import { oauthModule } from '../../src/sandbox/oauth/module.ts';
import { seededRandom } from '../_support/seeded.ts';
import { tempDir } from '../_support/tmp.ts';

const ITEMS = 2000;
const KILLS = 5;
const CITIZENS = ['85073003328', '05031212360', '91451545659'];
const dir = tempDir({ after }, 'passerelle-batch-crash-');
const sandbox = await startSandbox({
  stateDir: join(dir, 'sandbox'),
  log: new MemoryLogger(),
  modules: [consoleModule(), oauthModule(), eboxModule()],
  journal: false,
});
after(() => sandbox.close());

function writeManifest(): string {
  mkdirSync(join(dir, 'docs'));
  const lines = ['recipient,messageType,title,file,ticket,sequence'];
  for (let i = 1; i <= ITEMS; i++) {
    writeFileSync(join(dir, 'docs', `${i}.pdf`), `%PDF-1.7\n% statement ${i}\n%%EOF\n`);
    const ticket = i % 10 === 0 ? `CRASH-${i},1` : ',';
    lines.push(
      `${CITIZENS[i % 3]},PASSERELLE_PAYMENT_STATEMENT,"Relevé n° ${i}, décembre",docs/${i}.pdf,${ticket}`,
    );
  }
  const path = join(dir, 'manifest.csv');
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

interface Session {
  readonly killed: boolean;
  readonly code: number | null;
  readonly ended: number;
  /** The last phase the runner announced before it ended or was killed. */
  readonly phase: string;
  readonly ms: number;
  readonly stderr: string;
}

/** When to kill: `ms` after the runner announces `phase` (it prints `{"phase":...}`). */
interface Kill {
  readonly phase: 'creating' | 'publishing';
  readonly ms: number;
}

function session(args: object, kill: Kill | undefined): Promise<Session> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '_crash-runner.ts'), JSON.stringify(args)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let ended = 0;
  let phase = 'starting';
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    ended += s.split('"type":"done"').length - 1;
    for (const m of s.matchAll(/"phase":"(\w+)"/g)) {
      phase = m[1]!;
      if (kill?.phase === phase) timer = setTimeout(() => child.kill('SIGKILL'), kill.ms);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, ended, phase, ms: Date.now() - started, stderr });
    });
  });
}

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

test(`${ITEMS} documents, the runner SIGKILLed ${KILLS}+ times and resumed: each document in the sandbox exactly once, the report agrees`, async (t) => {
  const manifest = writeManifest();
  const state = join(dir, 'batch', 'state.sqlite');
  const args = {
    state,
    manifest,
    runId: 'crash-run',
    config: sandbox.configPath,
    concurrency: 12,
    leaseMs: 1500,
  };
  const random = seededRandom(11);
  const sessions: Session[] = [];
  const started = Date.now();
  let kills = 0;
  for (let i = 0; i < KILLS + 10; i++) {
    // The first kill falls during the run's creation, the others at random points of the publishing.
    const kill: Kill | undefined =
      kills >= KILLS
        ? undefined
        : kills === 0
          ? { phase: 'creating', ms: random() * 100 }
          : { phase: 'publishing', ms: 300 + random() * 1500 };
    const s = await session(args, kill);
    sessions.push(s);
    if (s.killed) kills++;
    else {
      assert.equal(s.code, 0, s.stderr);
      if (kills >= KILLS) break;
    }
  }
  const elapsedMs = Date.now() - started;
  assert.ok(kills >= KILLS, `the runner was killed ${kills} times`);
  assert.equal(sessions.at(-1)!.code, 0, 'the last session ended the run');

  const messages = (await Promise.all(CITIZENS.map(inbox))).flat();
  const byTicket = new Map<string, typeof messages>();
  for (const m of messages)
    byTicket.set(`${m.ticket}#${m.sequence ?? ''}`, [
      ...(byTicket.get(`${m.ticket}#${m.sequence ?? ''}`) ?? []),
      m,
    ]);
  assert.equal(messages.length, ITEMS, 'the sandbox holds one message per document');
  assert.equal(byTicket.size, ITEMS, 'no ticket twice');

  const store = openSqliteBatchStore({ path: state });
  const reportPath = join(dir, 'report.json');
  assert.equal(await writeBatchReport(store, 'crash-run', reportPath), ITEMS);
  await store.close();
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
    counts: { done: number; failed: number; invalid: number };
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
  assert.equal(report.items.filter((i) => i.ticket.startsWith('CRASH-')).length, ITEMS / 10);
  const replaced = messages.filter((m) => m.versions > 1).length;
  const retried = report.items.filter((i) => i.attempts > 1).length;
  t.diagnostic(
    `items ${ITEMS}, kills ${kills}, sessions ${sessions.length}, ${elapsedMs} ms ` +
      `(${Math.round((ITEMS * 1000) / elapsedMs)} documents/s overall), replaced in the sandbox ${replaced}, ` +
      `claimed more than once ${retried}; per session: ${sessions.map((s) => `${s.killed ? `killed while ${s.phase}` : 'ended'} after ${s.ms} ms, ${s.ended} done`).join('; ')}`,
  );
});
