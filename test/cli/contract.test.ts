/**
 * The output contract (docs/guide.md, "Output contract"): with --json every command prints ONE
 * object, `{ ok: true, ...result }` on success or `{ ok: false, ..., error: { code, message,
 * hint, details } }` on failure; exit 0, 1 (failure) or 2 (usage). Each command is run in-process
 * against one sandbox of every module (system clock: the OAuth server works on real time);
 * `wss sign/verify` read stdin, so their bodies are run directly. `sandbox` and `demo` are in
 * sandbox.test.ts and demo.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createContext } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';
import { wssSignText } from '../../src/cli/wss-sign-impl.ts';
import { wssVerifyText } from '../../src/cli/wss-verify-impl.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/host.ts';
import { defaultModules } from '../../src/sandbox/modules.ts';
import { captureIo } from '../_support/tmp.ts';
import { requestEnvelope } from '../wss/_helpers.ts';

let sandbox: RunningSandbox;
const dir = mkdtempSync(join(tmpdir(), 'passerelle-contract-'));
before(async () => {
  sandbox = await startSandbox({ stateDir: join(dir, 'state'), modules: defaultModules() });
  writeFileSync(join(dir, 'doc.txt'), 'contract');
});
after(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const cap = captureIo();
  const status = await main(
    [
      'node',
      'passerelle',
      '--json',
      '--config',
      sandbox.configPath,
      // cert csr reads --env as the certificate environment marker (SIM, ...)
      ...(args.includes('--env') ? [] : ['--env', 'sandbox']),
      ...args,
    ],
    { io: cap.io, cwd: dir, env: {} },
  );
  return { status, stdout: cap.stdout, stderr: cap.stderr };
}

/** One JSON object on stdout, nothing on stderr. */
function parsed(r: { stdout: string; stderr: string }) {
  assert.equal(r.stderr, '', 'nothing on stderr under --json');
  const value = JSON.parse(r.stdout);
  assert.equal(typeof value, 'object');
  assert.ok(value !== null && !Array.isArray(value));
  return value;
}

function failed(r: { status: number; stdout: string; stderr: string }, code: string, status = 1) {
  assert.equal(r.status, status, r.stdout);
  const value = parsed(r);
  assert.equal(value.ok, false);
  assert.deepEqual(Object.keys(value.error).sort(), ['code', 'details', 'hint', 'message']);
  assert.equal(value.error.code, code);
  assert.ok(value.error.message.length > 0);
  assert.ok(value.error.hint.length > 0);
  assert.equal(typeof value.error.details, 'object');
  return value;
}

const SUCCESSES: readonly (readonly string[])[] = [
  ['--version'],
  ['env', 'list'],
  ['env', 'show'],
  ['cert', 'dev-ca', '--out', 'pki'],
  ['cert', 'inspect', 'pki/partner-app.p12', '--password-file', 'pki/password'],
  ['cert', 'check', 'pki/partner-app.crt', '--profile', 'ebox', '--ca', 'pki/ca.crt'],
  [
    'cert',
    'csr',
    '--profile',
    'cbss',
    '--cbe',
    '0123456749',
    '--institution',
    'Acme',
    '--app',
    'urn:be:acme:app',
    '--out',
    'csr',
    '--env',
    'SIM',
  ],
  ['call', 'cbss:test-connection', '--echo', 'contract'],
  ['call', 'ehealth:check-connection', '--message', 'contract'],
  ['call', 'ehealth:check-access-control', '--message', 'contract'],
  ['call', 'ehealth:check-brokered-access', '--message', 'contract'],
  ['call', 'mtom:upload', '--file', 'doc.txt'],
  ['call', 'mtom:download', '--size', '1k', '--out', 'got.bin'],
  ['sts', 'token'],
  ['oauth', 'token'],
  ['rest', 'get', '/v1/persons/85073003328', '--api', 'demo'],
  ['rest', 'health', '--api', 'demo'],
];

test('every command with --json prints one { ok: true, ... } object and exits 0', async () => {
  for (const args of SUCCESSES) {
    const r = await run(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    const value = parsed(r);
    assert.equal(value.ok, true, args.join(' '));
    assert.equal(value.error, undefined);
  }
});

test('dates are ISO 8601 and DNs RFC 4514 in the results', async () => {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  const inspect = parsed(
    await run('cert', 'inspect', 'pki/partner-app.p12', '--password-file', 'pki/password'),
  );
  const cert = inspect.entries.find((e: { kind: string }) => e.kind === 'cert');
  assert.match(cert.notBefore, iso);
  assert.match(cert.notAfter, iso);
  assert.match(cert.subject, /^CN=urn:be:fgov:kbo-bce:sandbox:partner-app,OU=SIM,.*,C=BE$/);
  const check = parsed(await run('cert', 'check', 'pki/partner-app.crt'));
  assert.match(check.notAfter, iso);
  assert.equal(check.subject, cert.subject);
  const call = parsed(await run('call', 'cbss:test-connection', '--echo', 'x'));
  assert.match(call.informationCBSS.timestampReply, iso);
  assert.match(call.replySigner.subject, /^CN=[^,]+,.*C=BE$/);
  const sts = parsed(await run('sts', 'token'));
  assert.match(sts.notBefore, iso);
  assert.match(sts.notOnOrAfter, iso);
  assert.match(parsed(await run('oauth', 'token')).expiresAt, iso);
});

test('wss sign and wss verify (stdin commands): { ok: true, envelope } and { ok: true, signer, ... }', async () => {
  const cap = captureIo();
  const ctx = createContext(cap.io, { json: true }, { cwd: dir, processEnv: {} });
  await wssSignText(
    ctx,
    { p12: 'pki/partner-app.p12', passwordFile: 'pki/password', alg: 'auto', inclusiveNamespaces: true },
    requestEnvelope(),
  );
  const signed = JSON.parse(cap.stdout);
  assert.equal(signed.ok, true);
  const verify = captureIo();
  const vctx = createContext(verify.io, { json: true }, { cwd: dir, processEnv: {} });
  assert.equal(await wssVerifyText(vctx, { ca: ['pki/ca.crt'] }, signed.envelope), 0);
  const verified = JSON.parse(verify.stdout);
  assert.equal(verified.ok, true);
  assert.match(verified.signer.subject, /^CN=urn:be:fgov:kbo-bce:sandbox:partner-app,/);
  assert.match(verified.signer.validTo, /Z$/);
});

test('failing commands print { ok: false, error: { code, message, hint, details } } and exit 1 (2 for usage)', async () => {
  failed(await run('env', 'show', 'mars'), 'ERR_CONFIG_UNKNOWN_ENV', 2);
  failed(await run('frobnicate'), 'ERR_USAGE', 2);
  failed(await run('env', 'list', '--nope'), 'ERR_USAGE', 2);
  failed(
    await run('--env', 'mars', 'call', 'cbss:test-connection', '--echo', 'x'),
    'ERR_CONFIG_UNKNOWN_ENV',
    2,
  );
  failed(await run('cert', 'inspect', 'missing.p12'), 'ERR_PKI_FILE_UNREADABLE');
  failed(
    await run(
      'cert',
      'csr',
      '--profile',
      'ebox',
      '--cbe',
      '123',
      '--institution',
      'A',
      '--app',
      'urn:a',
      '--out',
      'c2',
      '--env',
      'SIM',
    ),
    'ERR_IDS_CBE_INVALID',
  );
  // A check with errors is a result AND a failure: its findings and the error.
  const check = failed(
    await run('cert', 'check', 'pki/server.crt', '--profile', 'ebox'),
    'ERR_PKI_CHECK_FAILED',
  );
  assert.ok(check.findings.some((f: { severity: string }) => f.severity === 'error'));
  assert.deepEqual(
    check.error.details.failed,
    check.findings
      .filter((f: { severity: string }) => f.severity === 'error')
      .map((f: { id: string }) => f.id),
  );
  failed(await run('call', 'mtom:upload', '--file', 'missing.pdf'), 'ERR_FILE_NOT_FOUND');
  failed(await run('call', 'mtom:download', '--size', '1k', '--out', 'missing/dir/x'), 'ERR_FILE_UNWRITABLE');
  failed(await run('oauth', 'token', '--client-id', 'unknown:client'), 'ERR_OAUTH_INVALID_CLIENT');
  failed(await run('rest', 'get', '/v1/nothing', '--api', 'demo'), 'ERR_REST_NOT_FOUND');
  const verify = captureIo();
  const vctx = createContext(verify.io, { json: true }, { cwd: dir, processEnv: {} });
  await assert.rejects(wssVerifyText(vctx, { pin: ['nope.pem'] }, requestEnvelope()), (e) => {
    assert.equal((e as { code?: string }).code, 'ERR_FILE_NOT_FOUND');
    assert.match((e as Error & { hint: string }).hint, /--pin/);
    return true;
  });
});
