import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { _demoPdf } from '../../src/demo/_pdf.ts';
import { consoleModule } from '../../src/sandbox/console/module.ts';
import { eboxModule } from '../../src/sandbox/ebox/module.ts';
import { oauthModule } from '../../src/sandbox/oauth/module.ts';
import { runCli, startTestSandbox, type TestSandbox } from '../sandbox/oauth/_start.ts';

// Issue 10 item 3: `passerelle ebox ...` and `passerelle sandbox ebox inbox` against the sandbox
// eBox (SOAP through the sandbox's signed-SOAP checks, REST through its OAuth server).
let sandbox: TestSandbox;
let pdf: string;
const ALICE = '85073003328'; // eBox opened (sandbox registry)
const DAVID = '79010234597'; // eBox never opened: NO_DIGITAL_USER over REST
const EMMA = '68052411150'; // no eBox
const TYPE = 'PASSERELLE_PAYMENT_STATEMENT';

before(async () => {
  sandbox = await startTestSandbox([consoleModule(), oauthModule(), eboxModule()]);
  pdf = join(sandbox.stateDir, 'statement.pdf');
  writeFileSync(pdf, _demoPdf(['Payment statement', 'November 2026']));
});
after(async () => {
  await sandbox?.dispose();
});

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;
const publish = (...extra: string[]) =>
  runCli(
    sandbox,
    'ebox',
    'publish',
    '--to',
    ALICE,
    '--type',
    TYPE,
    '--title',
    'Décompte',
    '--file',
    pdf,
    '--json',
    ...extra,
  );

test('ebox publish over SOAP: the citizen receives the document byte for byte; a retried ticket replaces it', async () => {
  const r = await publish('--ticket', 'CLI-TICKET-1');
  assert.equal(r.status, 0, r.stderr);
  const out = json(r.stdout);
  assert.equal(out['ok'], true);
  assert.equal(out['transport'], 'soap');
  assert.equal(out['ticket'], 'CLI-TICKET-1');
  const again = json((await publish('--ticket', 'CLI-TICKET-1')).stdout);
  assert.equal(again['messageId'], out['messageId'], 'the same ticket+sequence replaces the message');
  const inbox = await runCli(sandbox, 'sandbox', 'ebox', 'inbox', ALICE, '--json', '--download', 'got');
  assert.equal(inbox.status, 0, inbox.stderr);
  const messages = json(inbox.stdout)['messages'] as { id: string; documents: { sha256: string }[] }[];
  assert.equal(messages.filter((m) => m.id === out['messageId']).length, 1, 'one message in the inbox');
  const saved = (json(inbox.stdout)['saved'] as string[]).find((s) =>
    s.includes(String(out['messageId']).slice(0, 8)),
  );
  assert.ok(saved);
  const sha = createHash('sha256').update(readFileSync(pdf)).digest('hex');
  assert.equal(createHash('sha256').update(readFileSync(saved)).digest('hex'), sha);
  const status = await runCli(sandbox, 'ebox', 'status', '--to', ALICE, '--ticket', 'CLI-TICKET-1', '--json');
  assert.equal(status.status, 0, status.stderr);
  assert.equal(json(status.stdout)['consulted'], true, 'downloaded through the inbox: consulted');
  const read = await publish('--ticket', 'CLI-TICKET-1');
  assert.equal(read.status, 1);
  assert.equal((json(read.stdout)['error'] as { code: string }).code, 'ERR_EBOX_DUPLICATE');
});

test('ebox publish --rest: 201 with NO_DIGITAL_USER for a citizen who never opened their eBox', async () => {
  const r = await runCli(
    sandbox,
    'ebox',
    'publish',
    '--rest',
    '--to',
    DAVID,
    '--type',
    TYPE,
    '--title',
    'Afrekening',
    '--lang',
    'nl',
    '--file',
    pdf,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /over REST: published/);
  assert.match(r.stdout, /NO_DIGITAL_USER/);
});

test('refusals carry their codes: level 2 (40), bad INSS and another institution before sending, annex over SOAP', async () => {
  const level2 = await publish('--type', 'PASSERELLE_TAX_ASSESSMENT');
  assert.equal(level2.status, 1);
  assert.equal(
    (json(level2.stdout)['error'] as { code: string }).code,
    'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED',
  );
  const stats = () => JSON.stringify(sandbox.modules['ebox']?.stats?.());
  const before = stats();
  const inss = await runCli(
    sandbox,
    'ebox',
    'publish',
    '--to',
    '85073003329',
    '--type',
    TYPE,
    '--title',
    'x',
    '--file',
    pdf,
    '--json',
  );
  assert.equal((json(inss.stdout)['error'] as { code: string }).code, 'ERR_IDS_INSS_INVALID');
  const other = await publish('--sender-app', 'urn:x', '--sender-institution', '0200065765');
  assert.equal((json(other.stdout)['error'] as { code: string }).code, 'ERR_EBOX_SENDER_MISMATCH');
  const long = await publish('--title', 'x'.repeat(401));
  assert.deepEqual(
    [
      (json(long.stdout)['error'] as { code: string }).code,
      (json(long.stdout)['error'] as { details: { field: string } }).details.field,
    ],
    ['ERR_EBOX_INVALID_INPUT', 'subject.text'],
  );
  assert.equal(stats(), before, 'nothing reached the sandbox');
  const annex = await publish('--annex', pdf);
  assert.equal(annex.status, 2);
  assert.equal((json(annex.stdout)['error'] as { code: string }).code, 'ERR_USAGE');
});

test('ebox has-ebox and health', async () => {
  const none = await runCli(sandbox, 'ebox', 'has-ebox', EMMA);
  assert.equal(none.status, 0, none.stderr);
  assert.match(none.stdout, /has no eBox/);
  const yes = await runCli(sandbox, 'ebox', 'has-ebox', ALICE, '--json');
  assert.equal(json(yes.stdout)['hasEbox'], true);
  const health = await runCli(sandbox, 'ebox', 'health', '--level', 'DEEP');
  assert.equal(health.status, 0, health.stderr);
  assert.match(health.stdout, /ebox health DEEP on sandbox: OK/);
});

test('sandbox ebox inbox without a running sandbox: ERR_SANDBOX_STATE', async () => {
  const r = await runCli(sandbox, 'sandbox', 'ebox', 'inbox', ALICE, '--state-dir', 'nowhere', '--json');
  assert.equal(r.status, 1);
  assert.equal((json(r.stdout)['error'] as { code: string }).code, 'ERR_SANDBOX_STATE');
});
