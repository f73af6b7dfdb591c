import { PasserelleError } from '../../errors.ts';
import { attributeValue, childElements } from '../../xml/dom.ts';
import type { Element } from '../../xml/node.ts';
import type { ServiceContext } from '../service-context.ts';
import { _declare, _optionalText, _payload, _requiredText } from '../xml.ts';
import { _eboxCall } from './_soap-call.ts';
import { _xsBoolean } from './_soap-xml.ts';
import { EBOX_SOAP, type EboxSoapCallOptions } from './soap-names.ts';

/** How deep the service checks itself: itself only, its local dependencies, or external ones too. */
export type EboxHealthCheckLevel = 'PING' | 'DEFAULT' | 'DEEP';
/** The monitoring StatusLevel. */
export type EboxHealthStatusLevel = 'OK' | 'WARNING' | 'CRITICAL' | 'FATAL';

/** The status of the component or of one sanity check. */
export interface EboxHealthStatus {
  readonly level: EboxHealthStatusLevel;
  readonly code?: string;
  readonly message?: string;
}

/** Where the answering component is deployed. */
export interface EboxHealthLocation {
  /** PRD, SIM, ACC, INT, TST, DEV, SIC, LOCAL or OTHER. */
  readonly environment: string;
  readonly host: string;
  readonly port?: number;
  readonly name?: string;
  readonly url?: string;
}

/** One dependency checked (DEFAULT and DEEP levels). */
export interface EboxSanityCheck {
  readonly id: string;
  readonly description?: string;
  readonly type?: EboxHealthCheckLevel;
  readonly failSafe: boolean;
  readonly status: EboxHealthStatus;
  readonly resource: { readonly name: string; readonly type: string; readonly reference?: string };
  readonly timeInMillis: number;
}

/** The monitoring HealthCheckResponse (monitoring-v1.xsd), typed. */
export interface EboxHealthCheckResult {
  /** The `timestamp` attribute, as sent. */
  readonly timestamp?: string;
  readonly status: EboxHealthStatus;
  readonly component: { readonly name: string; readonly version: string };
  readonly location: EboxHealthLocation;
  readonly sanityChecks: readonly EboxSanityCheck[];
}

const LEVELS = new Set(['OK', 'WARNING', 'CRITICAL', 'FATAL']);
const M = EBOX_SOAP.monitoringNs;

function _one(parent: Element, local: string): Element {
  const found = childElements(parent, M, local);
  if (found.length !== 1)
    throw new PasserelleError('ERR_SOAP_UNEXPECTED_RESPONSE', `The health check reply lacks one ${local}`);
  return found[0]!;
}

function _status(el: Element): EboxHealthStatus {
  const level = _requiredText(el, M, 'Level').trim();
  if (!LEVELS.has(level))
    throw new PasserelleError(
      'ERR_SOAP_UNEXPECTED_RESPONSE',
      `Unknown health status level ${level.slice(0, 20)}`,
    );
  const code = _optionalText(el, M, 'Code');
  const message = _optionalText(el, M, 'Message');
  return {
    level: level as EboxHealthStatusLevel,
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
  };
}

function _int(text: string, what: string): number {
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n))
    throw new PasserelleError('ERR_SOAP_UNEXPECTED_RESPONSE', `The health check ${what} is not an integer`);
  return n;
}

function _location(el: Element): EboxHealthLocation {
  const port = _optionalText(el, M, 'Port');
  const name = _optionalText(el, M, 'Name');
  const url = _optionalText(el, M, 'URL');
  return {
    environment: _requiredText(el, M, 'Environment').trim(),
    host: _requiredText(el, M, 'Host'),
    ...(port === undefined ? {} : { port: _int(port, 'Port') }),
    ...(name === undefined ? {} : { name }),
    ...(url === undefined ? {} : { url }),
  };
}

function _sanity(el: Element): EboxSanityCheck {
  const resource = _one(el, 'Resource');
  const description = attributeValue(el, null, 'description');
  const type = attributeValue(el, null, 'type');
  const failSafe = attributeValue(el, null, 'failSafe');
  const reference = attributeValue(resource, null, 'reference');
  return {
    id: attributeValue(el, null, 'id') ?? '',
    ...(description === undefined ? {} : { description }),
    ...(type === 'PING' || type === 'DEFAULT' || type === 'DEEP' ? { type } : {}),
    failSafe: failSafe === undefined ? false : _xsBoolean(failSafe, 'failSafe'),
    status: _status(_one(el, 'Status')),
    resource: {
      name: attributeValue(resource, null, 'name') ?? '',
      type: attributeValue(resource, null, 'type') ?? '',
      ...(reference === undefined ? {} : { reference }),
    },
    timeInMillis: _int(_requiredText(el, M, 'TimeInMillis'), 'TimeInMillis'),
  };
}

/**
 * The eBox service's health check (`healthCheck`, monitoring v1, SOAPAction
 * `http://socialsecurity.be/eboxmessage/v1/healthCheck`) at PING (the service is up), DEFAULT
 * (its local dependencies) or DEEP (external ones too); signed, its signed reply verified, the
 * HealthCheckResponse returned typed. A status other than OK is returned, not thrown.
 */
export async function eboxHealthCheck(
  ctx: ServiceContext,
  level: EboxHealthCheckLevel = 'PING',
  options: EboxSoapCallOptions = {},
): Promise<EboxHealthCheckResult> {
  if (level !== 'PING' && level !== 'DEFAULT' && level !== 'DEEP')
    throw new TypeError('eboxHealthCheck: level is PING, DEFAULT or DEEP');
  const url = options.url ?? ctx.endpoint('ebox.soap');
  const { body } = await _eboxCall(ctx, {
    url,
    action: EBOX_SOAP.actions.healthCheck,
    body: (doc) => {
      const request = _declare(doc.createElementNS(M, 'mon:HealthCheckRequest'), 'mon', M);
      request.setAttribute('type', level);
      return request;
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const response = _payload(body, M, 'HealthCheckResponse');
  const component = _one(response, 'Component');
  const timestamp = attributeValue(response, null, 'timestamp');
  return {
    ...(timestamp === undefined ? {} : { timestamp }),
    status: _status(_one(response, 'Status')),
    component: {
      name: _requiredText(component, M, 'Name'),
      version: _requiredText(component, M, 'Version'),
    },
    location: _location(_one(response, 'Location')),
    sanityChecks: childElements(response, M, 'SanityCheck').map(_sanity),
  };
}
