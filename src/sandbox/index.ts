export { consoleModule } from './console/module.ts';
export {
  loadSandboxContracts,
  type SandboxContractDescription,
  type SandboxContractEntry,
  type SandboxContracts,
} from './contracts/index.ts';
export { isSandboxFault, SANDBOX_FAULTS, type SandboxFault } from './faults.ts';
export type { RunningSandbox, SandboxJson, StartSandboxOptions } from './host.ts';
export { startSandbox } from './host.ts';
export type {
  SandboxModule,
  SandboxModuleContext,
  SandboxPartner,
  SandboxPki,
  SandboxView,
  SandboxViewLogEntry,
  StartedSandboxModule,
} from './module.ts';
export { type DefaultModulesOptions, defaultModules } from './modules.ts';
export { type MssModuleOptions, mssModule, SANDBOX_MSS_NIL } from './mss/module.ts';
