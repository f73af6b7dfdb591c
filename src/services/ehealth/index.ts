export { checkAccessControl } from './check-access-control.ts';
export {
  type CheckBrokeredAccessControlOptions,
  checkBrokeredAccessControl,
  type HokSigner,
} from './check-brokered-access-control.ts';
export { checkConnection } from './check-connection.ts';
export type { ConsumerTestOptions, ConsumerTestResult } from './consumer-test.ts';
