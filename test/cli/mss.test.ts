import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mssModule } from '../../src/sandbox/mss/module.ts';
import { DEFAULT_PSC_PROFESSIONALS } from '../../src/sandbox/psc/professionals.ts';
import { runCli, startTestSandbox, type TestSandbox } from '../sandbox/oauth/_start.ts';

// Issue 13 item 3: `passerelle mss login|status|send|folders|list|fetch|move|delete|logout`
// against the sandbox PSC stub and operator, through the client configuration the sandbox writes.
let sandbox: TestSandbox;
const [camille, louis] = DEFAULT_PSC_PROFESSIONALS as unknown as [
  { rpps: string; mailboxes: string[] },
  { rpps: string },
];
const mailbox = camille.mailboxes[0] as string;

before(async () => {
  sandbox = await startTestSandbox([mssModule()]);
});
after(async () => {
  await sandbox?.dispose();
});

type Json = Record<string, unknown>;
const json = (stdout: string) => JSON.parse(stdout) as Json;
const code = (stdout: string) => (json(stdout)['error'] as { code: string }).code;

test('mss without a login: ERR_MSS_LOGIN_REQUIRED', async () => {
  const r = await runCli(sandbox, 'mss', 'list', '--json');
  assert.equal(r.status, 1);
  assert.equal(code(r.stdout), 'ERR_MSS_LOGIN_REQUIRED');
});

test('mss login (sandbox login page), send with an attachment and a CDA, list, fetch, move, delete, status, logout', async () => {
  const login = await runCli(sandbox, 'mss', 'login', '--sandbox-login', camille.rpps, '--json');
  assert.equal(login.status, 0, login.stderr + login.stdout);
  const session = json(login.stdout)['session'] as Json;
  assert.equal(session['rpps'], camille.rpps);
  assert.equal(session['acr'], 'eidas1');
  const tokenFile = String(json(login.stdout)['tokenFile']);
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  assert.ok(!login.stdout.includes('eyJ'), 'no token in the output');

  const attachment = join(sandbox.stateDir, 'resultats.pdf');
  writeFileSync(attachment, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(50_000, 7)]));
  const cda = join(sandbox.stateDir, 'cr.xml');
  writeFileSync(
    cda,
    '<ClinicalDocument xmlns="urn:hl7-org:v3"><code code="11488-4" codeSystem="2.16.840.1.113883.6.1" displayName="Note de consultation"/>' +
      '<recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="279035121518989"/></patientRole></recordTarget></ClinicalDocument>',
  );
  const send = await runCli(
    sandbox,
    'mss',
    'send',
    '--to',
    mailbox,
    '--subject',
    'Résultats',
    '--text',
    'Bonjour',
    '--attach',
    attachment,
    '--cda',
    cda,
    '--json',
  );
  assert.equal(send.status, 0, send.stderr + send.stdout);
  assert.deepEqual(json(send.stdout)['accepted'], [mailbox]);

  const list = await runCli(sandbox, 'mss', 'list', '--json');
  assert.equal(list.status, 0, list.stderr + list.stdout);
  const [message] = json(list.stdout)['messages'] as Json[];
  assert.ok(message);
  assert.equal(message['subject'], 'Résultats');
  assert.equal(message['attachments'], 2);
  assert.deepEqual(message['mss'], { nil: 'PASSERELLE-SANDBOX', codecda: '11488-4', ins: 'O' });

  const out = join(sandbox.stateDir, 'inbox');
  const fetched = await runCli(
    sandbox,
    'mss',
    'fetch',
    String(message['uid']),
    '--out',
    out,
    '--mark-seen',
    '--json',
  );
  assert.equal(fetched.status, 0, fetched.stderr + fetched.stdout);
  const files = json(fetched.stdout)['attachments'] as { file: string; contentType: string }[];
  const pdf = files.find((f) => f.file.endsWith('resultats.pdf'));
  assert.ok(pdf, JSON.stringify(files));
  assert.deepEqual(
    readFileSync(pdf.file),
    readFileSync(attachment),
    'the attachment comes back byte for byte',
  );
  assert.ok(files.some((f) => f.file.endsWith('IHE_XDM.ZIP')));

  const folders = await runCli(sandbox, 'mss', 'folders', '--json');
  assert.deepEqual((json(folders.stdout)['folders'] as { path: string }[]).map((f) => f.path).sort(), [
    'INBOX',
    'Sent',
    'Trash',
  ]);
  const move = await runCli(sandbox, 'mss', 'move', String(message['uid']), '--to', 'Trash', '--json');
  assert.equal(move.status, 0, move.stderr + move.stdout);
  const trash = await runCli(sandbox, 'mss', 'list', '--folder', 'Trash', '--json');
  const [moved] = json(trash.stdout)['messages'] as Json[];
  assert.ok(moved);
  const del = await runCli(sandbox, 'mss', 'delete', String(moved['uid']), '--folder', 'Trash', '--json');
  assert.equal(del.status, 0, del.stderr + del.stdout);
  const gone = await runCli(
    sandbox,
    'mss',
    'fetch',
    String(moved['uid']),
    '--folder',
    'Trash',
    '--out',
    out,
    '--json',
  );
  assert.equal(code(gone.stdout), 'ERR_MSS_MESSAGE_NOT_FOUND');
  const nofolder = await runCli(sandbox, 'mss', 'list', '--folder', 'Archives', '--json');
  assert.equal(code(nofolder.stdout), 'ERR_MSS_FOLDER_NOT_FOUND');

  const status = await runCli(sandbox, 'mss', 'status', '--json');
  assert.equal(status.status, 0, status.stderr);
  assert.equal((json(status.stdout)['session'] as Json)['open'], true);
  const logout = await runCli(sandbox, 'mss', 'logout', '--json');
  assert.equal(logout.status, 0);
  const after = await runCli(sandbox, 'mss', 'status', '--json');
  assert.equal(code(after.stdout), 'ERR_MSS_LOGIN_REQUIRED');
});

test('mss login --sandbox-login with an unknown professional: ERR_MSS_LOGIN_FAILED', async () => {
  const r = await runCli(
    sandbox,
    'mss',
    'login',
    '--sandbox-login',
    '10000000000',
    '--timeout',
    '30',
    '--json',
  );
  assert.equal(r.status, 1);
  assert.equal(code(r.stdout), 'ERR_MSS_LOGIN_FAILED');
});

test('mss send --token-file with a token of another professional: ERR_MSS_TOKEN_REJECTED with the RFC 7628 status', async () => {
  const login = await runCli(sandbox, 'mss', 'login', '--sandbox-login', louis.rpps, '--json');
  assert.equal(login.status, 0, login.stderr + login.stdout);
  const stored = JSON.parse(readFileSync(String(json(login.stdout)['tokenFile']), 'utf8')) as {
    tokens: { accessToken: string };
  };
  const tokenFile = join(sandbox.stateDir, 'louis.token');
  writeFileSync(tokenFile, stored.tokens.accessToken, { mode: 0o600 });
  const r = await runCli(
    sandbox,
    'mss',
    'send',
    '--to',
    mailbox,
    '--subject',
    'x',
    '--token-file',
    tokenFile,
    '--json',
  );
  assert.equal(r.status, 1);
  const error = json(r.stdout)['error'] as { code: string; details: Json; message: string };
  assert.equal(error.code, 'ERR_MSS_TOKEN_REJECTED');
  assert.equal(error.details['status'], '403');
  assert.ok(!r.stdout.includes(stored.tokens.accessToken), 'the token is not echoed');
  const imap = await runCli(sandbox, 'mss', 'list', '--token-file', tokenFile, '--json');
  assert.equal(code(imap.stdout), 'ERR_MSS_TOKEN_REJECTED');
});
