import type { X509Certificate } from 'node:crypto';
import { Agent, request } from 'undici';
import type { Logger } from '../../log.ts';
import type { MailAuthenticator, MailAuthResult } from '../imap/types.ts';
import type { PscProfessional } from '../psc/professionals.ts';

export interface IntrospectingAuthenticatorOptions {
  /** The PSC stub's introspection endpoint and the operator's client (HTTP Basic). */
  readonly introspectionUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PEM of the CA of the PSC stub's TLS certificate (pinned). */
  readonly ca: string;
  readonly issuer: string;
  readonly professionals: readonly PscProfessional[];
  /** Applicative mailboxes and the SHA-256 fingerprints of the certificates allowed to open them. */
  readonly applicationMailboxes: readonly string[];
  readonly applicationCertificates: readonly X509Certificate[];
  readonly log: Logger;
  readonly timeoutMs?: number;
}

const refused = (reason: string, status: '400' | '401' | '403' = '401'): MailAuthResult => ({
  ok: false,
  reason,
  status,
});

/**
 * The operator side of the API LPS: a token is valid when the PSC stub's introspection says it
 * is active, issued by PSC with `acr` eidas1, and its professional (`preferred_username`, the
 * RPPS) owns the mailbox of `user=`. Every check goes to introspection (no cache), as a
 * revoked or expired token must fail at once. AUTH_CLI: a TLS client certificate the handshake
 * verified, registered for the applicative mailbox asked.
 */
export function introspectingAuthenticator(options: IntrospectingAuthenticatorOptions): MailAuthenticator & {
  close(): Promise<void>;
} {
  const dispatcher = new Agent({ connect: { ca: options.ca, minVersion: 'TLSv1.2' } });
  const basic = `Basic ${Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString('base64')}`;
  const owners = new Map<string, string>();
  for (const p of options.professionals) for (const m of p.mailboxes) owners.set(m.toLowerCase(), p.rpps);
  const appMailboxes = new Set(options.applicationMailboxes.map((m) => m.toLowerCase()));
  const appFingerprints = new Set(options.applicationCertificates.map((c) => c.fingerprint256));

  async function introspect(token: string): Promise<Record<string, unknown> | undefined> {
    const res = await request(options.introspectionUrl, {
      method: 'POST',
      dispatcher,
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      headersTimeout: options.timeoutMs ?? 10_000,
      bodyTimeout: options.timeoutMs ?? 10_000,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) {
      options.log.warn({ status: res.statusCode }, 'mss introspection refused');
      return undefined;
    }
    const json = JSON.parse(text) as unknown;
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
  }

  return {
    async xoauth2(user, token) {
      const mailbox = user.toLowerCase();
      if (token.length > 16_384) return refused('token-too-long', '400');
      let claims: Record<string, unknown> | undefined;
      try {
        claims = await introspect(token);
      } catch (error) {
        options.log.warn(
          { reason: String((error as Error).message).slice(0, 200) },
          'mss introspection failed',
        );
        return refused('introspection-unavailable');
      }
      if (claims === undefined) return refused('introspection-refused');
      if (claims['active'] !== true) return refused('token-inactive');
      if (claims['iss'] !== options.issuer) return refused('token-other-issuer');
      if (claims['acr'] !== 'eidas1') return refused('token-acr-not-eidas1');
      const rpps = claims['preferred_username'];
      if (typeof rpps !== 'string') return refused('token-without-preferred-username');
      const owner = owners.get(mailbox);
      if (owner === undefined) return refused('mailbox-unknown', '403');
      if (owner !== rpps) return refused('mailbox-not-owned', '403');
      return { ok: true, mailbox, subject: rpps };
    },
    external(certificate, authzid) {
      const mailbox = authzid.toLowerCase();
      if (certificate === undefined) return refused('no-trusted-client-certificate');
      if (!appMailboxes.has(mailbox)) return refused('not-an-applicative-mailbox', '403');
      if (!appFingerprints.has(certificate.fingerprint256))
        return refused('certificate-not-registered', '403');
      return { ok: true, mailbox, subject: certificate.subject.replace(/\n/g, ', ') };
    },
    close: () => dispatcher.close(),
  };
}
