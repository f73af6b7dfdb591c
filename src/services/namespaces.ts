/**
 * Names of the two platform test services (PROTOCOLS.md §5). Shared by the typed clients and
 * the sandbox that serves them, so both sides speak exactly the same vocabulary.
 */
export const SERVICE_NS = Object.freeze({
  /** TestConnectionService WSDL namespace [seed + confirmed]. */
  testConnection: 'http://kszbcss.fgov.be/intf/TestConnectionServiceService/v1',
  /** PlatformIntegrationConsumerTest operations [seed]. */
  consumerTest: 'urn:be:fgov:ehealth:platformintegrationconsumertest:v1',
  /** PlatformIntegrationConsumerTest types: Message, Timestamp, AuthenticatedConsumer [seed]. */
  consumerTestTypes: 'urn:be:fgov:ehealth:platformintegrationconsumertest:types:v1',
} as const);

/**
 * Paths below the endpoint base URLs. The TestConnectionService URI is [seed] (`cbss.soap`,
 * port 4520); the PlatformIntegrationConsumerTest path below `ehealth.soa` is [inferred]:
 * override it with the `path` option of the operation if the platform publishes another.
 */
export const SERVICE_PATHS = Object.freeze({
  testConnection: '/TestConnectionServiceService/sendTestMessage',
  consumerTest: '/PlatformIntegrationConsumerTest/v1',
} as const);

/** SOAPAction values [inferred]: the sandbox dispatches on the Body, never on SOAPAction. */
export const SOAP_ACTIONS = Object.freeze({
  sendTestMessage: `${SERVICE_NS.testConnection}/sendTestMessage`,
  checkConnection: `${SERVICE_NS.consumerTest}:CheckConnection`,
  checkAccessControl: `${SERVICE_NS.consumerTest}:CheckAccessControl`,
  checkBrokeredAccessControl: `${SERVICE_NS.consumerTest}:CheckBrokeredAccessControl`,
} as const);

/** Local names of the request and response elements. Response names are [inferred] from the WSDL types. */
export const SERVICE_ELEMENTS = Object.freeze({
  sendTestMessageRequest: 'sendTestMessageRequest',
  sendTestMessageResponse: 'sendTestMessageResponse',
  checkConnectionRequest: 'CheckConnectionRequest',
  checkConnectionResponse: 'CheckConnectionResponse',
  checkAccessControlRequest: 'CheckAccessControlRequest',
  checkAccessControlResponse: 'CheckAccessControlResponse',
  checkBrokeredAccessControlRequest: 'CheckBrokeredAccessControlRequest',
  checkBrokeredAccessControlResponse: 'CheckBrokeredAccessControlResponse',
} as const);
