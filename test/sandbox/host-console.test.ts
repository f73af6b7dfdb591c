import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { consoleModule } from '../../src/sandbox/console/module.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/host.ts';
import type { SandboxModule } from '../../src/sandbox/module.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';
import { httpsGet } from './_https.ts';

const dir = tempDir({ after }, 'passerelle-console-');
let sandbox: RunningSandbox;
let ca: string;
let base: string;

/** A module that logs a rejection with secrets in its fields, as a careless module might. */
const noisy: SandboxModule = {
  name: 'noisy',
  async start(ctx) {
    for (let i = 0; i < 5; i++) {
      ctx.log.warn(
        {
          reason: `assertion expired #${i}`,
          token: 'SECRET-TOKEN',
          privateKey: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
        },
        'call rejected',
      );
    }
    return {
      endpoints: { 'noisy.api': 'https://127.0.0.1:9/' },
      stats: () => ({ rejected: 5 }),
      close: async () => {},
    };
  },
};

before(async () => {
  sandbox = await startSandbox({
    stateDir: join(dir, 'state'),
    clock: new FrozenClock(TEST_NOW),
    modules: [consoleModule(), noisy],
  });
  ca = readFileSync(sandbox.pki.caFile, 'utf8');
  base = sandbox.endpoints['console']!;
});
after(() => sandbox.close());

test('GET /api/v1/status lists every module with endpoints and stats', async () => {
  const res = await httpsGet(`${base}api/v1/status`, ca);
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = JSON.parse(res.body);
  assert.equal(body.version, 1);
  assert.equal(body.startedAt, new Date(TEST_NOW).toISOString());
  assert.deepEqual(
    body.modules.map((m: { name: string }) => m.name),
    ['console', 'noisy'],
  );
  assert.deepEqual(body.modules[1].stats, { rejected: 5 });
  assert.equal(body.endpoints['noisy.api'], 'https://127.0.0.1:9/');
});

test('GET /api/v1/log?limit=N gives the N most recent entries with reasons and no secrets', async () => {
  const res = await httpsGet(`${base}api/v1/log?limit=3`, ca);
  assert.equal(res.status, 200);
  const { entries } = JSON.parse(res.body);
  assert.equal(entries.length, 3);
  const all = JSON.parse((await httpsGet(`${base}api/v1/log?limit=1000`, ca)).body).entries;
  const rejected = all.filter((e: { msg: string }) => e.msg === 'call rejected');
  assert.equal(rejected.length, 5);
  assert.equal(rejected[4].fields.reason, 'assertion expired #4');
  assert.equal(rejected[4].module, 'noisy');
  const text = JSON.stringify(all) + readFileSync(join(sandbox.stateDir, 'sandbox.log'), 'utf8');
  assert.doesNotMatch(text, /SECRET-TOKEN|BEGIN PRIVATE KEY|MIIB/);
});

test('bad requests get problem+json: 400 for a bad limit, 404, 405', async () => {
  for (const q of ['0', '1001', 'abc', '-1', '1e3']) {
    const res = await httpsGet(`${base}api/v1/log?limit=${q}`, ca);
    assert.equal(res.status, 400, `limit=${q}`);
    assert.equal(res.headers['content-type'], 'application/problem+json');
    assert.equal(JSON.parse(res.body).status, 400);
  }
  const missing = await httpsGet(`${base}api/v2/status`, ca);
  assert.equal(missing.status, 404);
  const post = await httpsGet(`${base}api/v1/status`, ca, 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers['allow'], 'GET, HEAD');
});

test('GET / serves a self-contained page whose inline script and style match the CSP hashes', async () => {
  const res = await httpsGet(base, ca);
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.doesNotMatch(res.body, /\b(src|href)=["']?https?:/, 'no external assets');
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  for (const [tag, directive] of [
    ['script', 'script-src'],
    ['style', 'style-src'],
  ] as const) {
    const inline = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(res.body)?.[1] ?? '';
    const hash = createHash('sha256').update(inline).digest('base64');
    assert.ok(csp.includes(`${directive} 'sha256-${hash}'`), `${tag} allowed by its hash`);
  }
  const head = await httpsGet(`${base}api/v1/status`, ca, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});
