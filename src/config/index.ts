export { loadConfig, parseConfigText, resolvePath, DEFAULT_CONFIG_FILES } from './load.ts';
export type { LoadedConfig, LoadConfigOptions } from './load.ts';
export { resolveEnvironment, environmentNames, endpointUrl, credentialRef } from './environment.ts';
export type { ResolvedEnvironment } from './environment.ts';
export { readSecret } from './secret.ts';
export { ConfigSchema, CredentialRefSchema, SecretRefSchema, EnvironmentConfigSchema } from './schema.ts';
export type { Config, CredentialRef, SecretRef, EnvironmentConfig } from './schema.ts';
export { ENDPOINT_NAMES, BUILTIN_ENVIRONMENTS, KSZ_ENTRY_IPS, builtinEndpoints } from './registry.ts';
export type { EndpointName, Endpoint, EndpointTable, Channel } from './registry.ts';
