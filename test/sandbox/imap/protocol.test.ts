import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALICE, type RawImap, rawConnect, startFixture, xoauth2 } from './_imap.ts';

/** Nested multipart with an enclosed message, an encoded-word subject, a quoted comma name, a group. */
const NESTED = [
  'From: "Martin, Bob" <bob@mss.test>',
  'To: alice@mss.test, Carol <carol@mss.test>',
  'Cc: undisclosed-recipients:;',
  'Subject: =?UTF-8?B?w6l0w6k=?=',
  'Date: Tue, 02 Jun 2026 08:30:00 +0200',
  'Message-ID: <nested@mss.test>',
  'X-MSS-NIL: 42',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'plain body',
  '--inner',
  'Content-Type: text/html; charset=us-ascii',
  '',
  '<p>html</p>',
  '--inner--',
  '--outer',
  'Content-Type: message/rfc822',
  '',
  'From: x@y.test',
  'Subject: forwarded',
  '',
  'inner text',
  '--outer--',
  '',
].join('\r\n');

async function session(t: Parameters<typeof startFixture>[0]) {
  const f = await startFixture(t);
  await f.store.append(ALICE, 'INBOX', Buffer.from(NESTED), {
    internalDate: new Date('2026-06-02T06:30:00Z'),
  });
  await f.store.append(ALICE, 'INBOX', Buffer.from('From: carol@mss.test\r\nSubject: short\r\n\r\nhi\r\n'), {
    flags: ['\\Seen'],
    internalDate: new Date('2026-06-10T12:00:00Z'),
  });
  const raw = await rawConnect(f);
  assert.match(await raw.command('l', `AUTHENTICATE XOAUTH2 ${xoauth2(ALICE, 'tok-alice-1')}`), /^l OK/);
  return { f, raw };
}

/** Sends a command and returns the lines it produced, the tagged one last. */
async function exchange(raw: RawImap, tag: string, command: string): Promise<string[]> {
  const from = raw.lines.length;
  await raw.command(tag, command);
  return raw.lines.slice(from);
}

test('SELECT, BODYSTRUCTURE of a nested message, ENVELOPE, section and partial fetches', async (t) => {
  const { f, raw } = await session(t);
  const validity = f.store.status(ALICE, 'INBOX').uidValidity;
  assert.deepEqual(await exchange(raw, 's1', 'SELECT inbox'), [
    '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
    '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted',
    '* 2 EXISTS',
    '* 0 RECENT',
    '* OK [UNSEEN 1] First unseen',
    `* OK [UIDVALIDITY ${validity}] UIDs valid`,
    '* OK [UIDNEXT 3] Predicted next UID',
    's1 OK [READ-WRITE] SELECT completed',
  ]);
  const text = (sub: string, size: number) =>
    `("TEXT" "${sub}" ("CHARSET" "us-ascii") NIL NIL "7BIT" ${size} 1 NIL NIL NIL NIL)`;
  const x = '((NIL NIL "x" "y.test"))';
  const inner = `(NIL "forwarded" ${x} ${x} ${x} NIL NIL NIL NIL NIL)`;
  const bob = '(("Martin, Bob" NIL "bob" "mss.test"))';
  assert.deepEqual(await exchange(raw, 's2', 'FETCH 1 (BODYSTRUCTURE ENVELOPE)'), [
    `* 1 FETCH (BODYSTRUCTURE ((${text('PLAIN', 10)}${text('HTML', 11)} "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL)` +
      `("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 48 ${inner} ${text('PLAIN', 10)} 4 NIL NIL NIL NIL)` +
      ` "MIXED" ("BOUNDARY" "outer") NIL NIL NIL)` +
      ` ENVELOPE ("Tue, 02 Jun 2026 08:30:00 +0200" "=?UTF-8?B?w6l0w6k=?=" ${bob} ${bob} ${bob}` +
      ` ((NIL NIL "alice" "mss.test")("Carol" NIL "carol" "mss.test")) NIL NIL NIL "<nested@mss.test>"))`,
    's2 OK FETCH completed',
  ]);
  const sections = await exchange(
    raw,
    's3',
    'UID FETCH 1 (BODY.PEEK[1.2] BODY.PEEK[1.1.MIME] BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BODY.PEEK[]<0.4>)',
  );
  assert.deepEqual(sections, [
    '* 1 FETCH (UID 1 BODY[1.2] {11}',
    '<p>html</p> BODY[1.1.MIME] {46}',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    ' BODY[2.HEADER] {38}',
    'From: x@y.test',
    'Subject: forwarded',
    '',
    ' BODY[2.TEXT] {10}',
    'inner text BODY[HEADER.FIELDS (SUBJECT FROM)] {69}',
    'From: "Martin, Bob" <bob@mss.test>',
    'Subject: =?UTF-8?B?w6l0w6k=?=',
    '',
    ' BODY[]<0> {4}',
    'From)',
    's3 OK UID FETCH completed',
  ]);
  assert.deepEqual(f.store.messages(ALICE, 'INBOX')[0]?.flags, [], 'PEEK leaves \\Seen unset');
  assert.deepEqual(await exchange(raw, 's4', 'FETCH 1 (BODY[1.1]<6.4>)'), [
    '* 1 FETCH (BODY[1.1]<6> {4}',
    'body FLAGS (\\Seen))',
    's4 OK FETCH completed',
  ]);
  assert.deepEqual(await exchange(raw, 's5', 'FETCH 2 (RFC822.HEADER INTERNALDATE RFC822.SIZE)'), [
    '* 2 FETCH (RFC822.HEADER {40}',
    'From: carol@mss.test',
    'Subject: short',
    '',
    ' INTERNALDATE "10-Jun-2026 12:00:00 +0000" RFC822.SIZE 44)',
    's5 OK FETCH completed',
  ]);
  assert.equal(
    await raw.command('s6', 'FETCH 1 (BODY[HEADER.FIELDS])'),
    's6 BAD HEADER.FIELDS needs a list of names',
  );
  assert.equal(await raw.command('s7', 'FETCH x:1 FLAGS'), 's7 BAD invalid sequence set');
});

test('SEARCH keys (OR, NOT, FROM, SUBJECT, HEADER, UID, SINCE/BEFORE/ON, LARGER/SMALLER, sequence sets)', async (t) => {
  const { raw } = await session(t);
  await raw.command('q0', 'SELECT INBOX');
  const search = async (tag: string, keys: string) => {
    const lines = await exchange(raw, tag, keys);
    assert.equal(lines.at(-1)?.startsWith(`${tag} OK`), true, lines.join(' | '));
    return lines.find((l) => l.startsWith('* SEARCH'));
  };
  assert.equal(await search('q1', 'SEARCH ALL'), '* SEARCH 1 2');
  assert.equal(await search('q2', 'SEARCH OR FROM carol SUBJECT forwarded'), '* SEARCH 2');
  assert.equal(await search('q3', 'SEARCH TEXT forwarded'), '* SEARCH 1');
  assert.equal(await search('q4', 'SEARCH NOT SEEN'), '* SEARCH 1');
  assert.equal(await search('q5', 'SEARCH HEADER X-MSS-NIL ""'), '* SEARCH 1');
  assert.equal(await search('q6', 'UID SEARCH UID 2:*'), '* SEARCH 2');
  assert.equal(await search('q7', 'SEARCH SINCE 3-Jun-2026'), '* SEARCH 2');
  assert.equal(await search('q8', 'SEARCH BEFORE 3-Jun-2026'), '* SEARCH 1');
  assert.equal(await search('q9', 'SEARCH ON 2-Jun-2026'), '* SEARCH 1');
  assert.equal(await search('qa', 'SEARCH LARGER 100'), '* SEARCH 1');
  assert.equal(await search('qb', 'SEARCH SMALLER 100 2'), '* SEARCH 2');
  assert.equal(await search('qc', 'SEARCH CHARSET UTF-8 (BODY "plain body" UNSEEN)'), '* SEARCH 1');
  assert.equal(await search('qd', 'SEARCH DELETED'), '* SEARCH');
  assert.equal(await raw.command('qe', 'SEARCH FROBNICATE'), 'qe BAD unknown SEARCH key FROBNICATE');
  assert.equal(await raw.command('qf', 'SEARCH SINCE yesterday'), 'qf BAD invalid search date');
});

test('STORE, COPY, MOVE, CREATE, STATUS, APPEND with flags and date, EXAMINE read-only, EXPUNGE and CLOSE', async (t) => {
  const { f, raw } = await session(t);
  await raw.command('w0', 'SELECT INBOX');
  assert.deepEqual(await exchange(raw, 'w1', 'STORE 1 +FLAGS.SILENT (\\Deleted)'), ['w1 OK STORE completed']);
  assert.deepEqual(await exchange(raw, 'w2', 'UID STORE 2 FLAGS (\\Flagged $Label1)'), [
    '* 2 FETCH (FLAGS (\\Flagged $Label1) UID 2)',
    'w2 OK UID STORE completed',
  ]);
  assert.equal(await raw.command('w3', 'CREATE Patients'), 'w3 OK CREATE completed');
  assert.equal(await raw.command('w4', 'CREATE Patients'), 'w4 NO [ALREADYEXISTS] Folder already exists');
  const patients = f.store.status(ALICE, 'Patients').uidValidity;
  assert.equal(
    await raw.command('w5', 'COPY 1:2 Patients'),
    `w5 OK [COPYUID ${patients} 1:2 1:2] COPY completed`,
  );
  assert.equal(await raw.command('w6', 'COPY 1 Nowhere'), 'w6 NO [TRYCREATE] No such folder');
  assert.deepEqual(await exchange(raw, 'w7', 'STATUS Patients (MESSAGES UIDNEXT UNSEEN)'), [
    '* STATUS "Patients" (MESSAGES 2 UIDNEXT 3 UNSEEN 2)',
    'w7 OK STATUS completed',
  ]);
  const message = 'Subject: appended\r\n\r\nbody\r\n';
  raw.send(`w8 APPEND Patients (\\Seen) "05-Jun-2026 10:00:00 +0200" {${message.length}+}\r\n${message}\r\n`);
  assert.equal(await raw.waitFor(/^w8 /), `w8 OK [APPENDUID ${patients} 3] APPEND completed`);
  assert.deepEqual(f.store.messages(ALICE, 'Patients')[2], {
    uid: 3,
    flags: ['\\Seen'],
    internalDate: new Date('2026-06-05T08:00:00Z'),
    size: message.length,
  });
  assert.deepEqual(await exchange(raw, 'w9', 'EXPUNGE'), ['* 1 EXPUNGE', 'w9 OK EXPUNGE completed']);
  assert.deepEqual(await exchange(raw, 'wa', 'UID MOVE 2 Trash'), [
    `* OK [COPYUID ${f.store.status(ALICE, 'Trash').uidValidity} 2 1] Moved`,
    '* 1 EXPUNGE',
    'wa OK MOVE completed',
  ]);
  assert.match(await raw.command('wb', 'EXAMINE Patients'), /^wb OK \[READ-ONLY\] EXAMINE completed$/);
  assert.equal(
    await raw.command('wc', 'STORE 1 +FLAGS (\\Deleted)'),
    'wc NO [READ-ONLY] Folder is read-only',
  );
  await raw.command('wd', 'SELECT Patients');
  await raw.command('we', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
  assert.deepEqual(await exchange(raw, 'wf', 'CLOSE'), ['wf OK CLOSE completed']);
  assert.deepEqual(
    f.store.messages(ALICE, 'Patients').map((m) => m.uid),
    [2, 3],
  );
  assert.equal(await raw.command('wg', 'FETCH 1 FLAGS'), 'wg BAD FETCH not allowed now');
  assert.equal(await raw.command('wh', 'SELECT Nowhere'), 'wh NO [NONEXISTENT] No such folder');
});

test("another session's EXPUNGE is held back during FETCH and told on NOOP; its APPEND is told at once", async (t) => {
  const { f, raw } = await session(t);
  await raw.command('x0', 'SELECT INBOX');
  f.store.remove(ALICE, 'INBOX', [1]);
  assert.deepEqual(await exchange(raw, 'x1', 'FETCH 2 (UID)'), [
    '* 2 FETCH (UID 2)',
    'x1 OK FETCH completed',
  ]);
  assert.deepEqual(await exchange(raw, 'x2', 'NOOP'), ['* 1 EXPUNGE', 'x2 OK NOOP completed']);
  await f.store.append(ALICE, 'INBOX', Buffer.from('Subject: new\r\n\r\n.\r\n'));
  assert.deepEqual(await exchange(raw, 'x3', 'FETCH 1 (UID)'), [
    '* 1 FETCH (UID 2)',
    '* 2 EXISTS',
    'x3 OK FETCH completed',
  ]);
});
