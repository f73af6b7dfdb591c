import { z } from 'zod';
import { MailAddressSchema } from './mss-schema.ts';

/** `sandbox.mss`: the sandbox's Pro Santé Connect stub and MSSanté operator mail server. */
export const SandboxMssSchema = z
  .object({
    professionals: z
      .array(
        z
          .object({
            rpps: z
              .string()
              .regex(/^\d{11}$/, 'an RPPS number of 11 digits')
              .describe('National id of the professional (RPPS): `preferred_username` of the tokens.'),
            name: z.string().min(1).max(100).describe('Display name on the test login page.'),
            mailboxes: z
              .array(MailAddressSchema)
              .min(1)
              .describe('The mailboxes the professional may open (the first is `email` in introspection).'),
          })
          .strict()
          .describe('One test professional.'),
      )
      .min(1)
      .optional()
      .describe(
        'Test professionals of the PSC login page and their mailboxes (default: two doctors and a nurse on `sandbox.mssante.fr`).',
      ),
    applicationMailboxes: z
      .array(MailAddressSchema)
      .optional()
      .describe(
        'Applicative mailboxes opened with the partner TLS certificate (AUTH_CLI, `AUTHENTICATE EXTERNAL`); default: one, `application@sandbox.mssante.fr`.',
      ),
    accessTokenSeconds: z.number().int().min(5).max(86_400).optional().meta({
      default: 300,
      description: 'Lifetime of the PSC access tokens (PSC: a few minutes).',
    }),
    refreshTokenSeconds: z
      .number()
      .int()
      .min(5)
      .max(86_400 * 30)
      .optional()
      .meta({
        default: 1800,
        description: 'Lifetime of the PSC refresh tokens.',
      }),
    idleTimeoutSeconds: z.number().int().min(1).max(86_400).optional().meta({
      default: 900,
      description: 'The IMAP and SMTP servers close a connection idle this long (MSSanté: 15 minutes).',
    }),
    maxConnections: z.number().int().min(1).max(100_000).optional().meta({
      default: 2000,
      description: 'IMAP and SMTP connections at once, each server (one more is closed at once).',
    }),
    maxMessageBytes: z
      .number()
      .int()
      .min(1024)
      .max(1 << 30)
      .optional()
      .meta({
        default: 26214400,
        description: 'Largest message accepted by SMTP or IMAP APPEND (25 MiB by default).',
      }),
    introspection: z
      .object({
        issuer: z.url().describe('The issuer its tokens carry (`iss`), https.'),
        url: z.url().describe('Its token introspection endpoint (RFC 7662), https.'),
        clientId: z.string().min(1).max(200).describe('The introspection client id.'),
        clientSecretFile: z
          .string()
          .min(1)
          .describe(
            "File holding the introspection client secret (a relative path is from the configuration file's folder).",
          ),
        caFile: z.string().min(1).describe('PEM trust anchors of its TLS certificate.'),
      })
      .strict()
      .optional()
      .describe(
        "Another Pro Santé Connect the operator validates tokens against, instead of the sandbox's own stub: the PSC of `passerelle mss conformance serve`, so a conformance run can target the sandbox operator.",
      ),
    relay: z
      .object({
        host: z.string().min(1).max(253).describe("The next hop's SMTP server: host name or IP address."),
        port: z.number().int().min(1).max(65535).describe('Its port (port-25 style: STARTTLS).'),
        caFile: z
          .string()
          .min(1)
          .optional()
          .describe(
            "PEM trust anchors of its certificate (a relative path is from the configuration file's folder); default: the system's CAs.",
          ),
        domains: z
          .array(z.string().min(1).max(253))
          .min(1)
          .optional()
          .describe('Only recipients of these domains are relayed; default: any domain.'),
      })
      .strict()
      .optional()
      .describe(
        "The operator's outbound relay (operator interface): mail for an address outside the sandbox's mailboxes goes on to this server, STARTTLS and TLS 1.2+ required, its certificate verified; a relay failure answers 451. Absent: such recipients get 550.",
      ),
  })
  .strict();

export type SandboxMssConfig = z.infer<typeof SandboxMssSchema>;
