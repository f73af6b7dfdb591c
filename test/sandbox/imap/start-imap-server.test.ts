import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALICE, ATTACHMENT, imapflow, sampleMessage, startFixture } from './_imap.ts';

test('imapflow: XOAUTH2 with SASL-IR, list, append, fetch with bodystructure, byte-exact download, search, flags, move, expunge', async (t) => {
  const f = await startFixture(t);
  const client = await imapflow(t, f);
  assert.equal(client.authenticated, true);
  const auth = f.log.entries.find((e) => e.msg === 'imap: authenticated');
  assert.deepEqual(auth?.fields, {
    session: auth?.fields['session'],
    mechanism: 'XOAUTH2',
    saslIr: true,
    mailbox: ALICE,
  });

  const folders = (await client.list()).map((l) => l.path);
  assert.deepEqual(folders, ['INBOX', 'Sent', 'Trash']);

  const appended = await client.append('INBOX', sampleMessage(), ['\\Flagged']);
  assert.ok(appended);
  assert.equal(appended.uid, 1);
  await client.append('INBOX', sampleMessage({ subject: 'Second', from: 'carol@mss.test' }));

  const lock = await client.getMailboxLock('INBOX');
  try {
    const messages = [];
    for await (const m of client.fetch(
      '1:*',
      {
        uid: true,
        flags: true,
        envelope: true,
        bodyStructure: true,
        size: true,
        internalDate: true,
        source: true,
      },
      { uid: true },
    ))
      messages.push(m);
    assert.equal(messages.length, 2);
    const first = messages[0]!;
    assert.equal(first.uid, 1);
    assert.ok(first.flags?.has('\\Flagged'));
    assert.equal(first.envelope?.subject, 'Compte rendu');
    assert.deepEqual(first.envelope?.from, [{ name: 'Bob Martin', address: 'bob@mss.test' }]);
    assert.equal(first.envelope?.messageId, '<cr-1@mss.test>');
    assert.equal(first.size, Buffer.byteLength(sampleMessage()));
    assert.equal(first.source?.toString(), sampleMessage());
    const parts = first.bodyStructure?.childNodes ?? [];
    assert.equal(first.bodyStructure?.type, 'multipart/mixed');
    assert.deepEqual(
      parts.map((p) => [p.part, p.type, p.disposition]),
      [
        ['1', 'text/plain', undefined],
        ['2', 'application/pdf', 'attachment'],
      ],
    );

    const download = await client.download('1', '2', { uid: true });
    const chunks: Buffer[] = [];
    assert.ok(download.content && download.meta);
    for await (const c of download.content) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), ATTACHMENT);
    assert.equal(download.meta.filename, 'cr.pdf');

    const one = await client.fetchOne('2', { envelope: true }, { uid: true });
    assert.ok(one);
    assert.equal(one.envelope?.subject, 'Second');

    assert.deepEqual(await client.search({ from: 'carol' }, { uid: true }), [2]);
    assert.deepEqual(await client.search({ flagged: true }, { uid: true }), [1]);
    assert.deepEqual(await client.search({ body: 'compte rendu' }, { uid: true }), [1, 2]);
    assert.deepEqual(await client.search({ seen: false }, { uid: true }), [1, 2]);

    assert.equal(await client.messageFlagsAdd('2', ['\\Seen'], { uid: true }), true);
    assert.deepEqual(await client.search({ seen: true }, { uid: true }), [2]);
    assert.deepEqual(f.store.messages(ALICE, 'INBOX')[1]?.flags, ['\\Seen']);

    const moved = await client.messageMove('1', 'Trash', { uid: true });
    assert.ok(moved);
    assert.deepEqual([...(moved.uidMap ?? new Map()).entries()], [[1, 1]]);
    assert.deepEqual(
      f.store.messages(ALICE, 'Trash').map((m) => [m.uid, m.flags]),
      [[1, ['\\Flagged']]],
    );
    assert.equal(await client.messageDelete('2', { uid: true }), true);
    assert.equal(f.store.messages(ALICE, 'INBOX').length, 0);
    assert.ok(client.mailbox);
    assert.equal(client.mailbox.exists, 0);
  } finally {
    lock.release();
  }
});

test('imapflow: IDLE is told of a message another session appends', async (t) => {
  const f = await startFixture(t);
  const watcher = await imapflow(t, f);
  const other = await imapflow(t, f, ALICE, 'tok-alice-2');
  await watcher.mailboxOpen('INBOX');
  const exists = new Promise<{ count: number; prevCount: number }>((resolve) =>
    watcher.on('exists', resolve),
  );
  const idling = watcher.idle();
  // wait until the server has the IDLE (its "+ idling" continuation) before appending
  await new Promise<void>((resolve) => {
    const check = () => (watcher.idling ? resolve() : setImmediate(check));
    check();
  });
  await other.append('INBOX', sampleMessage({ subject: 'Nouveau' }));
  const event = await exists;
  assert.deepEqual([event.prevCount, event.count], [0, 1]);
  const msg = await watcher.fetchOne('*', { envelope: true });
  assert.ok(msg);
  assert.equal(msg.envelope?.subject, 'Nouveau');
  await idling;
});

test('store delivery (as SMTP does) reaches a selected session as an unsolicited EXISTS on NOOP', async (t) => {
  const f = await startFixture(t);
  const client = await imapflow(t, f);
  await client.mailboxOpen('INBOX');
  const exists = new Promise<{ count: number }>((resolve) => client.on('exists', resolve));
  await f.store.append(ALICE, 'INBOX', Buffer.from(sampleMessage()));
  await client.noop();
  assert.equal((await exists).count, 1);
});
