import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../../src/clock.ts';
import { FileMailStore } from '../../../src/sandbox/imap/file-mail-store.ts';
import { type FolderEvent, MailStoreError } from '../../../src/sandbox/imap/types.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';
import { ALICE, BOB, imapflow, sampleMessage, startFixture } from './_imap.ts';

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

test('FileMailStore: INBOX, Sent, Trash per mailbox; state kept across a restart (uidValidity, uidNext, flags, dates, bytes)', async (t) => {
  const dir = tempDir(t);
  const clock = new FrozenClock(TEST_NOW);
  const store = new FileMailStore(dir, { mailboxes: [ALICE, 'Bob@MSS.test'], clock });
  assert.ok(store.hasMailbox('ALICE@mss.TEST') && store.hasMailbox(BOB));
  assert.equal(store.hasMailbox('eve@mss.test'), false);
  assert.deepEqual(store.folders(ALICE), ['INBOX', 'Sent', 'Trash']);
  store.createFolder(ALICE, 'Patients/Dupont');
  assert.equal(await store.append(ALICE, 'inbox', Buffer.from('Subject: one\r\n\r\n1\r\n')), 1);
  clock.advance(60_000);
  assert.equal(
    await store.append(ALICE, 'INBOX', Buffer.from('Subject: two\r\n\r\n2\r\n'), { flags: ['\\Seen'] }),
    2,
  );
  assert.equal(await store.append(ALICE, 'INBOX', Buffer.from('Subject: three\r\n\r\n3\r\n')), 3);
  store.setFlags(ALICE, 'INBOX', 1, ['\\Flagged', '\\Flagged']);
  store.remove(ALICE, 'INBOX', [3, 99]);
  const before = store.status(ALICE, 'INBOX');
  assert.deepEqual(
    { ...before, uidValidity: 0 },
    { name: 'INBOX', uidValidity: 0, uidNext: 4, messages: 2, unseen: 1 },
  );
  assert.equal(before.uidValidity, Math.floor(TEST_NOW / 1000));
  assert.ok(!files(dir).some((f) => f.endsWith('.tmp')), 'no temp file left behind');

  const again = new FileMailStore(dir, {
    mailboxes: [ALICE, BOB],
    clock: new FrozenClock(TEST_NOW + 86_400_000),
  });
  assert.deepEqual(again.status(ALICE, 'INBOX'), before);
  assert.deepEqual(again.folders(ALICE), ['INBOX', 'Patients/Dupont', 'Sent', 'Trash']);
  assert.deepEqual(again.messages(ALICE, 'INBOX'), [
    { uid: 1, flags: ['\\Flagged'], internalDate: new Date(TEST_NOW), size: 19 },
    { uid: 2, flags: ['\\Seen'], internalDate: new Date(TEST_NOW + 60_000), size: 19 },
  ]);
  assert.equal(again.read(ALICE, 'INBOX', 2).toString(), 'Subject: two\r\n\r\n2\r\n');
  assert.equal(await again.append(ALICE, 'INBOX', Buffer.from('x\r\n')), 4, 'UIDs are never reused');
  assert.notEqual(
    again.status(ALICE, 'Sent').uidValidity,
    before.uidValidity,
    'each folder has its own validity',
  );
});

test('FileMailStore refusals: too-large, no-such-folder, no-such-message, folder-exists', async (t) => {
  const store = new FileMailStore(tempDir(t), { mailboxes: [ALICE], maxMessageBytes: 10 });
  const reason = async (fn: () => unknown) => {
    try {
      await fn();
    } catch (e) {
      assert.ok(e instanceof MailStoreError);
      return e.reason;
    }
    return 'no error';
  };
  assert.equal(await reason(() => store.append(ALICE, 'INBOX', Buffer.alloc(11))), 'too-large');
  assert.equal(await reason(() => store.append(ALICE, 'Drafts', Buffer.alloc(1))), 'no-such-folder');
  assert.equal(await reason(() => store.status('eve@mss.test', 'INBOX')), 'no-such-folder');
  assert.equal(await reason(() => store.read(ALICE, 'INBOX', 1)), 'no-such-message');
  assert.equal(await reason(() => store.setFlags(ALICE, 'INBOX', 1, [])), 'no-such-message');
  assert.equal(await reason(() => store.createFolder(ALICE, 'Sent')), 'folder-exists');
  assert.equal(await store.append(ALICE, 'INBOX', Buffer.alloc(10)), 1);
});

test('FileMailStore.watch: every watcher is told of exists, flags and expunge, in UID order, until it unsubscribes', async (t) => {
  const store = new FileMailStore(tempDir(t), { mailboxes: [ALICE] });
  const a: FolderEvent[] = [];
  const b: FolderEvent[] = [];
  const stopA = store.watch(ALICE, 'INBOX', (e) => a.push(e));
  store.watch('ALICE@MSS.TEST', 'inbox', (e) => b.push(e));
  await Promise.all([
    store.append(ALICE, 'INBOX', Buffer.from('a\r\n')),
    store.append(ALICE, 'INBOX', Buffer.from('b\r\n')),
  ]);
  store.setFlags(ALICE, 'INBOX', 2, ['\\Seen']);
  stopA();
  store.remove(ALICE, 'INBOX', [1]);
  assert.deepEqual(a, [
    { kind: 'exists', uid: 1 },
    { kind: 'exists', uid: 2 },
    { kind: 'flags', uid: 2, flags: ['\\Seen'] },
  ]);
  assert.deepEqual(b, [...a, { kind: 'expunge', uid: 1 }]);
});

test('a server restarted on the same store directory keeps uidValidity and UIDs (imapflow sees the same folder)', async (t) => {
  const dir = tempDir(t);
  const first = await startFixture(t, { dir });
  const c1 = await imapflow(t, first);
  await c1.append('INBOX', sampleMessage({ subject: 'avant' }));
  await c1.append('INBOX', sampleMessage({ subject: 'pendant' }));
  const open1 = await c1.mailboxOpen('INBOX');
  await c1.logout();
  await first.server.close();

  const second = await startFixture(t, { dir });
  const c2 = await imapflow(t, second);
  const open2 = await c2.mailboxOpen('INBOX');
  assert.equal(open2.uidValidity, open1.uidValidity);
  assert.equal(open2.uidNext, open1.uidNext);
  assert.equal(open2.uidNext, 3);
  const uids = [];
  for await (const m of c2.fetch('1:*', { uid: true, envelope: true }))
    uids.push([m.uid, m.envelope?.subject]);
  assert.deepEqual(uids, [
    [1, 'avant'],
    [2, 'pendant'],
  ]);
  const appended = await c2.append('INBOX', sampleMessage({ subject: 'après' }));
  assert.ok(appended);
  assert.equal(appended.uid, 3);
  assert.ok(files(join(dir)).some((f) => f.endsWith('3.eml')));
});
