export {
  type InformationCbssResult,
  type TestConnectionOptions,
  type TestConnectionResult,
  testConnection,
} from './test-connection.ts';
