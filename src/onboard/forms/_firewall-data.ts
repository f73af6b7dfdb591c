/**
 * The data of the firewall-flow form (PROTOCOLS.md §10, seed 000) and its check: every field
 * as it will be printed, or ERR_ONBOARD_FORM_INVALID naming the first bad one.
 */
import {
  type CheckedContact,
  cbe,
  contact,
  type FlowPort,
  type FormContact,
  invalid,
  ipAddresses,
  ipOrHost,
  isoDate,
  list,
  oneOf,
  optionalIpAddress,
  optionalText,
  port,
  text,
} from './_fields.ts';
import type { FirewallEnvironment } from './_firewall-labels.ts';

export type { FirewallEnvironment };

/** The institution granting access, printed on every firewall form (never Smals). */
export const GRANTING_INSTITUTION = 'KSZ-BCSS / BCSS';
/** Where the signed form goes (seed 000). */
export const FIREWALL_FORM_SEND_TO = 'security@ksz-bcss.fgov.be';
/** Flow rows per form page, as on the seed's form; more rows continue on further pages. */
export const FLOWS_PER_PAGE = 10;

export interface FirewallFlowRow {
  readonly source: {
    readonly name: string;
    /** The address(es) of the partner's server(s) on its own network. */
    readonly internalIp: string | readonly string[];
    /** The official (translated) address the platform sees, when NAT is used. */
    readonly natIp?: string;
    readonly port: FlowPort;
  };
  readonly destination: {
    readonly name: string;
    /** The entry point's IP; its host name when no IP is published (to be completed by hand). */
    readonly ip: string;
    readonly port: FlowPort;
  };
  /** "HTTPS TLS 1.2", "SFTP", ... */
  readonly protocol: string;
  readonly description: string;
  readonly environment: FirewallEnvironment;
}

export interface FirewallFormData {
  readonly action: 'open' | 'close';
  readonly requester: { readonly name: string; readonly cbe: string };
  /** Description of the application or project and motivation of the flows. */
  readonly description: string;
  /** Desired date, YYYY-MM-DD. */
  readonly desiredDate: string;
  readonly contacts: { readonly clientManager: FormContact; readonly technicalLead: FormContact };
  readonly operationsReference: string;
  readonly imputationCode?: string;
  /** One or more flows; ten per form page. */
  readonly rows: readonly FirewallFlowRow[];
  /** Printed after the platform's note (add the source IP to the <ENV>-CUSTOMER group rule). */
  readonly note?: string;
}

export interface CheckedRow {
  readonly cells: readonly string[];
  readonly environment: FirewallEnvironment;
}

function checkRow(row: FirewallFlowRow, i: number): CheckedRow {
  const f = `rows[${i}]`;
  if (typeof row !== 'object' || row === null) return invalid(f, 'a flow row is required');
  const src = row.source ?? ({} as FirewallFlowRow['source']);
  const dst = row.destination ?? ({} as FirewallFlowRow['destination']);
  return {
    environment: oneOf(row.environment, ['test', 'acpt', 'prod', 'all'] as const, `${f}.environment`),
    cells: [
      text(src.name, `${f}.source.name`, { max: 60 }),
      ipAddresses(src.internalIp, `${f}.source.internalIp`),
      optionalIpAddress(src.natIp, `${f}.source.natIp`),
      port(src.port, `${f}.source.port`),
      text(dst.name, `${f}.destination.name`, { max: 60 }),
      ipOrHost(dst.ip, `${f}.destination.ip`),
      port(dst.port, `${f}.destination.port`),
      text(row.protocol, `${f}.protocol`, { max: 30 }),
      text(row.description, `${f}.description`, { max: 120 }),
    ],
  };
}

export interface CheckedFirewall {
  readonly action: 'open' | 'close';
  readonly requester: string;
  readonly cbe: string;
  readonly description: string;
  readonly desiredDate: string;
  readonly clientManager: CheckedContact;
  readonly technicalLead: CheckedContact;
  readonly operationsReference: string;
  readonly imputationCode: string;
  readonly rows: readonly CheckedRow[];
  readonly note: string;
}

export function checkFirewall(data: FirewallFormData): CheckedFirewall {
  if (typeof data !== 'object' || data === null) throw new TypeError('firewall form data must be an object');
  return {
    action: oneOf(data.action, ['open', 'close'] as const, 'action'),
    requester: text(data.requester?.name, 'requester.name', { max: 120 }),
    cbe: cbe(data.requester?.cbe, 'requester.cbe'),
    description: text(data.description, 'description', { max: 1500, multiline: true }),
    desiredDate: isoDate(data.desiredDate, 'desiredDate'),
    clientManager: contact(data.contacts?.clientManager, 'contacts.clientManager'),
    technicalLead: contact(data.contacts?.technicalLead, 'contacts.technicalLead'),
    operationsReference: text(data.operationsReference, 'operationsReference', { max: 60 }),
    imputationCode: optionalText(data.imputationCode, 'imputationCode', { max: 40 }),
    rows: list(data.rows, 'rows').map(checkRow),
    note: optionalText(data.note, 'note', { max: 600, multiline: true }),
  };
}
