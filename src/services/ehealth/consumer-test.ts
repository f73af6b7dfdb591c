import type { X509Certificate } from 'node:crypto';
import { type _RequestSecurity, _soaCall } from '../_soa-call.ts';
import { _joinUrl } from '../_url.ts';
import { SERVICE_ELEMENTS, SERVICE_NS, SERVICE_PATHS, SOAP_ACTIONS } from '../namespaces.ts';
import type { ServiceContext } from '../service-context.ts';
import { _declare, _optionalText, _payload, _requiredText, _textElement } from '../xml.ts';

export interface ConsumerTestOptions {
  /** Overrides the [inferred] service path below `ehealth.soa`. */
  readonly path?: string;
  readonly signal?: AbortSignal;
}

/** What every PlatformIntegrationConsumerTest operation answers. */
export interface ConsumerTestResult {
  readonly message: string;
  readonly timestamp: string;
  /** Who the platform authenticated (absent for the TLS-only checkConnection). */
  readonly authenticatedConsumer: string | undefined;
  /** The verified signer of the reply (a platform signing certificate), when signed. */
  readonly replySigner: X509Certificate | undefined;
}

export type _ConsumerTestOperation = 'checkConnection' | 'checkAccessControl' | 'checkBrokeredAccessControl';

const REQUEST = {
  checkConnection: [SERVICE_ELEMENTS.checkConnectionRequest, SERVICE_ELEMENTS.checkConnectionResponse],
  checkAccessControl: [
    SERVICE_ELEMENTS.checkAccessControlRequest,
    SERVICE_ELEMENTS.checkAccessControlResponse,
  ],
  checkBrokeredAccessControl: [
    SERVICE_ELEMENTS.checkBrokeredAccessControlRequest,
    SERVICE_ELEMENTS.checkBrokeredAccessControlResponse,
  ],
} as const;

const MAX_MESSAGE = 4096;

/**
 * One PlatformIntegrationConsumerTest call (PROTOCOLS.md §5): `Message` and `Timestamp` (now,
 * from the context clock) in, their echo and `AuthenticatedConsumer` out. Shared by the three
 * operations, which differ only in the request element and how the envelope is secured.
 */
export async function _consumerTestCall(
  ctx: ServiceContext,
  operation: _ConsumerTestOperation,
  message: string,
  security: _RequestSecurity,
  options: ConsumerTestOptions = {},
): Promise<ConsumerTestResult> {
  if (typeof message !== 'string' || message.length === 0 || message.length > MAX_MESSAGE) {
    throw new TypeError(
      `${operation}: message must be a non-empty string of at most ${MAX_MESSAGE} characters`,
    );
  }
  const ns = SERVICE_NS.consumerTest;
  const types = SERVICE_NS.consumerTestTypes;
  const [requestName, responseName] = REQUEST[operation];
  const { body, replySigner } = await _soaCall(ctx, {
    url: _joinUrl(ctx.endpoint('ehealth.soa'), options.path ?? SERVICE_PATHS.consumerTest),
    action: SOAP_ACTIONS[operation],
    security,
    body: (doc) => {
      const request = _declare(doc.createElementNS(ns, `urn:${requestName}`), 'urn', ns);
      _declare(request, 'urn1', types);
      request.appendChild(_textElement(doc, types, 'urn1:Message', message));
      request.appendChild(
        _textElement(doc, types, 'urn1:Timestamp', new Date(ctx.clock.now()).toISOString()),
      );
      return request;
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const response = _payload(body, ns, responseName);
  return {
    message: _requiredText(response, types, 'Message'),
    timestamp: _requiredText(response, types, 'Timestamp'),
    authenticatedConsumer: _optionalText(response, types, 'AuthenticatedConsumer'),
    replySigner,
  };
}
