import { z } from 'zod';
import { SecretRefSchema } from './secret-schema.ts';

/** A credential: a PKCS#12 keystore, or a PEM certificate (chain) plus a PEM private key. */
export const CredentialRefSchema = z
  .union([
    z
      .object({
        p12: z
          .string()
          .min(1)
          .describe(
            'PKCS#12 keystore (.p12/.pfx) holding the key and its certificate: modern (AES) or legacy (RC2/3DES).',
          ),
        password: SecretRefSchema.optional().describe('Where the keystore password is.'),
      })
      .strict()
      .describe('A PKCS#12 keystore.'),
    z
      .object({
        cert: z.string().min(1).describe('PEM certificate, optionally followed by its chain.'),
        key: z.string().min(1).describe('PEM private key (PKCS#8, plain or encrypted).'),
        password: SecretRefSchema.optional().describe('Where the password of an encrypted key is.'),
      })
      .strict()
      .describe('A PEM certificate and its PEM private key.'),
  ])
  .meta({
    id: 'Credential',
    description:
      'A certificate with its private key. Before anything is signed or sent, its certificate must be valid at that moment.',
  });
export type CredentialRef = z.infer<typeof CredentialRefSchema>;
