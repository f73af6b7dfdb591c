import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { createContext } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';
import { formatTraceLine } from '../../src/cli/trace-line.ts';
import { wssVerifyText } from '../../src/cli/wss-verify-impl.ts';
import { FrozenClock } from '../../src/clock.ts';
import { startSandbox } from '../../src/sandbox/host.ts';
import { oauthModule } from '../../src/sandbox/oauth/module.ts';
import { restModule } from '../../src/sandbox/rest/module.ts';
import { soaModule } from '../../src/sandbox/soa/module.ts';
import { soaMtomModule } from '../../src/sandbox/soa-mtom/module.ts';
import { stsModule } from '../../src/sandbox/sts/module.ts';
import { decodeXml } from '../../src/utf8.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { runCli, startTestSandbox, type TestSandbox } from '../sandbox/oauth/_start.ts';

// The SOAP side (signed calls, STS and holder-of-key, MTOM) on a frozen clock; OAuth and REST on
// the system clock (oidc-provider judges assertions on real time).
const clock = new FrozenClock(TEST_NOW);
const dir = tempDir({ after }, 'passerelle-cli-trace-');
const soap = await startSandbox({
  stateDir: join(dir, 'state'),
  clock,
  modules: [soaModule(), stsModule(), soaMtomModule()],
});
after(() => soap.close());
let rest: TestSandbox;
before(async () => {
  rest = await startTestSandbox([oauthModule(), restModule()]);
});
after(() => rest?.dispose());

async function run(...args: string[]) {
  const cap = captureIo();
  const status = await main(
    ['node', 'passerelle', '--config', soap.configPath, '--env', 'sandbox', ...args],
    {
      io: cap.io,
      clock,
      cwd: dir,
      env: {},
    },
  );
  return { status, stdout: cap.stdout, stderr: cap.stderr };
}

/** The exchange.json fields these tests read. */
interface ExchangeRecord {
  readonly method: string;
  readonly url: string;
  readonly status: number | null;
  readonly exact: boolean;
  readonly signer: { readonly subject: string; readonly source: string } | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly redactions: readonly unknown[];
  readonly request: { readonly headSent: boolean; readonly parts: readonly { readonly file: string }[] };
  readonly response: { readonly bytes: number; readonly parts: readonly { readonly file: string }[] };
}

/** The exchange folders of a trace directory, in order, and their exchange.json. */
function exchanges(trace: string): { folder: string; record: ExchangeRecord }[] {
  return readdirSync(trace)
    .sort()
    .map((name) => ({
      folder: join(trace, name),
      record: JSON.parse(readFileSync(join(trace, name, 'exchange.json'), 'utf8')) as ExchangeRecord,
    }));
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const LINE =
  /^trace (\d{4}) (POST|GET) 127\.0\.0\.1:\d+(\/\S*) → (\d{3}|ERR_[A-Z_]+)(?: ERR_[A-Z_]+)? {2}out \d+ B {2}in \d+ B {2}\d+ ms(?: {2}signer (.+) \((BinarySecurityToken|holder-of-key)\))?$/;

test('--trace DIR on a signed call: one stderr line per exchange, and the recorded request verifies with wss verify', async () => {
  const r = await run('--trace', 'signed', 'call', 'cbss:test-connection', '--echo', 'hello');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /hello/);
  const lines = r.stderr.split('\n');
  assert.equal(lines.length, 1, r.stderr);
  const m = LINE.exec(lines[0]!);
  assert.ok(m, lines[0]);
  assert.equal(m[1], '0001');
  assert.equal(m[4], '200');
  assert.match(m[5] ?? '', /^CN=urn:be:fgov:ehealth:sandbox:partner/);
  assert.equal(m[6], 'BinarySecurityToken');

  const [one] = exchanges(join(dir, 'signed'));
  assert.equal(statSync(join(dir, 'signed')).mode & 0o777, 0o700);
  assert.equal(one?.record.exact, true);
  assert.equal(one?.record.status, 200);
  assert.match(readFileSync(join(one!.folder, 'request.http'), 'latin1'), /\r\nsoapaction: /i);
  // The recorded bytes, fed to `wss verify --ca` as they are.
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, soap.pki.ca.certPem);
  const cap = captureIo();
  const ctx = createContext(cap.io, {}, { clock, cwd: dir, processEnv: {} });
  const request = readFileSync(join(one!.folder, 'request.xml'));
  assert.equal(await wssVerifyText(ctx, { ca: [caFile] }, decodeXml(request)), 0);
  assert.match(cap.stdout, /^verified: signed by .*CN=urn:be:fgov:ehealth:sandbox:partner/);
  assert.match(cap.stdout, /signed parts: .*body/);
});

test('--json --trace: stdout stays one JSON document, nothing on stderr; STS and holder-of-key exchanges are recorded, the assertion untouched', async () => {
  const r = await run('--json', '--trace', 'hok', 'call', 'ehealth:check-brokered-access', '--message', 'hi');
  assert.equal(r.status, 0, r.stderr || r.stdout);
  assert.equal(JSON.parse(r.stdout).ok, true);
  assert.equal(r.stderr, '');
  const [sts, call] = exchanges(join(dir, 'hok'));
  assert.equal(sts?.record.signer?.source, 'BinarySecurityToken');
  assert.match(readFileSync(join(sts!.folder, 'response.xml'), 'utf8'), /<Assertion /);
  assert.equal(call?.record.signer?.source, 'holder-of-key');
  assert.match(call?.record.signer?.subject ?? '', /CN=urn:be:fgov:ehealth:sandbox:partner/);
  const body = readFileSync(join(call!.folder, 'request.xml'), 'utf8');
  assert.match(body, /<Assertion [^>]*AssertionID="_[0-9a-f]{32}"/);
  assert.equal(call?.record.exact, true);
  assert.deepEqual(call?.record.redactions, []);
});

test('sts token --trace and a failing call: the STS session traces its own transport; a refused call is recorded with its code', async () => {
  const r = await run('--trace', 'sts', 'sts', 'token', '--no-cache');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^trace 0001 POST \S+ → 200 .* \(BinarySecurityToken\)$/);
  const config = JSON.parse(readFileSync(soap.configPath, 'utf8'));
  config.environments.sandbox.endpoints['cbss.soap'] = 'https://127.0.0.1:1/nowhere';
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, JSON.stringify(config));
  const cap = captureIo();
  const status = await main(
    [
      'node',
      'passerelle',
      '--config',
      broken,
      '--trace',
      'sts',
      'call',
      'cbss:test-connection',
      '--echo',
      'x',
    ],
    { io: cap.io, clock, cwd: dir, env: {} },
  );
  assert.equal(status, 1);
  const [line, error] = cap.stderr.split('\n');
  assert.match(
    line ?? '',
    /^trace 0002 POST 127\.0\.0\.1:1\/nowhere\/\S+ → ERR_TRANSPORT_CONNECT {2}out 0 B {2}in 0 B {2}\d+ ms {2}signer CN=/,
  );
  assert.match(error ?? '', /^passerelle: ERR_TRANSPORT_CONNECT: /);
  const [, failed] = exchanges(join(dir, 'sts'));
  assert.equal(failed?.record.error?.code, 'ERR_TRANSPORT_CONNECT');
  assert.equal(failed?.record.request.headSent, false);
});

test('call mtom:upload and mtom:download --trace: the packages and each of their parts are recorded', async () => {
  const file = join(dir, 'report.bin');
  const content = Buffer.from([...Array(200_000).keys()].map((i) => (i * 7) % 251));
  writeFileSync(file, content);
  const up = await run('--trace', 'mtom', 'call', 'mtom:upload', '--file', file);
  assert.equal(up.status, 0, up.stderr);
  const down = await run('--trace', 'mtom', 'call', 'mtom:download', '--size', '300k', '--out', 'got.bin');
  assert.equal(down.status, 0, down.stderr);
  assert.match(up.stderr, /^trace 0001 POST .* \(BinarySecurityToken\)$/);
  assert.match(down.stderr, /^trace 0002 POST .* in \d{6,} B .*\(BinarySecurityToken\)$/);
  const [upload, download] = exchanges(join(dir, 'mtom'));
  const upParts = upload!.record.request.parts;
  assert.equal(upParts.length, 2);
  assert.deepEqual(readFileSync(join(upload!.folder, upParts[1]!.file)), content);
  assert.equal(upload?.record.exact, true);
  const downParts = download!.record.response.parts;
  assert.equal(downParts.length, 2);
  assert.deepEqual(
    readFileSync(join(download!.folder, downParts[1]!.file)),
    readFileSync(join(dir, 'got.bin')),
  );
  assert.equal(download?.record.response.bytes, statSync(join(download!.folder, 'response.mime')).size);
});

test('oauth token and rest get --trace: no access token, client assertion, password or key material in any trace file', async () => {
  const trace = join(rest.stateDir, 'trace');
  const token = await runCli(rest, '--trace', trace, 'oauth', 'token', '--token-file', 'token');
  assert.equal(token.status, 0, token.stderr);
  const got = await runCli(rest, '--trace', trace, 'rest', 'get', '/v1/persons/85073003328', '--api', 'demo');
  assert.equal(got.status, 0, got.stderr);
  assert.equal(JSON.parse(got.stdout).ssin, '85073003328');
  const lines = `${token.stderr}\n${got.stderr}`.split('\n');
  assert.ok(lines.length >= 3, `${token.stderr}\n${got.stderr}`);
  for (const line of lines) assert.match(line, LINE);

  const accessToken = readFileSync(join(rest.stateDir, 'token'), 'utf8');
  const password = readFileSync(rest.pki.partner.files.passwordFile, 'utf8').trim();
  const keyLines = [rest.pki.partner.tls, rest.pki.partner.signing, rest.pki.partner.oauth].flatMap((c) =>
    c.keyPem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')),
  );
  const files = filesUnder(trace);
  assert.ok(files.length >= 10);
  for (const path of files) {
    const text = readFileSync(path, 'latin1');
    const name = relative(trace, path);
    assert.ok(!text.includes(accessToken), `access token in ${name}`);
    assert.ok(!/eyJ[\w-]{10,}/.test(text), `a JWT (token or client assertion) in ${name}`);
    assert.ok(!text.includes(password), `password in ${name}`);
    for (const line of keyLines) assert.ok(!text.includes(line), `key material in ${name}`);
    assert.equal(statSync(path).mode & 0o777, 0o600, name);
  }
  const all = exchanges(trace);
  const tokenCalls = all.filter((e) => e.record.method === 'POST');
  assert.ok(tokenCalls.length >= 2);
  for (const e of tokenCalls) {
    assert.match(
      readFileSync(join(e.folder, 'request.form'), 'utf8'),
      /client_assertion=\[REDACTED:client_assertion\]/,
    );
    assert.match(
      readFileSync(join(e.folder, 'response.json'), 'utf8'),
      /"access_token":\s*"\[REDACTED:access_token\]"/,
    );
    assert.equal(e.record.exact, false);
  }
  const api = all.find((e) => String(e.record.url).includes('/persons/'));
  assert.match(
    readFileSync(join(api!.folder, 'request.http'), 'latin1'),
    /\r\nauthorization: Bearer \[REDACTED:bearer\]\r\n/,
  );
  assert.deepEqual(api?.record.redactions, [{ in: 'request.http', kind: 'bearer', count: 1 }]);
});

test('the summary line: status, error, bytes, time and the signer the request names', () => {
  const base = {
    seq: 12,
    folder: '/t/0012-POST-x',
    method: 'POST',
    url: 'https://h:1/x?code=[REDACTED:code]',
    host: 'h:1',
    path: '/x',
    status: 200,
    bytesOut: 10,
    bytesIn: 20,
    ms: 3,
    signer: { subject: 'CN=a, O=b', source: 'BinarySecurityToken' as const },
    error: null,
    exact: true,
    redactions: [],
    traceError: null,
  };
  assert.equal(
    formatTraceLine(base),
    'trace 0012 POST h:1/x → 200  out 10 B  in 20 B  3 ms  signer CN=a, O=b (BinarySecurityToken)',
  );
  assert.equal(
    formatTraceLine({
      ...base,
      signer: null,
      error: { code: 'ERR_TRANSPORT_BODY_TOO_LARGE', message: 'm' },
      traceError: 'trace files could not be written (ENOSPC)',
    }),
    'trace 0012 POST h:1/x → 200 ERR_TRANSPORT_BODY_TOO_LARGE  out 10 B  in 20 B  3 ms  [trace files could not be written (ENOSPC)]',
  );
  assert.equal(
    formatTraceLine({ ...base, status: null, signer: null }),
    'trace 0012 POST h:1/x → no response  out 10 B  in 20 B  3 ms',
  );
});

test('--trace onto a file is ERR_FILE_UNWRITABLE (exit 1), before any request', async () => {
  writeFileSync(join(dir, 'a-file'), 'x');
  const r = await run('--json', '--trace', 'a-file', 'call', 'cbss:test-connection', '--echo', 'x');
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout);
  assert.equal(out.error.code, 'ERR_FILE_UNWRITABLE');
  assert.match(out.error.hint, /--trace/);
});
