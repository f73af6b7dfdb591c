import { PasserelleError } from '../errors.ts';
import type { LoadedConfig } from './load.ts';
import { resolvePath } from './paths.ts';
import {
  BUILTIN_ENVIRONMENTS,
  builtinEndpoints,
  type Channel,
  ENDPOINT_NAMES,
  type Endpoint,
  type EndpointName,
  type EndpointTable,
  isBuiltinEnvironment,
} from './registry.ts';
import type { CredentialRef, EnvironmentConfig } from './schema.ts';

export interface ResolvedEnvironment {
  readonly name: string;
  readonly channel: Channel;
  readonly custom: boolean;
  readonly endpoints: EndpointTable;
  readonly credentials: NonNullable<EnvironmentConfig['credentials']>;
  readonly trust: NonNullable<EnvironmentConfig['trust']>;
  readonly oauth: NonNullable<EnvironmentConfig['oauth']>;
  /** The SFTP account, the defaults' values key by key under the environment's (`signature` too). */
  readonly sftp?: NonNullable<EnvironmentConfig['sftp']>;
  /** The MSSanté mailbox, as configured for the environment (no defaults: it names one mailbox). */
  readonly mss?: NonNullable<EnvironmentConfig['mss']>;
  /** Settings per REST service: the defaults' services, each replaced whole by the environment's. */
  readonly rest?: { readonly apis: NonNullable<NonNullable<EnvironmentConfig['rest']>['apis']> };
  readonly institution: {
    cbe?: string | undefined;
    name?: string | undefined;
    application?: string | undefined;
  };
  /** Relative paths in credentials and trust resolve against this directory. */
  readonly baseDir: string;
}

/** Lists every environment the configuration knows: the built-in ones plus custom ones. */
export function environmentNames(loaded: LoadedConfig): string[] {
  const names = new Set<string>(BUILTIN_ENVIRONMENTS);
  for (const name of Object.keys(loaded.config.environments ?? {})) names.add(name);
  return [...names];
}

/**
 * Resolves a named environment: built-in endpoints (PROTOCOLS.md §1) for the channel, then the
 * file's overrides, then `PASSERELLE_ENDPOINT_<NAME>` variables (e.g. PASSERELLE_ENDPOINT_CBSS_SOAP).
 */
export function resolveEnvironment(
  loaded: LoadedConfig,
  name?: string,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedEnvironment {
  const envName = name ?? env['PASSERELLE_ENV'] ?? loaded.config.defaultEnv ?? 'test';
  const fromFile = loaded.config.environments?.[envName];
  const builtin = isBuiltinEnvironment(envName);
  if (!builtin && fromFile === undefined) {
    const from =
      name !== undefined
        ? '--env'
        : env['PASSERELLE_ENV'] !== undefined
          ? 'PASSERELLE_ENV'
          : 'defaultEnv in the configuration';
    throw new PasserelleError('ERR_CONFIG_UNKNOWN_ENV', `Unknown environment "${envName}" (from ${from})`, {
      hint: `Choose one of ${environmentNames(loaded).join(', ')} with --env or PASSERELLE_ENV, or define "${envName}" under "environments" in the configuration.`,
      details: { env: envName, from },
    });
  }
  const defaults = loaded.config.defaults ?? {};
  const custom = fromFile?.custom ?? !builtin;
  const channel: Channel = fromFile?.channel ?? defaults.channel ?? 'extranet';
  const endpoints: Record<string, Endpoint> =
    custom || !builtin ? {} : { ...builtinEndpoints(envName, channel) };
  for (const [key, url] of Object.entries(fromFile?.endpoints ?? {})) {
    if (url) endpoints[key] = { url, source: 'config' };
  }
  for (const key of ENDPOINT_NAMES) {
    const value = env[`PASSERELLE_ENDPOINT_${key.replace(/\./g, '_').toUpperCase()}`];
    if (value) endpoints[key] = { url: value, source: 'config', note: 'from environment variable' };
  }
  return {
    name: envName,
    channel,
    custom,
    endpoints: endpoints as EndpointTable,
    credentials: { ...defaults.credentials, ...fromFile?.credentials },
    // An environment that opts out of STS verification does not inherit the defaults' trust.sts.
    trust: fromFile?.trust?.stsUnverified
      ? { ...defaults.trust, sts: undefined, ...fromFile.trust }
      : { ...defaults.trust, ...fromFile?.trust },
    oauth: { ...defaults.oauth, ...fromFile?.oauth },
    sftp: {
      ...defaults.sftp,
      ...fromFile?.sftp,
      signature: { ...defaults.sftp?.signature, ...fromFile?.sftp?.signature },
    },
    ...(fromFile?.mss ? { mss: fromFile.mss } : {}),
    rest: { apis: { ...defaults.rest?.apis, ...fromFile?.rest?.apis } },
    institution: { ...loaded.config.institution },
    baseDir: loaded.baseDir,
  };
}

/** The URL of one endpoint, or a clear error saying how to configure it. */
export function endpointUrl(env: ResolvedEnvironment, name: EndpointName): string {
  const endpoint = env.endpoints[name];
  if (!endpoint) {
    throw new PasserelleError(
      'ERR_CONFIG_ENDPOINT_MISSING',
      `Environment "${env.name}" has no "${name}" endpoint`,
      {
        hint: `Set environments.${env.name}.endpoints["${name}"] in the configuration.`,
        details: { env: env.name, endpoint: name },
      },
    );
  }
  return endpoint.url;
}

/**
 * The configuration key of a credential of the environment (`environments.acpt.credentials.tls`),
 * for hints: loadCredential appends `.p12`, `.cert`, `.key` or `.password`.
 */
export function credentialSetting(
  env: ResolvedEnvironment,
  role: keyof ResolvedEnvironment['credentials'],
): string {
  return `environments.${env.name}.credentials.${role}`;
}

/** A credential reference of the environment with its paths made absolute. */
export function credentialRef(
  env: ResolvedEnvironment,
  role: keyof ResolvedEnvironment['credentials'],
): CredentialRef {
  const ref = env.credentials[role];
  if (!ref) {
    throw new PasserelleError('ERR_CONFIG_INVALID', `Environment "${env.name}" has no "${role}" credential`, {
      hint: `Set environments.${env.name}.credentials.${role} (a .p12 file or a cert/key pair) in the configuration.`,
      details: { env: env.name, credential: role },
    });
  }
  const abs = (p: string) => resolvePath(env.baseDir, p);
  const password = ref.password && 'file' in ref.password ? { file: abs(ref.password.file) } : ref.password;
  const withPassword = password ? { password } : {};
  return 'p12' in ref
    ? { p12: abs(ref.p12), ...withPassword }
    : { cert: abs(ref.cert), key: abs(ref.key), ...withPassword };
}
