import { z } from 'zod';
import { SecretRefSchema } from './secret-schema.ts';

/** `environments.<env>.sftp`: the SFTP batch account (PROTOCOLS.md §8; docs/guide.md, SFTP). */
export const SftpSchema = z
  .object({
    user: z.string().min(1).optional().describe('Account name on the SFTP server.'),
    key: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Private key of the login: an OpenSSH or PEM file, ed25519 or RSA, readable by its owner only (mode 0600; a looser mode is warned about).',
      ),
    keyPassword: SecretRefSchema.optional().describe('Where the passphrase of an encrypted `key` is.'),
    hostKeys: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "The server's host keys, pinned: `SHA256:<base64>` fingerprints (as `ssh-keygen -lf` prints them) or known_hosts lines. A server presenting any other key is refused (`ERR_SFTP_HOST_KEY_CHANGED`); without pins every connection is refused (`ERR_SFTP_HOST_KEY_UNKNOWN`).",
      ),
    sender: z
      .string()
      .regex(/^[0-9A-Za-z]{1,12}$/, 'the sender number: letters and digits')
      .optional()
      .describe("Sender number (numéro d'expéditeur / afzendernummer): the third part of every file name."),
    app: z
      .string()
      .regex(/^[A-Z0-9]{4}$/, 'four capital letters or digits, such as DMFA')
      .optional()
      .describe(
        'Default application code of a submission (DMFA, DIMN, …): the second part of the name (`--app` overrides it).',
      ),
    environmentCode: z.enum(['R', 'T']).optional().meta({
      defaultNote: '`R` in `prod`, `T` elsewhere',
      description: 'Sixth part of the file names: `R` for the real (production) environment, `T` for test.',
    }),
    inDir: z
      .string()
      .min(1)
      .optional()
      .meta({ default: 'IN', description: 'Remote folder submissions are written to.' }),
    outDir: z.string().min(1).optional().meta({
      default: 'OUT',
      description: 'Remote folder the platform writes its replies (FO, CO files) to.',
    }),
    repliesDir: z.string().min(1).optional().meta({
      default: './sftp-replies',
      description:
        "Local folder replies are downloaded to (a relative path is from the configuration file's folder); it also keeps the record of what was fetched and submitted (`.passerelle-sftp.json`), so nothing is fetched twice.",
    }),
    signature: z
      .object({
        encoding: z.enum(['base64', 'base64-76-cr', 'der']).optional().meta({
          default: 'base64',
          description:
            'How the FS file holds the CMS signature: base64 on one line, base64 in 76-column lines separated by a carriage return, or raw DER.',
        }),
        digest: z
          .enum(['sha256', 'sha384', 'sha512'])
          .optional()
          .meta({ default: 'sha256', description: 'Digest of the FI file and of the signed attributes.' }),
      })
      .strict()
      .optional()
      .describe('The FS file: a CMS (PKCS#7) detached signature of the FI file by `credentials.signing`.'),
    keepaliveSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .optional()
      .meta({ default: 15, description: 'Seconds between SSH keep-alives (0: none).' }),
    timeoutSeconds: z.number().int().min(1).max(3600).optional().meta({
      default: 30,
      description: 'Seconds to wait for the connection and for each answer of the server.',
    }),
  })
  .strict();
