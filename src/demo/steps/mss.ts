import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MssConfig } from '../../config/mss-schema.ts';
import { isPasserelleError } from '../../errors.ts';
import {
  discoverPscFromConfig,
  type MssConnectionOptions,
  MssSession,
  openMssImap,
  type PscTokens,
  sendMssMessage,
  tokensFromAccessToken,
} from '../../mss/index.ts';
import { sandboxLoopbackLogin } from '../../sandbox/psc/loopback-login.ts';
import { mintSandboxPscToken } from '../../sandbox/psc/mint.ts';
import { demoExpect } from '../_expect.ts';
import { _demoPdf } from '../_pdf.ts';
import type { DemoContext, DemoStep } from '../step.ts';

interface Professional {
  readonly rpps: string;
  readonly name: string;
  readonly mailboxes: readonly string[];
}

const CDA = (code: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">' +
  `<code code="${code}" codeSystem="2.16.840.1.113883.6.1" displayName="Compte rendu"/>` +
  '<recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="279035121518989"/></patientRole></recordTarget>' +
  '</ClinicalDocument>\n';

function _settings(ctx: DemoContext) {
  const mss = ctx.environment.mss;
  demoExpect(mss !== undefined, 'the sandbox configuration names an MSSanté mailbox');
  const info = ctx.sandbox.info['mss'] as { professionals: Professional[] } | undefined;
  const [first, second] = info?.professionals ?? [];
  demoExpect(first !== undefined && second !== undefined, 'the sandbox lists two test professionals');
  return { mss, sender: first, recipient: second };
}

/** The PSC login of the sandbox, driven as a browser would (the sandbox's login page, one click). */
async function _login(ctx: DemoContext, mss: MssConfig, rpps: string): Promise<PscTokens> {
  const client = await discoverPscFromConfig(mss, {
    env: 'sandbox',
    baseDir: ctx.environment.baseDir,
    clock: ctx.clock,
  });
  const ca = readFileSync(mss.psc?.ca ?? ctx.sandbox.pki.caFile, 'utf8');
  try {
    return await sandboxLoopbackLogin(client, rpps, { ca, timeoutMs: 30_000 });
  } finally {
    await client.close();
  }
}

const _connection = (
  mss: MssConfig,
  protocol: 'imap' | 'smtp',
  mailbox: string,
  token: () => Promise<string>,
  ca: string,
): MssConnectionOptions => ({
  url: protocol === 'imap' ? mss.imap : mss.smtp,
  mailbox,
  ca,
  auth: { kind: 'xoauth2', accessToken: token },
  timeoutMs: 20_000,
});

/**
 * Flow "MSSanté API LPS" (issue 13): a professional logs in with the sandbox Pro Santé Connect
 * (code + PKCE, acr eidas1), sends a message with a PDF and a CDA document (IHE_XDM) over SMTP
 * XOAUTH2 to a colleague, who logs in and reads it back over IMAP XOAUTH2; then an expired token
 * is refused twice: by our session (never sent) and by the operator (RFC 7628 exchange).
 */
export function mssSteps(): DemoStep[] {
  let senderTokens: PscTokens | undefined;
  const subject = 'Compte rendu de consultation';
  return [
    {
      id: 'mss.login',
      title: 'Log in with Pro Santé Connect (sandbox): authorization code, PKCE, acr eidas1',
      async run(ctx) {
        const { mss, sender } = _settings(ctx);
        senderTokens = await _login(ctx, mss, sender.rpps);
        demoExpect(
          senderTokens.rpps === sender.rpps,
          'the token names the professional (preferred_username = RPPS)',
        );
        demoExpect(senderTokens.acr === 'eidas1', 'the login is eidas1');
        return {
          checks: [
            `${sender.name} (RPPS ${sender.rpps}) logged in through the sandbox login page, loopback redirect`,
            `access token until ${new Date(senderTokens.expiresAt).toISOString()}, refresh token kept; acr eidas1`,
          ],
        };
      },
    },
    {
      id: 'mss.send-read',
      title:
        'Send a message with a PDF and a CDA over SMTP XOAUTH2; the recipient reads it over IMAP XOAUTH2',
      dependsOn: ['mss.login'],
      timeoutMs: 90_000,
      async run(ctx) {
        const { mss, sender, recipient } = _settings(ctx);
        const ca = readFileSync(mss.ca ?? ctx.sandbox.pki.caFile, 'utf8');
        const session = new MssSession({ tokens: senderTokens as PscTokens, clock: ctx.clock });
        const pdf = join(ctx.workDir, 'compte-rendu.pdf');
        writeFileSync(pdf, _demoPdf(['Compte rendu de consultation', 'Patient: (fictif)']));
        const cda = join(ctx.workDir, 'compte-rendu.xml');
        writeFileSync(cda, CDA('11488-4'));
        const from = sender.mailboxes[0] as string;
        const to = recipient.mailboxes[0] as string;
        const sent = await sendMssMessage(
          _connection(mss, 'smtp', from, () => session.accessToken(), ca),
          {
            to: [to],
            subject,
            text: 'Bonjour, voici le compte rendu.',
            attachments: [{ path: pdf }],
            cda: [cda],
            nil: mss.nil ?? 'PASSERELLE',
          },
        );
        demoExpect(sent.accepted.includes(to), 'the operator accepted the recipient');
        const readerTokens = await _login(ctx, mss, recipient.rpps);
        const reader = new MssSession({ tokens: readerTokens, clock: ctx.clock });
        const imap = await openMssImap(_connection(mss, 'imap', to, () => reader.accessToken(), ca));
        try {
          const messages = await imap.list({ folder: 'INBOX' });
          const message = messages.find((m) => m.subject === subject);
          demoExpect(message !== undefined, 'the message is in the recipient INBOX');
          demoExpect(message.mss.nil === (mss.nil ?? 'PASSERELLE'), 'X-MSS-NIL is there');
          demoExpect(
            message.mss.codecda === '11488-4' && message.mss.ins === 'O',
            'X-MSS-CODECDA and X-MSS-INS are there',
          );
          const fetched = await imap.fetchToDir(message.uid, join(ctx.workDir, 'mss-inbox'));
          const copy = fetched.attachments.find((a) => a.file.endsWith('compte-rendu.pdf'));
          demoExpect(copy !== undefined, 'the PDF attachment is saved');
          demoExpect(readFileSync(copy.file).equals(readFileSync(pdf)), 'the PDF comes back byte for byte');
          demoExpect(
            fetched.attachments.some((a) => a.file.endsWith('IHE_XDM.ZIP')),
            'the IHE_XDM archive is attached',
          );
          await imap.markSeen(message.uid);
          return {
            checks: [
              `${from} → ${to}: ${sent.messageId} (AUTH XOAUTH2 with the initial response, over TLS)`,
              `X-MSS-NIL ${message.mss.nil}, X-MSS-CODECDA ${message.mss.codecda}, X-MSS-INS ${message.mss.ins}`,
              `${recipient.name} read UID ${message.uid} over IMAP (SASL-IR XOAUTH2): PDF byte for byte, IHE_XDM.ZIP`,
            ],
          };
        } finally {
          await imap.close();
        }
      },
    },
    {
      id: 'mss.expired-token',
      title: 'An expired token: never sent by our session, refused by the operator (RFC 7628)',
      dependsOn: ['mss.login'],
      async run(ctx) {
        const { mss, sender } = _settings(ctx);
        const ca = readFileSync(mss.ca ?? ctx.sandbox.pki.caFile, 'utf8');
        const expired = await mintSandboxPscToken({
          stateDir: ctx.sandbox.stateDir,
          issuer: mss.psc?.issuer ?? '',
          rpps: sender.rpps,
          issuedAt: Date.now() - 10 * 60_000,
          expiresInSeconds: 300,
        });
        let sessionCode = 'none';
        try {
          tokensFromAccessToken(expired, { now: () => Date.now() });
        } catch (error) {
          sessionCode = isPasserelleError(error) ? error.code : 'other';
        }
        demoExpect(sessionCode === 'ERR_MSS_TOKEN_EXPIRED', 'our session refuses to use an expired token', {
          code: sessionCode,
        });
        let operator: { code: string; status: string } = { code: 'none', status: '' };
        try {
          const imap = await openMssImap(
            _connection(mss, 'imap', sender.mailboxes[0] as string, async () => expired, ca),
          );
          await imap.close();
        } catch (error) {
          if (isPasserelleError(error))
            operator = { code: error.code, status: String(error.details['status'] ?? '') };
        }
        demoExpect(
          operator.code === 'ERR_MSS_TOKEN_REJECTED',
          'the operator refuses the expired token',
          operator,
        );
        return {
          checks: [
            'a token expired 5 minutes ago: ERR_MSS_TOKEN_EXPIRED before anything is sent',
            `sent anyway: the operator answered the RFC 7628 challenge (status ${operator.status}) then NO: ERR_MSS_TOKEN_REJECTED`,
          ],
        };
      },
    },
  ];
}
