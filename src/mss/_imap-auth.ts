import { PasserelleError } from '../errors.ts';
import type { MssAuth } from './types.ts';
import { parseXoauth2Error, xoauth2InitialResponse } from './xoauth2.ts';

/** The part of imapflow's ImapFlow the authentication hook uses (internal members included). */
export interface ImapFlowInternals {
  secureConnection: boolean;
  capabilities: Map<string, boolean | number>;
  authenticated: unknown;
  expectCapabilityUpdate: boolean;
  state: unknown;
  states: { NOT_AUTHENTICATED: unknown };
  authenticate: () => Promise<boolean>;
  setAuthenticationState: () => Promise<void>;
  write: (chunk: string) => void;
  exec: (
    command: string,
    attributes: { type: string; value: string; sensitive?: boolean }[],
    options?: { onPlusTag?: (resp: { attributes?: { type: string; value: string }[] }) => Promise<void> },
  ) => Promise<{ next: () => void }>;
}

interface ImapRefusal {
  responseStatus?: string;
  responseText?: string;
  serverResponseCode?: string;
}

/**
 * Replaces imapflow's authentication with MSSanté's, called by imapflow after TLS (implicit,
 * or STARTTLS with the capabilities asked again under TLS):
 * - fail closed: no TLS, or no `AUTH=XOAUTH2` + `SASL-IR` (xoauth2) / `AUTH=EXTERNAL`
 *   (external) → ERR_MSS_UNSUPPORTED before anything secret is sent (imapflow would pick
 *   OAUTHBEARER when offered; MSSanté says XOAUTH2, so we send it ourselves);
 * - xoauth2: `AUTHENTICATE XOAUTH2 <initial response>`; a challenge is the RFC 7628 error,
 *   answered by an empty line; the NO that follows → ERR_MSS_TOKEN_REJECTED with the status;
 * - external: `AUTHENTICATE EXTERNAL <base64(mailbox)>` (SASL-IR) or the same on the first
 *   continuation; NO → ERR_MSS_AUTH_FAILED.
 * The error is stored in `failure` too: imapflow may wrap what the hook throws.
 */
export function installMssAuth(
  flow: ImapFlowInternals,
  mailbox: string,
  auth: MssAuth,
  failure: { error?: PasserelleError },
): void {
  const fail = (error: PasserelleError) => {
    failure.error = error;
    return error;
  };
  flow.authenticate = async () => {
    if (flow.state !== flow.states.NOT_AUTHENTICATED) return true;
    if (!flow.secureConnection)
      throw fail(
        new PasserelleError('ERR_MSS_UNSUPPORTED', 'The IMAP connection is not under TLS: nothing sent'),
      );
    const caps = flow.capabilities;
    const saslIr = caps.has('SASL-IR');
    if (auth.kind === 'xoauth2' && !(caps.has('AUTH=XOAUTH2') && saslIr))
      throw fail(
        new PasserelleError(
          'ERR_MSS_UNSUPPORTED',
          'The IMAP server does not advertise AUTH=XOAUTH2 and SASL-IR under TLS: the token was not sent',
          {
            details: {
              protocol: 'imap',
              capabilities: [...caps.keys()].filter((c) => /^(AUTH=|SASL-IR)/.test(c)),
            },
          },
        ),
      );
    if (auth.kind === 'external' && !caps.has('AUTH=EXTERNAL'))
      throw fail(
        new PasserelleError(
          'ERR_MSS_UNSUPPORTED',
          'The IMAP server does not advertise AUTH=EXTERNAL (client-certificate access)',
          {
            details: { protocol: 'imap' },
          },
        ),
      );
    let payload: string;
    if (auth.kind === 'xoauth2') {
      let token: string;
      try {
        token = await auth.accessToken();
      } catch (e) {
        throw fail(
          e instanceof PasserelleError
            ? e
            : new PasserelleError('ERR_MSS_TOKEN_REJECTED', 'No access token', { cause: e }),
        );
      }
      payload = xoauth2InitialResponse(mailbox, token);
    } else payload = Buffer.from(mailbox, 'utf8').toString('base64');
    const mechanism = auth.kind === 'xoauth2' ? 'XOAUTH2' : 'EXTERNAL';
    let pending = !saslIr;
    let challenge: string | undefined;
    const attributes = [{ type: 'ATOM', value: mechanism }];
    if (!pending)
      attributes.push({ type: 'ATOM', value: payload, sensitive: true } as (typeof attributes)[0]);
    flow.expectCapabilityUpdate = true;
    try {
      const response = await flow.exec('AUTHENTICATE', attributes, {
        onPlusTag: async (resp) => {
          if (pending) {
            pending = false;
            flow.write(payload);
            return;
          }
          const first = resp.attributes?.[0];
          challenge = first?.type === 'TEXT' ? first.value : challenge;
          flow.write(''); // RFC 7628 §3.2.3: the client answers the error challenge with an empty response
        },
      });
      response.next();
    } catch (e) {
      const r = e as ImapRefusal;
      if (r.responseStatus !== 'NO' && r.responseStatus !== 'BAD') throw e;
      const text = String(r.responseText ?? '')
        .replace(/[\r\n]+/g, ' ')
        .slice(0, 200);
      const rfc7628 = parseXoauth2Error(challenge);
      throw fail(
        auth.kind === 'xoauth2'
          ? new PasserelleError(
              'ERR_MSS_TOKEN_REJECTED',
              `The IMAP server refused the access token: ${text}`,
              {
                details: {
                  protocol: 'imap',
                  response: text,
                  ...(rfc7628?.status ? { status: rfc7628.status } : {}),
                  ...(rfc7628?.scope ? { scope: rfc7628.scope } : {}),
                },
              },
            )
          : new PasserelleError(
              'ERR_MSS_AUTH_FAILED',
              `The IMAP server refused the client-certificate login: ${text}`,
              {
                details: { protocol: 'imap', response: text },
              },
            ),
      );
    }
    flow.authenticated = mailbox;
    await flow.setAuthenticationState();
    return true;
  };
}
