import { z } from 'zod';
import { CredentialRefSchema } from './credential-schema.ts';
import { MssSchema } from './mss-schema.ts';
import { ENDPOINT_NAMES, type EndpointName } from './registry.ts';
import { RestSchema } from './rest-schema.ts';
import { SandboxConfigSchema } from './sandbox-schema.ts';
import { SftpSchema } from './sftp-schema.ts';

/*
 * Every key carries a description (`.describe()` / `.meta()`): docs/configuration.md's reference
 * is generated from them (`npm run docs:config`), and a test fails when the two differ. `default`
 * in `.meta()` documents the value the code uses when the key is absent; the schema itself
 * applies no default. `id` names a shared shape in that reference. None of it changes parsing.
 */

export { type CredentialRef, CredentialRefSchema } from './credential-schema.ts';
export { type SecretRef, SecretRefSchema } from './secret-schema.ts';

/**
 * One source of trust for a signer, said explicitly:
 * - `{ pin: file }`: the signer's own certificate, alone in its file; only that exact certificate
 *   is trusted, nothing it issued;
 * - `{ ca: file }`: CA certificates; any certificate with a valid path to one of them is trusted.
 * A plain `file` is read as `{ pin: file }` (the older form): it must hold exactly one certificate.
 */
export const TrustEntrySchema = z
  .union([
    z.string().min(1).describe('The older form of `{ pin: FILE }`: a file with exactly one certificate.'),
    z
      .object({
        pin: z
          .string()
          .min(1)
          .describe(
            "PEM file with exactly one certificate, the signer's own: that certificate is trusted (byte for byte, while valid), nothing it issued.",
          ),
      })
      .strict()
      .describe('A pinned signer certificate.'),
    z
      .object({
        ca: z
          .string()
          .min(1)
          .describe(
            'PEM file of one or more CA certificates: any certificate with a valid path to one of them is trusted.',
          ),
      })
      .strict()
      .describe('Certificate authorities.'),
  ])
  .meta({
    id: 'TrustEntry',
    description:
      'One trusted signer, said explicitly. Prefer `{ pin }` when the signer publishes its certificate: a CA that issues to many parties trusts them all.',
  });
export type TrustEntry = z.infer<typeof TrustEntrySchema>;

/** What each endpoint name is; `satisfies` makes a new name in the registry a type error here. */
const ENDPOINT_DESCRIPTIONS = {
  'cbss.soap': 'KSZ-BCSS SOAP web services and API gateway (port 4520).',
  'cbss.mtom': 'KSZ-BCSS SOAP with MTOM attachments (port 4522).',
  'cbss.ssdn': 'KSZ-BCSS historic SSDN services (port 4530).',
  'cbss.rest': 'KSZ-BCSS REST APIs (port 4543 on the extranet); `{api}` stands for the API name.',
  'oauth.token': 'OAuth v5 token endpoint.',
  'oauth.metadata': 'OAuth v5 authorization-server metadata (RFC 8414): the token endpoint and the issuer.',
  'ehealth.soa': 'eHealth SOA services (base URL).',
  'ehealth.sts': 'eHealth STS (WS-Trust 1.3, SAML 1.1 holder-of-key).',
  'ehealth.sts.saml': 'eHealth SAML-P STS (the older protocol).',
  'ebox.soap': 'eBox EBoxMessage v1 (SOAP).',
  'ebox.rest': 'eBox REST message registry v2 (base URL; `/publishMessage` is appended).',
  sftp: 'Social-security SFTP server for batch files.',
} as const satisfies Record<EndpointName, string>;

const EndpointsSchema = z
  .partialRecord(z.enum(ENDPOINT_NAMES), z.url({ protocol: /^(https|sftp|http)$/ }))
  .meta({
    description:
      '`https:`, `sftp:` or `http:` URLs by endpoint name, replacing the built-in ones (for a custom environment: the only ones). A `PASSERELLE_ENDPOINT_<NAME>` variable (dots as underscores, upper case: `PASSERELLE_ENDPOINT_CBSS_SOAP`) overrides both.',
    keys: ENDPOINT_DESCRIPTIONS,
  });

const TrustSchema = z
  .object({
    /** CA bundle (PEM) for the platform's TLS server certificates. */
    ca: z
      .string()
      .min(1)
      .optional()
      .describe(
        "PEM bundle of the CA certificates that issue the platform's TLS server certificates. Without it, Node's bundled public roots.",
      ),
    /** Who signs platform replies: pinned certificates and/or CAs (TrustEntry). */
    platformSigning: z
      .array(TrustEntrySchema)
      .optional()
      .describe(
        "Who signs the platform's SOAP replies. A call whose reply is verified needs it (`ERR_CONFIG_TRUST_MISSING`); a reply signed by anyone else is `ERR_WSS_UNTRUSTED_SIGNER`.",
      ),
    /** Who signs the STS's SAML assertions: pinned certificates and/or CAs (TrustEntry). */
    sts: z
      .array(TrustEntrySchema)
      .optional()
      .describe(
        "Who signs the STS's SAML assertions. Required by every STS call unless `stsUnverified` (`ERR_CONFIG_TRUST_MISSING`); an assertion from another signer is `ERR_SAML_UNTRUSTED_ISSUER`.",
      ),
    /**
     * INSECURE opt-out: accept STS assertions without verifying their signature, when no
     * `sts` trust can be configured. Every output then says the assertion was NOT verified.
     */
    stsUnverified: z.boolean().optional().meta({
      default: false,
      description:
        'INSECURE: accept STS assertions without checking who signed them, when no `sts` trust can be had. Per environment only (refused in `defaults`), never with `sts`; every output then says the assertion was NOT verified, and such tokens are not kept in the state directory.',
    }),
  })
  .strict();

const CredentialsSchema = z
  .object({
    /** Client certificate for mutual TLS. */
    tls: CredentialRefSchema.optional().describe(
      'Client certificate for mutual TLS with the platforms (SOAP, MTOM, STS, OAuth and REST connections).',
    ),
    /** Application certificate for WS-Security message signatures. */
    signing: CredentialRefSchema.optional().describe(
      'Application certificate whose key signs WS-Security SOAP messages (the X.509-signed calls and MTOM).',
    ),
    /** Certificate whose key signs OAuth JWT client assertions. */
    oauth: CredentialRefSchema.optional().describe(
      'Certificate whose key signs the OAuth client assertions (`private_key_jwt`); the one registered for `oauth.clientId`.',
    ),
    /** Holder-of-key certificate presented to the STS. */
    hok: CredentialRefSchema.optional().describe(
      'Holder-of-key certificate: presented to the eHealth STS, and its key signs the calls that carry the SAML assertion.',
    ),
  })
  .strict();

const OAuthSchema = z
  .object({
    clientId: z
      .string()
      .min(1)
      .optional()
      .describe('OAuth client id registered with the platform (`--client-id` overrides it).'),
    scope: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Scopes to ask for, space-separated (`--scope` overrides it); without it, the client's default scopes.",
      ),
    audience: z.enum(['token-endpoint', 'issuer']).optional().meta({
      default: 'token-endpoint',
      description:
        "`aud` of the client assertion: the token endpoint's URL, or the issuer named by `oauth.metadata`.",
    }),
    alg: z.enum(['RS256', 'PS256', 'ES256']).optional().meta({
      defaultNote: 'RS256 for an RSA key, ES256 for an EC P-256 key',
      description: 'Signature algorithm of the client assertion; it must fit the `credentials.oauth` key.',
    }),
  })
  .strict();

export const EnvironmentConfigSchema = z
  .object({
    /** A custom environment defines every endpoint it uses explicitly. */
    custom: z.boolean().optional().meta({
      defaultNote: '`false` for a built-in name, `true` for any other',
      description:
        'A custom environment has no built-in endpoints: every endpoint it uses is given under `endpoints`.',
    }),
    channel: z.enum(['extranet', 'internet']).optional().meta({
      default: 'extranet',
      description:
        'How the platforms are reached: the social-security extranet or the internet. It changes the REST, OAuth and eBox hosts of the built-in environments.',
    }),
    endpoints: EndpointsSchema.optional(),
    credentials: CredentialsSchema.optional().describe(
      'The certificates and keys of the environment, by role.',
    ),
    trust: TrustSchema.optional().describe(
      "What the environment trusts: the platform's TLS server CAs and the two signers whose signatures are verified.",
    ),
    oauth: OAuthSchema.optional().describe('The OAuth v5 client (client credentials, `private_key_jwt`).'),
    sftp: SftpSchema.optional().describe(
      'The SFTP batch account: login key, pinned host keys, sender number and file naming.',
    ),
    rest: RestSchema.optional().describe(
      'Partner-specific settings of the KSZ-BCSS REST services (headers such as the legal context, scopes), by API name.',
    ),
    mss: MssSchema.optional().describe(
      'The MSSanté mailbox of the software (API LPS): IMAP and SMTP servers of the operator, Pro Santé Connect, session rules.',
    ),
  })
  .strict()
  .describe('One environment.');
export type EnvironmentConfig = z.infer<typeof EnvironmentConfigSchema>;

export const ConfigSchema = z
  .object({
    $schema: z
      .string()
      .optional()
      .describe('Ignored by Passerelle: lets an editor find a JSON Schema for the file.'),
    defaultEnv: z.string().min(1).optional().meta({
      default: 'test',
      description: 'The environment used when neither `--env` nor `$PASSERELLE_ENV` names one.',
    }),
    institution: z
      .object({
        cbe: z.string().optional().describe('CBE/KBO enterprise number of the institution.'),
        name: z.string().optional().describe('Name of the institution.'),
        application: z.string().optional().describe('URN of the application its certificates are issued to.'),
      })
      .strict()
      .optional()
      .describe(
        "The institution the configuration acts for. Informational: what the platforms check is in the certificates' subjects.",
      ),
    /** Defaults shared by every environment, overridden field by field per environment. */
    defaults: EnvironmentConfigSchema.omit({ custom: true, endpoints: true, trust: true })
      .extend({
        // The insecure opt-out is said per environment, never once for all of them (prod included).
        trust: TrustSchema.omit({ stsUnverified: true })
          .strict()
          .optional()
          .describe(
            'Trust shared by every environment (no `stsUnverified`: that opt-out is said per environment).',
          ),
      })
      .optional()
      .describe(
        "Values shared by every environment. An environment's own value replaces the shared one: `channel` whole, `credentials` role by role, `trust` and `oauth` key by key.",
      ),
    environments: z
      .record(
        z
          .string()
          .regex(/^[a-z][a-z0-9-]*$/)
          .describe('a lower-case letter, then lower-case letters, digits and hyphens'),
        EnvironmentConfigSchema,
      )
      .optional()
      .describe(
        "`test`, `acpt` and `prod` are built in with the platforms' endpoints; `sandbox` is written by the sandbox. An entry under a built-in name adds to it or overrides it; any other name is a custom environment.",
      ),
    /** What `passerelle sandbox` simulates beyond its defaults. */
    sandbox: SandboxConfigSchema,
    /** Where the sandbox and the token caches keep state. */
    stateDir: z
      .string()
      .optional()
      .describe(
        "State directory: the sandbox's (when `passerelle sandbox` has no `--state-dir`) and the STS token cache. Without it, the sandbox uses `./.passerelle-sandbox` and STS tokens are kept in memory only.",
      ),
  })
  .strict()
  .describe('A Passerelle configuration file (JSON or YAML). Unknown keys are errors.');
export type Config = z.infer<typeof ConfigSchema>;
