import { z } from 'zod';
import { SandboxContractsSchema } from './sandbox-contracts-schema.ts';
import { SandboxMssSchema } from './sandbox-mss-schema.ts';

/** `sandbox` in the configuration file: what `passerelle sandbox` simulates beyond its defaults. */
export const SandboxConfigSchema = z
  .object({
    ebox: z
      .object({
        institutions: z
          .array(z.string().regex(/^[01]\d{9}$/, 'a CBE number of 10 digits'))
          .optional()
          .describe(
            'Level 1: the CBE numbers of the institutions allowed to use EBoxMessage (default: the sandbox partner).',
          ),
        senders: z
          .array(
            z
              .object({
                institution: z
                  .string()
                  .regex(/^[01]\d{9}$/, 'a CBE number of 10 digits')
                  .describe("The sender's institution (CBE)."),
                application: z
                  .string()
                  .min(1)
                  .max(150)
                  .describe("The sender's application URN (the certificate CN)."),
                messageTypes: z
                  .array(z.string().min(6).max(80))
                  .min(1)
                  .describe('The message types it may publish (6 to 80 characters).'),
              })
              .strict()
              .describe('One sender and its message types.'),
          )
          .optional()
          .describe(
            'Level 2: each sender (institution CBE, application URN) with the message types it may publish (default: the sandbox partner with PASSERELLE_PAYMENT_STATEMENT and PASSERELLE_DECISION).',
          ),
        citizens: z
          .array(
            z
              .object({
                inss: z
                  .string()
                  .regex(/^\d{11}$/, 'an INSS of 11 digits')
                  .describe('The INSS, 11 digits.'),
                name: z.string().min(1).max(100).describe('A display name.'),
                ebox: z
                  .enum(['active', 'never-opened', 'none'])
                  .describe('Whether the citizen has an eBox and opened it.'),
                lastConnection: z
                  .string()
                  .regex(/^\d{4}-\d{2}-\d{2}$/)
                  .optional()
                  .describe('YYYY-MM-DD of the last connection (hasAnEbox).'),
                exclusivelyEbox: z
                  .boolean()
                  .optional()
                  .describe('The citizen chose the eBox as only channel.'),
              })
              .strict()
              .describe('One sandbox citizen.'),
          )
          .optional()
          .describe(
            'The sandbox citizens: `active` (has an eBox and opened it), `never-opened` (REST answers NO_DIGITAL_USER), `none` (no eBox: error 90). Default: five demo citizens (docs/guide.md).',
          ),
        faults: z
          .object({
            transientRate: z.number().min(0).max(1).optional().meta({
              default: 0,
              description:
                'Share (0 to 1) of publications answered with a transient fault before anything is stored: SOAP SOA-02002 (Retry true), REST 503 SERVICE_UNAVAILABLE.',
            }),
            resetRate: z.number().min(0).max(1).optional().meta({
              default: 0,
              description:
                'Share (0 to 1) of publications whose connection is reset mid-request, before anything is stored.',
            }),
            lostReplyRate: z.number().min(0).max(1).optional().meta({
              default: 0,
              description:
                'Share (0 to 1) of publications stored, then their connection reset instead of the reply (a retry replaces the SOAP message; over REST the same Idempotency-Key gets 409 DUPLICATE_REQUEST: already published).',
            }),
            slowRate: z.number().min(0).max(1).optional().meta({
              default: 0,
              description: 'Share (0 to 1) of publications whose reply is held `slowMs` after the commit.',
            }),
            slowMs: z
              .number()
              .int()
              .min(0)
              .max(600_000)
              .optional()
              .meta({ default: 2000, description: 'How long a slow reply is held, ms (0 to 600000).' }),
            crash: z.enum(['off', 'refuse', 'reset']).optional().meta({
              default: 'off',
              description:
                'Start crashed: `refuse` (ports closed), `reset` (every connection reset) or `off`. Switched at run time with POST to the `ebox.control` endpoint.',
            }),
          })
          .strict()
          .optional()
          .describe(
            'Seeded fault injection of the sandbox eBox (the draws repeat with `--seed`); transientRate + resetRate + lostReplyRate is at most 1. Default: no faults. The rates and the crash switch can be changed at run time: GET or POST `/_control/faults` on the `ebox.control` endpoint (mutual TLS).',
          ),
      })
      .strict()
      .optional()
      .describe(
        'Registries of the sandbox eBox (each list given replaces its default; check digits are verified when the sandbox starts) and its fault injection.',
      ),
    sftp: z
      .object({
        replyDelayMs: z.number().int().min(0).max(600_000).optional().meta({
          default: 500,
          description: 'How long after a GO file the sandbox answers in OUT/ (ms, 0 to 600000).',
        }),
        quotaBytes: z.number().int().min(1).optional().meta({
          default: 67108864,
          description:
            "Bytes an account's IN/ folder may hold, files being written included (64 MiB by default); a write past it fails with `quota exceeded`.",
        }),
        maxSessions: z.number().int().min(1).max(10_000).optional().meta({
          default: 16,
          description: 'SSH connections at once, all accounts (one more is closed at once).',
        }),
        maxHandles: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .optional()
          .meta({ default: 32, description: 'Open files and folders per SFTP session (one more fails).' }),
        accounts: z
          .array(
            z
              .object({
                user: z
                  .string()
                  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a login: lower-case letters, digits, _ and -')
                  .describe('Login name; also the folder `<stateDir>/sftp/<user>/`.'),
                sender: z
                  .string()
                  .regex(/^[0-9A-Za-z]{1,12}$/, 'the sender number: letters and digits')
                  .describe('The sender number every submission of the account must carry.'),
                authorizedKeys: z
                  .array(z.string().min(1))
                  .optional()
                  .describe(
                    'OpenSSH public key lines allowed to log in (default: the partner key the sandbox generates in `<stateDir>/ssh/`).',
                  ),
              })
              .strict()
              .describe('One SFTP account.'),
          )
          .min(1)
          .optional()
          .describe(
            'The SFTP accounts; the first is written to the client configuration (default: `partner`, sender 123456, with the generated partner key).',
          ),
      })
      .strict()
      .optional()
      .describe(
        'The sandbox SFTP server: reply delay, quota, caps and accounts (each with its IN/ and OUT/ folders).',
      ),
    contracts: SandboxContractsSchema.optional(),
    mss: SandboxMssSchema.optional().describe(
      'The sandbox MSSanté side: Pro Santé Connect stub (test professionals, token lifetimes) and operator mail server (IMAP, SMTP).',
    ),
  })
  .strict()
  .optional()
  .describe('Settings of `passerelle sandbox` (the demo keeps its defaults).');
