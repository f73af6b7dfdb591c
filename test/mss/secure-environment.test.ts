import { test } from 'node:test';
import { discoverPsc, openMssImap, sendMssMessage } from '../../src/mss/index.ts';
import { rejectsCode } from '../_support/assert-code.ts';

test('NODE_TLS_REJECT_UNAUTHORIZED=0: PSC, IMAP and SMTP refuse to start (ERR_TRANSPORT_INSECURE), nothing is sent', async (t) => {
  const before = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  t.after(() => {
    if (before === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = before;
  });
  const auth = { kind: 'xoauth2', accessToken: async () => 'never-sent' } as const;
  const mailbox = 'camille.martin@sandbox.mssante.fr';
  await rejectsCode(
    discoverPsc({ issuer: 'https://127.0.0.1:9/auth/realms/esante-wallet', clientId: 'x' }),
    'ERR_TRANSPORT_INSECURE',
  );
  await rejectsCode(openMssImap({ url: 'imaps://127.0.0.1:9', mailbox, auth }), 'ERR_TRANSPORT_INSECURE');
  await rejectsCode(
    sendMssMessage({ url: 'smtps://127.0.0.1:9', mailbox, auth }, { to: [mailbox], subject: 's', nil: 'X' }),
    'ERR_TRANSPORT_INSECURE',
  );
});
