/**
 * Names of the EBoxMessage v1 SOAP contract (contracts/ebox, EboxMessageVarA_v1.wsdl, PROTOCOLS.md
 * §7) [confirmed]: the service namespace of the Body elements, the types namespace of their
 * children, the monitoring namespace of healthCheck, the errors namespace of fault details, and
 * the SOAPAction of each operation (empty but for healthCheck).
 */
export const EBOX_SOAP = Object.freeze({
  ns: 'http://socialsecurity.be/eboxmessage/v1',
  typesNs: 'http://socialsecurity.be/eboxmessage/types/v1',
  monitoringNs: 'http://services.fgov.be/monitoring/v1',
  errorsNs: 'http://socialsecurity.be/errors/v1',
  actions: Object.freeze({
    publishEboxMessage: '',
    hasAnEbox: '',
    getMessageStatus: '',
    healthCheck: 'http://socialsecurity.be/eboxmessage/v1/healthCheck',
  }),
} as const);

/** What a SOAP eBox query operation (hasAnEbox, getMessageStatus, healthCheck) takes besides its input. */
export interface EboxSoapCallOptions {
  /** Default: the environment's `ebox.soap` endpoint. */
  readonly url?: string;
  readonly signal?: AbortSignal;
}
