/**
 * The module as the CLI and the demo see it: endpoints, the registries published in
 * sandbox.json, counters, the exchange journal, its place in defaultModules().
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { eboxModule } from '../../../src/sandbox/ebox/module.ts';
import { defaultModules } from '../../../src/sandbox/modules.ts';
import { openTls, untilClosed } from '../_raw-tls.ts';
import { CITIZEN, PAYMENT, publish, startEbox, TAX } from './_ebox.ts';

const s = await startEbox({ after });

test('endpoints ebox.soap and ebox.rest; the client configuration carries both', () => {
  assert.match(s.soapUrl, /^https:\/\/127\.0\.0\.1:\d+\/EBoxMessage\/v1$/);
  assert.match(s.restUrl, /^https:\/\/127\.0\.0\.1:\d+\/REST\/ebox\/enterprise\/messageRegistry\/v2$/);
  const env = s.sandbox.clientConfig.environments?.['sandbox'] as { endpoints?: Record<string, string> };
  assert.equal(env.endpoints?.['ebox.soap'], s.soapUrl);
  assert.equal(env.endpoints?.['ebox.rest'], s.restUrl);
  assert.deepEqual(eboxModule().ports, { soap: 45, control: 46, rest: 47 });
  assert.ok(defaultModules().some((m) => m.name === 'ebox'));
});

test('sandbox.json publishes the registries: institution, sender and its message types, the citizens by kind', () => {
  const json = JSON.parse(readFileSync(s.sandbox.sandboxJsonPath, 'utf8')) as {
    modules: Record<string, { info: Record<string, unknown> }>;
  };
  const info = json.modules['ebox']!.info;
  assert.deepEqual(info['institutions'], ['0123456749']);
  const senders = info['senders'] as { institution: string; application: string; messageTypes: string[] }[];
  assert.deepEqual(senders[0], {
    institution: '0123456749',
    application: 'urn:be:fgov:ehealth:sandbox:partner',
    messageTypes: [PAYMENT, 'PASSERELLE_DECISION'],
  });
  assert.equal(info['unauthorizedMessageType'], TAX);
  assert.ok(!senders[0]!.messageTypes.includes(TAX));
  const citizens = info['citizens'] as { inss: string; ebox: string }[];
  assert.deepEqual(Object.fromEntries(citizens.map((c) => [c.inss, c.ebox])), {
    [CITIZEN.active]: 'active',
    [CITIZEN.born2000]: 'active',
    [CITIZEN.bis]: 'active',
    [CITIZEN.neverOpened]: 'never-opened',
    [CITIZEN.noEbox]: 'none',
  });
  assert.equal(
    info['restScope'],
    'scope:document:management:consult:ws-eboxrestentreprise:publicationsender',
  );
  assert.equal(info['restOperation'], 'POST /REST/ebox/enterprise/messageRegistry/v2/publishMessage');
});

test('counters and the exchange journal: each call with its operation, fault and reason', async () => {
  await publish(s, Buffer.from('journal'), { ticket: 'J-1' });
  await publish(s, Buffer.from('journal'), { messageType: TAX });
  const stats = s.sandbox.modules['ebox']!.stats!();
  assert.equal(stats['calls.publishEboxMessage'], 1);
  assert.equal(stats['faults.40'], 1);
  assert.equal(stats['messages.published'], 1);
  assert.equal(stats['messages'], 1);
  // The journal records an exchange once the reply is finished on the server side: poll (bounded).
  const soap = () => s.sandbox.exchanges(200).filter((e) => e.listener === 'ebox-soap');
  for (let i = 0; i < 500 && soap().length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  const served = soap().find((e) => e.status === 200);
  const refused = soap().find((e) => e.status === 500);
  assert.equal(served?.listener, 'ebox-soap');
  assert.equal(served?.operation, 'publishEboxMessage');
  assert.equal(served?.status, 200);
  assert.equal(refused?.fault, '40');
  assert.equal(refused?.reason, 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED');
  assert.equal(refused?.verification?.outcome, 'ok');
});

test('REST: huge request headers → 431 with a StatusMessage, the connection closed', async () => {
  const socket = await openTls(s.restUrl, {
    ca: s.sandbox.pki.ca.certPem,
    client: s.sandbox.pki.partner.tls,
  });
  socket.write(
    `POST /REST/ebox/enterprise/messageRegistry/v2/publishMessage HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'b'.repeat(64 * 1024)}\r\n\r\n`,
  );
  const raw = await untilClosed(socket);
  assert.equal(raw.status, 431);
  assert.equal((JSON.parse(raw.body) as { code: string }).code, 'INVALID_INPUT');
});
