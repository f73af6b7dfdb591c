export { type LoadSandboxContractsOptions, loadSandboxContracts } from './load-sandbox-contracts.ts';
export type {
  SandboxContractDescription,
  SandboxContractEntry,
  SandboxContracts,
  SandboxRestContract,
  SandboxRestMatch,
  SandboxRestReply,
  SandboxSoapContract,
  SandboxSoapOperation,
  SandboxSoapOutcome,
  SandboxSoapReply,
  SandboxXsdVerdict,
} from './types.ts';
