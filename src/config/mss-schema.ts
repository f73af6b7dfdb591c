import { z } from 'zod';
import { CredentialRefSchema } from './credential-schema.ts';
import { SecretRefSchema } from './secret-schema.ts';

const ADDRESS =
  /^[^\s@<>()",;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** An e-mail address as MSSanté uses them (`local@domain`, no display name). */
export const MailAddressSchema = z.string().regex(ADDRESS, 'an e-mail address (local@domain)');

/** `environments.<env>.mss`: the MSSanté API LPS of one mailbox (PROTOCOLS.md §9; docs/guide.md, MSSanté). */
export const MssSchema = z
  .object({
    mailbox: MailAddressSchema.describe(
      'The MSSanté mailbox (BAL) address: the `user=` of XOAUTH2 and the sender of `mss send`.',
    ),
    imap: z
      .url({ protocol: /^imaps?$/ })
      .describe(
        "The operator's IMAP server: `imaps://host:993` for implicit TLS, `imap://host:143` for STARTTLS (the operators do not publish one choice: ask yours). TLS 1.2 or later either way; the token is sent only under TLS.",
      ),
    smtp: z
      .url({ protocol: /^smtps?$/ })
      .describe(
        "The operator's SMTP submission server: `smtps://host:465` for implicit TLS, `smtp://host:587` for STARTTLS.",
      ),
    ca: z
      .string()
      .min(1)
      .optional()
      .describe(
        "PEM bundle of the CAs that issue the operator's server certificates (IGC Santé in production). Without it the system's CAs are used; host names are always checked.",
      ),
    auth: z.enum(['psc', 'client-certificate']).optional().meta({
      default: 'psc',
      description:
        '`psc`: XOAUTH2 with a Pro Santé Connect token of the professional ("MIE PSC"); `client-certificate`: TLS client certificate for an applicative mailbox ("MIE AUTH_CLI", IMAP `AUTHENTICATE EXTERNAL`).',
    }),
    clientCertificate: CredentialRefSchema.optional().describe(
      'The TLS client certificate of `auth: client-certificate` (IGC Santé ORG certificate with the AUTH_CLI usage in production).',
    ),
    psc: z
      .object({
        issuer: z
          .url({ protocol: /^https$/ })
          .describe(
            'Pro Santé Connect issuer, e.g. `https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet` (test, "BAS") or `https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet` (production).',
          ),
        clientId: z.string().min(1).describe('The client id ANS registered for the software.'),
        clientSecret: SecretRefSchema.optional().describe(
          'Where the client secret is (client_secret_basic), when ANS gave one.',
        ),
        discoveryPath: z.string().startsWith('/').optional().meta({
          default: '/.well-known/wallet-openid-configuration',
          description: "Discovery document path below the issuer (PSC's is not the usual one).",
        }),
        scope: z
          .string()
          .min(1)
          .optional()
          .meta({ default: 'openid scope_all', description: 'Scopes asked for.' }),
        acrValues: z.string().min(1).optional().meta({
          default: 'eidas1',
          description: 'The `acr_values` asked for; PSC supports eidas1 only.',
        }),
        redirectPort: z.number().int().min(0).max(65535).optional().meta({
          default: 0,
          description:
            'Port of the loopback redirect `http://127.0.0.1:<port>/callback` (0: any free port; register the redirect URI with ANS accordingly).',
        }),
        ca: z
          .string()
          .min(1)
          .optional()
          .describe(
            "PEM bundle of the CAs of Pro Santé Connect's server certificate (default: the system's).",
          ),
      })
      .strict()
      .optional()
      .describe('Pro Santé Connect, the OpenID Connect provider whose tokens the operator accepts.'),
    session: z
      .object({
        idleMinutes: z.number().min(0.01).max(1440).optional().meta({
          default: 15,
          description: 'A session unused this long is closed (MSSanté rule: 15 minutes).',
        }),
        maxHours: z.number().min(0.01).max(24).optional().meta({
          default: 4,
          description:
            'A session is closed this long after its login, whatever its use (MSSanté rule: 4 hours).',
        }),
        refreshBeforeSeconds: z.number().int().min(0).max(3600).optional().meta({
          default: 30,
          description:
            'The access token is refreshed this long before it expires; an expired token is never sent.',
        }),
      })
      .strict()
      .optional()
      .describe('Session rules of the API LPS.'),
    nil: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .optional()
      .meta({
        default: 'PASSERELLE',
        description:
          'The `X-MSS-NIL` header sent on every message: the reference number of the software (its LPS registration).',
      }),
    tokenFile: z.string().min(1).optional().meta({
      default: './.passerelle-mss-token.json',
      description:
        "Where `mss login` keeps the session (tokens, mode 0600; a relative path is from the configuration file's folder).",
    }),
    timeoutSeconds: z.number().int().min(1).max(3600).optional().meta({
      default: 30,
      description: 'Seconds to wait for the connection and for each answer of the servers.',
    }),
  })
  .strict();

export type MssConfig = z.infer<typeof MssSchema>;
