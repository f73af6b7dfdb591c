/**
 * Issue 14 items 5 and 6: `passerelle mss conformance serve` (spawned, as an operator runs it:
 * the PSC on its own port with URLs printed, stopped by SIGTERM) and `passerelle mss
 * conformance run` (in process) against the project's sandbox MSSanté operator, through the
 * running service found in its state directory.
 *
 * The sandbox operator validates tokens by introspection at its OWN PSC stub, not at the
 * conformance service: tokens the service mints are refused there, so the token cases fail and
 * the run gives a blocking verdict (exit 11); the TLS cases alone are conformant (exit 0). The
 * exit status is checked against the verdict the run wrote in run.json.
 *
 * Debian's Dovecot configured from serve's printed output only (introspection URL, client id,
 * the secret read from the file named, the PSC's CA) is the operator an operator would be:
 * conformant on its implicit-TLS ports (exit 0, the inbound case through the CLI's receiver),
 * non-conformant major on its STARTTLS ports, which list XOAUTH2 before TLS (exit 10).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, type TestContext, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { INTERRUPTED_EXIT, VERDICT_EXIT } from '../../src/cli/mss-conformance-run.ts';
import { testPki } from '../_support/credentials.ts';
import { startDovecot } from '../_support/dovecot.ts';
import { type MtaRoute, startTestMta } from '../_support/mta.ts';
import { requirePeer } from '../_support/peers.ts';
import { freePort } from '../_support/ports.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { CAMILLE, type MssSandbox, startMss } from '../sandbox/mss/_mss.ts';

const root = new URL('../..', import.meta.url).pathname;
const dir = tempDir({ after }, 'passerelle-cli-conformance-');
const stateDir = join(dir, 'service');
const DOVECOT_MAILBOX = 'camille.martin@mss.dovecot.test';
const APP_MAILBOX = 'controle@application.conformance.test';

type Json = Record<string, unknown>;
interface Ready {
  ok: boolean;
  event: string;
  stateDir: string;
  psc: Record<string, string>;
  app: string;
  inbound?: { address: string; host: string; port: number; caFile: string };
  warnings: string[];
  adminSecretFile: string;
  serviceFile: string;
}

/** `passerelle <args>` in a child process, as an operator runs it. */
const spawnCli = (args: string[]) =>
  spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'src/cli/bin.ts'), ...args], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PASSERELLE_CONFIG: '' },
  });

interface Served {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly ready: Ready;
  /** What it printed so far. */
  out(): string;
  err(): string;
}

/** `passerelle mss conformance serve --json` on ephemeral ports, once its ready line is out. */
async function startServe(args: string[]): Promise<Served> {
  const c = spawnCli(['mss', 'conformance', 'serve', '--json', '--psc-port', '0', '--port', '0', ...args]);
  let o = '';
  let e = '';
  c.stderr?.on('data', (chunk: Buffer) => (e += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => c.on('exit', (code) => resolve(code)));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${o} ${e}`)), 60_000);
    c.stdout?.on('data', (chunk: Buffer) => {
      o += chunk.toString();
      const line = o.split('\n')[0];
      if (o.includes('\n') && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    c.on('exit', () => reject(new Error(`exited before ready: ${e}`)));
  });
  return { child: c, exited, ready, out: () => o, err: () => e };
}

let serve: Served;
let ready: Ready;
let mss: MssSandbox;
const cleanups: (() => unknown)[] = [];

before(async () => {
  serve = await startServe(['--state-dir', stateDir]);
  ready = serve.ready;
  // The sandbox lives for the whole file: its cleanups run in the file's `after`.
  mss = await startMss({ after: (fn: () => unknown) => void cleanups.push(fn) } as unknown as TestContext);
});
after(async () => {
  if (serve?.child.exitCode === null) serve.child.kill('SIGKILL');
  for (const fn of cleanups.reverse()) await fn();
});

async function cli(...args: string[]) {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', ...args], { io: cap.io, cwd: dir, env: {} });
  return { status, stdout: cap.stdout, stderr: cap.stderr };
}
const errorCode = (stdout: string) => ((JSON.parse(stdout) as Json)['error'] as { code: string }).code;

/** The run's target flags against the sandbox operator. */
const target = () => [
  '--target',
  mss.endpoints['mss.imap']!,
  '--smtp',
  mss.endpoints['mss.smtp.starttls']!,
  '--mailbox',
  CAMILLE.mailboxes[0],
  '--idnat',
  CAMILLE.rpps,
  '--ca',
  mss.caFile,
];

test('serve prints the PSC URLs an operator configures, the secret as a file, and publishes service.json', () => {
  assert.equal(ready.ok, true);
  assert.equal(ready.event, 'ready');
  assert.equal(ready.stateDir, stateDir);
  const { psc } = ready;
  assert.match(psc['issuer']!, /^https:\/\/127\.0\.0\.1:\d+\/auth\/realms\/esante-wallet$/);
  for (const key of ['introspection', 'jwks', 'discovery'])
    assert.ok(psc[key]!.startsWith(`${psc['issuer']}/`), `${key}: ${psc[key]}`);
  assert.equal(psc['introspectionClientId'], 'mss-operator');
  const secretFile = psc['introspectionClientSecretFile']!;
  assert.equal(statSync(secretFile).mode & 0o777, 0o600);
  const secret = readFileSync(secretFile, 'utf8').trim();
  assert.ok(secret.length >= 16);
  assert.ok(!serve.out().includes(secret), 'the introspection secret is never printed');
  assert.ok(
    !serve.out().includes(readFileSync(ready.adminSecretFile, 'utf8').trim()),
    'nor the admin secret',
  );
  assert.ok(existsSync(psc['caFile']!));
  assert.match(ready.app, /^http:\/\/127\.0\.0\.1:\d+$/);
  const published = JSON.parse(readFileSync(ready.serviceFile, 'utf8')) as Json;
  assert.equal(published['issuer'], psc['issuer']);
  assert.equal(published['app'], ready.app);
});

test('serve: the discovery document and the web application answer at the printed URLs', async () => {
  const { Agent, fetch } = await import('undici');
  const dispatcher = new Agent({ connect: { ca: readFileSync(ready.psc['caFile']!, 'utf8') } });
  try {
    const discovery = (await (await fetch(ready.psc['discovery']!, { dispatcher })).json()) as Json;
    assert.equal(discovery['issuer'], ready.psc['issuer']);
    assert.equal(discovery['introspection_endpoint'], ready.psc['introspection']);
    assert.equal(discovery['jwks_uri'], ready.psc['jwks']);
  } finally {
    await dispatcher.close();
  }
  const home = await fetch(ready.app);
  assert.equal(home.status, 200);
  assert.match(await home.text(), new RegExp(ready.psc['introspection']!.replace(/[.?*+/]/g, '\\$&')));
});

test('serve --inbound: the ready line names the receiver, which answers SMTP, and the jobs of the web application get it', async (t) => {
  const own = join(dir, 'service-inbound');
  const served = await startServe([
    '--state-dir',
    own,
    '--inbound',
    '127.0.0.1:0',
    '--inbound-address',
    APP_MAILBOX,
    '--case-timeout',
    '10',
  ]);
  t.after(async () => {
    served.child.kill('SIGTERM');
    await served.exited;
  });
  const { inbound } = served.ready;
  assert.equal(inbound?.address, APP_MAILBOX);
  assert.equal(inbound?.host, '127.0.0.1');
  assert.ok((inbound?.port ?? 0) > 0);
  assert.equal(
    inbound?.caFile,
    served.ready.psc['caFile'],
    "the receiver's certificate is from the service's CA",
  );
  const banner = await new Promise<string>((resolve, reject) => {
    const socket = connect(inbound!.port, '127.0.0.1');
    socket.once('data', (c) => {
      socket.end();
      resolve(c.toString());
    });
    socket.once('error', reject);
  });
  assert.match(banner, /^220 /);
  // A job of the operator-interface case alone: with the receiver it runs (the sandbox
  // operator refuses this PSC's token, so it fails naming the application's mailbox) instead
  // of being skipped for want of one.
  const { fetch } = await import('undici');
  const submitted = await fetch(`${served.ready.app}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      operatorName: 'Sandbox operator',
      imap: mss.endpoints['mss.imap'],
      smtp: mss.endpoints['mss.smtp.starttls'],
      mailbox: CAMILLE.mailboxes[0],
      idNat: CAMILLE.rpps,
      ca: readFileSync(mss.caFile, 'utf8'),
      selection: ['operator-interface.inbound-delivery'],
    }),
  });
  assert.equal(submitted.status, 202, await submitted.clone().text());
  const { links } = (await submitted.json()) as { links: { self: string } };
  let job: { status: string; cases: { caseId: string; status: string; message: string }[] };
  const deadline = performance.now() + 60_000;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    job = (await (await fetch(`${served.ready.app}${links.self}`)).json()) as typeof job;
  } while (!['finished', 'failed', 'cancelled'].includes(job.status) && performance.now() < deadline);
  assert.equal(job.status, 'finished', JSON.stringify(job));
  const [only] = job.cases;
  assert.equal(only?.caseId, 'operator-interface.inbound-delivery');
  assert.notEqual(only?.status, 'skipped', only?.message);
  assert.ok(only?.message.includes(APP_MAILBOX), only?.message);
});

test('serve --host / --public-name: the PSC certificate names what the issuer says (trusted by a checking client); every interface without a name: 127.0.0.1 and a warning', async (t) => {
  const [named, published, everywhere] = await Promise.all([
    startServe(['--host', '127.0.0.2', '--state-dir', join(dir, 'service-127.0.0.2')]),
    startServe([
      '--host',
      '0.0.0.0',
      '--public-name',
      '127.0.0.3',
      '--psc-port',
      '0',
      '--port',
      '0',
      '--state-dir',
      join(dir, 'service-published'),
    ]),
    startServe(['--host', '0.0.0.0', '--state-dir', join(dir, 'service-any')]),
  ]);
  t.after(async () => {
    for (const s of [named, published, everywhere]) s.child.kill('SIGTERM');
    await Promise.all([named.exited, published.exited, everywhere.exited]);
  });
  assert.match(named.ready.psc['issuer']!, /^https:\/\/127\.0\.0\.2:\d+\//);
  assert.match(published.ready.psc['issuer']!, /^https:\/\/127\.0\.0\.3:\d+\//);
  for (const s of [named, published]) assert.deepEqual(s.ready.warnings, []);
  const { Agent, fetch } = await import('undici');
  // undici checks the certificate against the URL's host, as the operators' servers do.
  for (const s of [named, published]) {
    const dispatcher = new Agent({ connect: { ca: readFileSync(s.ready.psc['caFile']!, 'utf8') } });
    try {
      const discovery = (await (await fetch(s.ready.psc['discovery']!, { dispatcher })).json()) as Json;
      assert.equal(discovery['issuer'], s.ready.psc['issuer']);
      assert.ok(
        String(discovery['introspection_endpoint']).startsWith(new URL(s.ready.psc['issuer']!).origin),
      );
    } finally {
      await dispatcher.close();
    }
  }
  assert.match(everywhere.ready.psc['issuer']!, /^https:\/\/127\.0\.0\.1:\d+\//);
  assert.equal(everywhere.ready.warnings.length, 1);
  assert.match(everywhere.ready.warnings[0]!, /every interface.*--public-name/);
});

test('run against the sandbox operator: three reports, the exit status of the verdict, no token in --json', async (t) => {
  const outDir = join(dir, 'full');
  const r = await cli(
    'mss',
    'conformance',
    'run',
    ...target(),
    '--client-cert',
    join(mss.dir, 'state', 'pki', 'partner-tls.p12'),
    '--password-file',
    join(mss.dir, 'state', 'pki', 'partner.password'),
    '--client-cert-mailbox',
    'application@sandbox.mssante.fr',
    '--state-dir',
    stateDir,
    '--operator',
    'Sandbox operator',
    '--case-timeout',
    '15',
    '--out',
    outDir,
    '--json',
  );
  const summary = JSON.parse(r.stdout) as Json;
  const run = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')) as {
    runId: string;
    verdict: { level: keyof typeof VERDICT_EXIT; incomplete: boolean };
    results: { caseId: string; status: string; message: string }[];
  };
  const statuses = Object.fromEntries(run.results.map((c) => [c.caseId, c.status]));
  assert.equal(r.status, VERDICT_EXIT[run.verdict.level], `${r.stdout}\n${JSON.stringify(statuses)}`);
  assert.equal(summary['ok'], true);
  assert.equal(summary['runId'], run.runId);
  assert.equal(summary['verdict'], run.verdict.level);
  assert.equal(summary['incomplete'], run.verdict.incomplete);
  assert.equal(summary['exitCode'], r.status);
  assert.deepEqual(summary['reports'], {
    json: join(outDir, 'run.json'),
    html: join(outDir, 'report.html'),
    pdf: join(outDir, 'report.pdf'),
  });
  assert.match(readFileSync(join(outDir, 'report.html'), 'utf8'), /<html/i);
  assert.equal(readFileSync(join(outDir, 'report.pdf')).subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(!r.stdout.includes('eyJ'), 'no token in the --json output');
  // run.json keeps the servers' RFC 7628 error challenges (base64 JSON, `eyJzdGF0dXMi…`) as
  // evidence; what must not be there is a JWT (header.payload.signature).
  const runJson = readFileSync(join(outDir, 'run.json'), 'utf8');
  assert.doesNotMatch(runJson, /eyJ[\w-]+\.eyJ[\w-]+\./, 'no token in run.json');
  assert.equal(r.stderr, '', 'no progress lines under --json');
  // The run really reached the sandbox: TLS and the client certificate pass; the service's
  // tokens are not the sandbox PSC's, so the operator refuses them (a blocking failure).
  for (const id of ['imap.tls12-accepted', 'smtp.tls12-accepted', 'both.client-certificate-accepted'])
    assert.equal(statuses[id], 'passed', id);
  assert.equal(statuses['imap.psc-token-accepted'], 'failed');
  assert.equal(run.verdict.level, 'non-conformant-blocking');
  assert.equal(r.status, 11);
  t.diagnostic(`sandbox verdict ${run.verdict.level}: ${JSON.stringify(statuses)}`);
});

test('run, human mode, TLS cases only: conformant, exit 0, one line per case on stderr', async () => {
  const outDir = join(dir, 'tls');
  const r = await cli(
    'mss',
    'conformance',
    'run',
    ...target(),
    '--state-dir',
    stateDir,
    '--select',
    'imap.tls12-accepted,imap.tls10-refused,imap.tls11-refused,smtp.tls12-accepted',
    '--out',
    outDir,
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^Verdict: CONFORMANT\n/);
  assert.doesNotMatch(r.stdout, /INCOMPLETE/);
  assert.equal(r.stderr.split('\n').filter((l) => /^\[\d\/4\] pass /.test(l)).length, 4, r.stderr);
  for (const f of ['run.json', 'report.html', 'report.pdf']) assert.ok(existsSync(join(outDir, f)), f);
});

/** `mss conformance run` against the target, with the PSC named by URL, admin secret file and the service's CA. */
function runWithPsc(url: string, adminSecretFile: string, ...extra: string[]) {
  return cli(
    'mss',
    'conformance',
    'run',
    ...target(),
    '--psc-url',
    url,
    '--psc-admin-secret-file',
    adminSecretFile,
    '--psc-ca',
    ready.psc['caFile']!,
    ...extra,
  );
}

test('run with --psc-url, --psc-admin-secret-file and --psc-ca: the service named, not the state directory', async () => {
  const r = await runWithPsc(
    ready.psc['issuer']!,
    ready.adminSecretFile,
    '--state-dir',
    join(dir, 'no-service-here'),
    '--select',
    'imap.tls12-accepted,both.server-hostname',
    '--out',
    join(dir, 'remote'),
    '--json',
  );
  assert.equal(r.status, 0, r.stdout);
  const summary = JSON.parse(r.stdout) as Json;
  assert.equal(summary['psc'], ready.psc['issuer']);
  assert.equal(summary['verdict'], 'conformant');
  assert.deepEqual(summary['counts'], {
    passed: 2,
    failed: 0,
    error: 0,
    skipped: 0,
    'not-applicable': 0,
    missing: 0,
  });
});

test('usage errors exit 2 with ERR_USAGE', async () => {
  const missing = await cli('mss', 'conformance', 'run', '--smtp', 'smtps://x', '--json');
  assert.equal(missing.status, 2);
  assert.equal(errorCode(missing.stdout), 'ERR_USAGE');
  for (const extra of [
    ['--select', 'no.such-case'],
    ['--case-timeout', 'soon'],
    ['--psc-url', 'https://127.0.0.1:1/'],
    ['--inbound', '127.0.0.1:2525'],
    ['--inbound', 'no-port', '--inbound-address', 'controle@app.example'],
    ['--client-cert', 'x.p12', '--password-env', 'A', '--password-file', 'b'],
    ['--client-cert-pem', join(dir, 'c.pem')],
  ]) {
    const r = await cli('mss', 'conformance', 'run', ...target(), ...extra, '--json');
    assert.equal(r.status, 2, `${extra.join(' ')}: ${r.stdout}`);
    assert.equal(errorCode(r.stdout), 'ERR_USAGE', extra.join(' '));
  }
  for (const extra of [
    ['--psc-port', '99999'],
    ['--case-timeout', 'soon'],
    ['--inbound', '127.0.0.1:2525'],
    ['--inbound', 'no-port', '--inbound-address', 'controle@app.example'],
    ['--public-name', 'not a name'],
    ['--public-name', 'https://psc.example'],
  ]) {
    const r = await cli(
      'mss',
      'conformance',
      'serve',
      ...extra,
      '--state-dir',
      join(dir, 'unused'),
      '--json',
    );
    assert.equal(r.status, 2, `serve ${extra.join(' ')}: ${r.stdout}`);
    assert.equal(errorCode(r.stdout), 'ERR_USAGE', extra.join(' '));
  }
  const secret = await cli('mss', 'conformance', 'run', ...target(), '--password', 'x', '--json');
  assert.equal(secret.status, 2);
  assert.equal(errorCode(secret.stdout), 'ERR_USAGE_SECRET_ON_ARGV');
});

test('a target that is not one: exit 1 ERR_MSS_CONFORMANCE_TARGET_INVALID naming the field', async () => {
  const args = target();
  args[1] = 'https://127.0.0.1:993';
  const r = await cli('mss', 'conformance', 'run', ...args, '--state-dir', stateDir, '--json');
  assert.equal(r.status, 1, r.stdout);
  assert.equal(errorCode(r.stdout), 'ERR_MSS_CONFORMANCE_TARGET_INVALID');
  assert.equal((JSON.parse(r.stdout) as { error: { details: Json } }).error.details['field'], 'imap');
});

test('no service running, or an unreachable --psc-url: exit 1 ERR_MSS_CONFORMANCE_PSC, nothing written', async () => {
  const none = await cli(
    'mss',
    'conformance',
    'run',
    ...target(),
    '--state-dir',
    join(dir, 'empty'),
    '--json',
  );
  assert.equal(none.status, 1);
  assert.equal(errorCode(none.stdout), 'ERR_MSS_CONFORMANCE_PSC');
  assert.match(none.stdout, /mss conformance serve/);

  const secretFile = join(dir, 'admin-secret');
  writeFileSync(secretFile, 'not-the-secret\n', { mode: 0o600 });
  const port = await freePort();
  const outDir = join(dir, 'unreachable');
  const r = await runWithPsc(`https://127.0.0.1:${port}`, secretFile, '--out', outDir, '--json');
  assert.equal(r.status, 1, r.stdout);
  assert.equal(errorCode(r.stdout), 'ERR_MSS_CONFORMANCE_PSC');
  assert.ok(!existsSync(outDir));

  const refused = await runWithPsc(ready.psc['issuer']!, secretFile, '--json');
  assert.equal(refused.status, 1, refused.stdout);
  assert.equal(errorCode(refused.stdout), 'ERR_MSS_CONFORMANCE_PSC');
  assert.match(refused.stdout, /refused the admin secret/);
  for (const out of [r.stdout + r.stderr, refused.stdout + refused.stderr])
    assert.doesNotMatch(out, /not-the-secret/);
});

test('Dovecot configured with the URLs and client serve printed: run exits 0 (conformant), 10 on its STARTTLS ports (major)', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const pki = await testPki();
  const caFile = join(dir, 'dovecot-ca.pem');
  writeFileSync(caFile, pki.ca.certificate.toString());
  const servicePem = readFileSync(ready.psc['caFile']!, 'utf8');
  // The operator's configuration, from serve's output only: the introspection URL, the client
  // id, the secret read from the file it named, the CA of the PSC's TLS certificate.
  const routes: Record<string, MtaRoute> = {};
  const mta = await startTestMta(t, routes);
  const dovecot = await startDovecot(t, {
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    introspection: {
      url: ready.psc['introspection']!,
      clientId: ready.psc['introspectionClientId']!,
      clientSecret: readFileSync(ready.psc['introspectionClientSecretFile']!, 'utf8').trim(),
    },
    introspectionCa: servicePem,
    clientCa: pki.ca.certificate.toString(),
    submission: { relayPort: mta.port },
  });
  routes[DOVECOT_MAILBOX.split('@')[1]!] = { kind: 'lmtp', port: dovecot.lmtpPort! };
  const inboundPort = await freePort();
  // The receiver's certificate comes from the service's development CA (serve's state dir).
  routes[APP_MAILBOX.split('@')[1]!] = { kind: 'smtp', host: '127.0.0.1', port: inboundPort, ca: servicePem };
  const holder = await pki.issue({
    subject: `C=FR, O=Cabinet de test, CN=${DOVECOT_MAILBOX}`,
    usage: 'tls-client',
  });
  writeFileSync(join(dir, 'holder.crt'), holder.certPem);
  writeFileSync(join(dir, 'holder.key'), holder.keyPem, { mode: 0o600 });
  const run = (imap: string, smtp: string, out: string) =>
    cli(
      'mss',
      'conformance',
      'run',
      '--target',
      imap,
      '--smtp',
      smtp,
      '--mailbox',
      DOVECOT_MAILBOX,
      '--idnat',
      '810002345678',
      '--ca',
      caFile,
      '--client-cert-pem',
      join(dir, 'holder.crt'),
      '--client-key-pem',
      join(dir, 'holder.key'),
      '--inbound',
      `127.0.0.1:${inboundPort}`,
      '--inbound-address',
      APP_MAILBOX,
      '--state-dir',
      stateDir,
      '--operator',
      'Dovecot 2.3 (Debian)',
      '--case-timeout',
      '20',
      '--out',
      join(dir, out),
      '--json',
    );
  const good = await run(
    `imaps://127.0.0.1:${dovecot.imapsPort}`,
    `smtps://127.0.0.1:${dovecot.submissionsPort}`,
    'dovecot',
  );
  const summary = JSON.parse(good.stdout) as Json;
  assert.equal(good.status, 0, `${good.stdout}\n${dovecot.log().slice(-3000)}`);
  assert.equal(summary['verdict'], 'conformant');
  assert.equal(summary['incomplete'], false);
  const counts = summary['counts'] as Record<string, number>;
  assert.equal((counts['failed'] ?? 0) + (counts['error'] ?? 0), 0, JSON.stringify(counts));
  t.diagnostic(`Dovecot through the CLI: ${JSON.stringify(counts)}`);
  assert.ok(!good.stdout.includes('eyJ'), 'no token in the --json output');
  const inbound = (
    JSON.parse(readFileSync(join(dir, 'dovecot', 'run.json'), 'utf8')) as {
      results: { caseId: string; status: string; message: string }[];
    }
  ).results.find((r) => r.caseId === 'operator-interface.inbound-delivery');
  assert.equal(inbound?.status, 'passed', inbound?.message);

  const starttls = await run(
    `imap://127.0.0.1:${dovecot.imapPort}`,
    `smtp://127.0.0.1:${dovecot.submissionPort}`,
    'dovecot-starttls',
  );
  assert.equal(starttls.status, 10, starttls.stdout);
  const major = JSON.parse(starttls.stdout) as Json;
  assert.equal(major['verdict'], 'non-conformant-major');
  assert.deepEqual(
    (major['failures'] as { caseId: string }[]).map((f) => f.caseId),
    ['both.no-auth-before-tls'],
  );
});

test('Ctrl+C cancels run: the cases in flight end as error, the rest skipped, the three reports written, exit 130', async (t) => {
  // A server that accepts and never answers: every case waits on it until the run is cancelled.
  const held: Socket[] = [];
  let accepted!: () => void;
  const connected = new Promise<void>((resolve) => (accepted = resolve));
  const silent = createServer((socket) => {
    held.push(socket);
    accepted();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of held) s.destroy();
    silent.close();
  });
  const { port } = silent.address() as { port: number };
  const outDir = join(dir, 'cancelled');
  const run = spawnCli([
    'mss',
    'conformance',
    'run',
    '--target',
    `imaps://127.0.0.1:${port}`,
    '--smtp',
    `smtps://127.0.0.1:${port}`,
    '--mailbox',
    CAMILLE.mailboxes[0],
    '--idnat',
    CAMILLE.rpps,
    '--ca',
    ready.psc['caFile']!,
    '--state-dir',
    stateDir,
    '--case-timeout',
    '600',
    '--out',
    outDir,
  ]);
  let stdout = '';
  let stderr = '';
  run.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  const started = new Promise<void>((resolve) =>
    run.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (/^Run \S+: \d+ case\(s\) against 127\.0\.0\.1/m.test(stderr)) resolve();
    }),
  );
  const status = new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code)));
  t.after(() => {
    if (run.exitCode === null) run.kill('SIGKILL');
  });
  await Promise.race([started, status]);
  await Promise.race([connected, status]);
  run.kill('SIGINT');
  assert.equal(await status, INTERRUPTED_EXIT, `${stdout}\n${stderr}`);
  assert.match(stderr, /Cancelling: the cases in flight end/);
  assert.match(stdout, /^Run cancelled \(interrupted\)/);
  assert.match(stdout, /INCOMPLETE/);
  for (const f of ['run.json', 'report.html', 'report.pdf']) assert.ok(existsSync(join(outDir, f)), f);
  const result = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')) as {
    verdict: { incomplete: boolean };
    results: { caseId: string; status: string; message: string }[];
  };
  assert.equal(result.verdict.incomplete, true);
  const inFlight = result.results.filter((r) => r.status === 'error');
  assert.deepEqual(
    inFlight.map((r) => r.caseId),
    ['imap.tls12-accepted', 'smtp.tls12-accepted'],
    'the cases in flight (the first ones, on the silent server) ended as error',
  );
  for (const r of inFlight) assert.match(r.message, /run cancelled/);
  // The rest did not run: skipped (cancelled, or after a dependency that did not pass) or n/a.
  for (const r of result.results.filter((r) => r.status !== 'error'))
    assert.ok(['skipped', 'not-applicable'].includes(r.status), `${r.caseId}: ${r.status}`);
});

test('SIGTERM stops serve cleanly: exit 0, service.json removed', async () => {
  serve.child.kill('SIGTERM');
  assert.equal(await serve.exited, 0, serve.err());
  assert.match(serve.out(), /"event":"stopped"/);
  assert.ok(!existsSync(ready.serviceFile));
  assert.equal(serve.err(), '');
});
