import { z } from 'zod';

/**
 * A secret (password, passphrase) is never written in the configuration itself nor passed on
 * the command line: the configuration names an environment variable or a file that holds it.
 */
export const SecretRefSchema = z
  .union([
    z
      .object({
        env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
          .describe('Name of the environment variable that holds the secret.'),
      })
      .strict()
      .describe('The secret is in an environment variable.'),
    z
      .object({
        file: z
          .string()
          .min(1)
          .describe(
            'File that holds the secret; one trailing newline is dropped. Keep it readable by its owner only (mode 0600).',
          ),
      })
      .strict()
      .describe('The secret is in a file.'),
  ])
  .meta({
    id: 'Secret',
    description:
      'Where a password is: the configuration names it, never holds it. Error messages name the variable or file, never the value.',
  });
export type SecretRef = z.infer<typeof SecretRefSchema>;
