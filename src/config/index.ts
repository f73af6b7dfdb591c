export type { ResolvedEnvironment } from './environment.ts';
export {
  credentialRef,
  credentialSetting,
  endpointUrl,
  environmentNames,
  resolveEnvironment,
} from './environment.ts';
export type { LoadConfigOptions, LoadedConfig } from './load.ts';
export { DEFAULT_CONFIG_FILES, loadConfig } from './load.ts';
export { parseConfigText } from './parse-config.ts';
export { resolvePath } from './paths.ts';
export type { Channel, Endpoint, EndpointName, EndpointTable } from './registry.ts';
export { BUILTIN_ENVIRONMENTS, builtinEndpoints, ENDPOINT_NAMES, KSZ_ENTRY_IPS } from './registry.ts';
export type { Config, CredentialRef, EnvironmentConfig, SecretRef, TrustEntry } from './schema.ts';
export {
  ConfigSchema,
  CredentialRefSchema,
  EnvironmentConfigSchema,
  SecretRefSchema,
  TrustEntrySchema,
} from './schema.ts';
export { type ReadSecretOptions, readSecret } from './secret.ts';
