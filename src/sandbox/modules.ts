import { consoleModule } from './console/module.ts';
import type { SandboxContracts } from './contracts/index.ts';
import { type EboxModuleOptions, eboxModule } from './ebox/module.ts';
import type { SandboxModule } from './module.ts';
import { type MssModuleOptions, mssModule } from './mss/module.ts';
import { oauthModule } from './oauth/module.ts';
import { restModule } from './rest/module.ts';
import { type SftpModuleOptions, sftpModule } from './sftp/module.ts';
import { soaModule } from './soa/module.ts';
import { soaMtomModule } from './soa-mtom/module.ts';
import { stsModule } from './sts/module.ts';

/**
 * Every module `passerelle sandbox` and the demo start, in start order. A protocol module
 * adds itself here (one line). The console reads the host's view lazily, so it lists every
 * module whatever its place in this list.
 */
export interface DefaultModulesOptions {
  /** Options of the eBox module (its registries, from the configuration's `sandbox.ebox`). */
  readonly ebox?: EboxModuleOptions;
  /** Options of the SFTP module (reply delay, quota, accounts; the configuration's `sandbox.sftp`). */
  readonly sftp?: SftpModuleOptions;
  /** Options of the MSSanté module (test professionals, token lifetimes, limits; `sandbox.mss`). */
  readonly mss?: MssModuleOptions;
  /**
   * Contracts served besides the sandbox's own services (loadSandboxContracts; the
   * configuration's `sandbox.contracts`): WSDLs on the SOA gateway, OpenAPI files with the REST
   * APIs, their scopes grantable by the authorization server.
   */
  readonly contracts?: SandboxContracts;
}

export function defaultModules(options: DefaultModulesOptions = {}): SandboxModule[] {
  const { contracts } = options;
  return [
    consoleModule(),
    soaModule(contracts === undefined ? {} : { contracts }),
    soaMtomModule(),
    stsModule(),
    oauthModule(contracts === undefined ? {} : { extraScopes: contracts.scopes }),
    restModule(contracts === undefined ? {} : { contracts }),
    eboxModule(options.ebox),
    sftpModule(options.sftp),
    mssModule(options.mss),
  ];
}
