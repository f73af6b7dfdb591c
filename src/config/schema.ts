import { z } from 'zod';
import { ENDPOINT_NAMES } from './registry.ts';

/**
 * A secret (password, passphrase) is never written in the configuration itself nor passed on
 * the command line: the configuration names an environment variable or a file that holds it.
 */
export const SecretRefSchema = z.union([
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);
export type SecretRef = z.infer<typeof SecretRefSchema>;

/** A credential: a PKCS#12 keystore, or a PEM certificate (chain) plus a PEM private key. */
export const CredentialRefSchema = z.union([
  z.object({ p12: z.string().min(1), password: SecretRefSchema.optional() }).strict(),
  z
    .object({ cert: z.string().min(1), key: z.string().min(1), password: SecretRefSchema.optional() })
    .strict(),
]);
export type CredentialRef = z.infer<typeof CredentialRefSchema>;

/**
 * One source of trust for a signer, said explicitly:
 * - `{ pin: file }`: the signer's own certificate, alone in its file; only that exact certificate
 *   is trusted, nothing it issued;
 * - `{ ca: file }`: CA certificates; any certificate with a valid path to one of them is trusted.
 * A plain `file` is read as `{ pin: file }` (the older form): it must hold exactly one certificate.
 */
export const TrustEntrySchema = z.union([
  z.string().min(1),
  z.object({ pin: z.string().min(1) }).strict(),
  z.object({ ca: z.string().min(1) }).strict(),
]);
export type TrustEntry = z.infer<typeof TrustEntrySchema>;

const EndpointsSchema = z.partialRecord(z.enum(ENDPOINT_NAMES), z.url({ protocol: /^(https|sftp|http)$/ }));

const TrustSchema = z
  .object({
    /** CA bundle (PEM) for the platform's TLS server certificates. */
    ca: z.string().min(1).optional(),
    /** Who signs platform replies: pinned certificates and/or CAs (TrustEntry). */
    platformSigning: z.array(TrustEntrySchema).optional(),
    /** Who signs the STS's SAML assertions: pinned certificates and/or CAs (TrustEntry). */
    sts: z.array(TrustEntrySchema).optional(),
    /**
     * INSECURE opt-out: accept STS assertions without verifying their signature, when no
     * `sts` trust can be configured. Every output then says the assertion was NOT verified.
     */
    stsUnverified: z.boolean().optional(),
  })
  .strict();

export const EnvironmentConfigSchema = z
  .object({
    /** A custom environment defines every endpoint it uses explicitly. */
    custom: z.boolean().optional(),
    channel: z.enum(['extranet', 'internet']).optional(),
    endpoints: EndpointsSchema.optional(),
    credentials: z
      .object({
        /** Client certificate for mutual TLS. */
        tls: CredentialRefSchema.optional(),
        /** Application certificate for WS-Security message signatures. */
        signing: CredentialRefSchema.optional(),
        /** Certificate whose key signs OAuth JWT client assertions. */
        oauth: CredentialRefSchema.optional(),
        /** Holder-of-key certificate presented to the STS. */
        hok: CredentialRefSchema.optional(),
      })
      .strict()
      .optional(),
    trust: TrustSchema.optional(),
    oauth: z
      .object({
        clientId: z.string().min(1).optional(),
        scope: z.string().min(1).optional(),
        audience: z.enum(['token-endpoint', 'issuer']).optional(),
        alg: z.enum(['RS256', 'PS256', 'ES256']).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type EnvironmentConfig = z.infer<typeof EnvironmentConfigSchema>;

export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    defaultEnv: z.string().min(1).optional(),
    institution: z
      .object({
        cbe: z.string().optional(),
        name: z.string().optional(),
        application: z.string().optional(),
      })
      .strict()
      .optional(),
    /** Defaults shared by every environment, overridden field by field per environment. */
    defaults: EnvironmentConfigSchema.omit({ custom: true, endpoints: true, trust: true })
      .extend({
        // The insecure opt-out is said per environment, never once for all of them (prod included).
        trust: TrustSchema.omit({ stsUnverified: true }).strict().optional(),
      })
      .optional(),
    environments: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), EnvironmentConfigSchema).optional(),
    /** Where the sandbox and the token caches keep state. */
    stateDir: z.string().optional(),
  })
  .strict();
export type Config = z.infer<typeof ConfigSchema>;
