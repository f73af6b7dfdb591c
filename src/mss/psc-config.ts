import type { Clock } from '../clock.ts';
import type { MssConfig } from '../config/mss-schema.ts';
import { resolvePath } from '../config/paths.ts';
import { readSecret } from '../config/secret.ts';
import { PasserelleError } from '../errors.ts';
import { readTrustFile } from '../pki/load-trust.ts';
import { type DiscoverPscOptions, discoverPsc, type PscClient } from './psc-client.ts';

export interface PscFromConfigOptions {
  /** The environment name, for the setting names in hints (`environments.<env>.mss.psc…`). */
  readonly env?: string | undefined;
  /** Where a relative secret file is resolved from (the configuration file's folder). */
  readonly baseDir?: string | undefined;
  /** Where `{ env }` secrets are read; default process.env. */
  readonly processEnv?: NodeJS.ProcessEnv | undefined;
  readonly clock?: Clock | undefined;
}

/**
 * The discoverPsc options of `environments.<env>.mss` (the client secret read from its
 * SecretRef). Throws ERR_MSS_LOGIN_REQUIRED when the environment has no `psc` section (a token
 * must then be handed in), ERR_CONFIG_SECRET_MISSING when the secret cannot be read. `psc.ca` is
 * a PEM file (relative to `baseDir`) or the PEM text itself.
 */
export async function pscOptionsFromConfig(
  mss: MssConfig,
  options: PscFromConfigOptions = {},
): Promise<DiscoverPscOptions> {
  const prefix = `environments.${options.env ?? '<env>'}.mss.psc`;
  const psc = mss.psc;
  if (psc === undefined) {
    throw new PasserelleError('ERR_MSS_LOGIN_REQUIRED', 'No Pro Santé Connect client is configured', {
      hint: `Configure ${prefix} (issuer, clientId) to log in, or hand a token in with --token-file.`,
      details: { setting: prefix },
    });
  }
  const clientSecret =
    psc.clientSecret === undefined
      ? undefined
      : await readSecret(psc.clientSecret, {
          ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
          ...(options.processEnv === undefined ? {} : { env: options.processEnv }),
          setting: `${prefix}.clientSecret`,
        });
  return {
    issuer: psc.issuer,
    clientId: psc.clientId,
    clientSecret,
    discoveryPath: psc.discoveryPath,
    scope: psc.scope,
    acrValues: psc.acrValues,
    ca: psc.ca === undefined ? undefined : await _caPem(psc.ca, options.baseDir, `${prefix}.ca`),
    timeoutMs: (mss.timeoutSeconds ?? 30) * 1000,
    clock: options.clock,
  };
}

/** discoverPsc with the options of `environments.<env>.mss` (pscOptionsFromConfig). */
export async function discoverPscFromConfig(
  mss: MssConfig,
  options: PscFromConfigOptions = {},
): Promise<PscClient> {
  return discoverPsc(await pscOptionsFromConfig(mss, options));
}

/** `ca` as PEM text: given inline, or read from the file it names (ERR_FILE_* / ERR_PKI_*). */
async function _caPem(ca: string, baseDir: string | undefined, setting: string): Promise<string> {
  if (ca.includes('-----BEGIN')) return ca;
  const certs = await readTrustFile(resolvePath(baseDir ?? process.cwd(), ca), setting);
  return certs.map((c) => c.toString()).join('\n');
}
