import type { X509Certificate } from 'node:crypto';
import { childElements } from '../../xml/dom.ts';
import { _soaCall } from '../_soa-call.ts';
import { _joinUrl } from '../_url.ts';
import { SERVICE_ELEMENTS, SERVICE_NS, SERVICE_PATHS, SOAP_ACTIONS } from '../namespaces.ts';
import type { ServiceContext } from '../service-context.ts';
import { _declare, _optionalText, _payload, _requiredText, _textElement } from '../xml.ts';

export interface TestConnectionOptions {
  /** Overrides the seed's URI below `cbss.soap`. */
  readonly path?: string;
  readonly signal?: AbortSignal;
}

/** KSZ-BCSS processing facts of one call. */
export interface InformationCbssResult {
  readonly ticketCBSS: string | undefined;
  readonly timestampReceive: string | undefined;
  readonly timestampReply: string | undefined;
}

export interface TestConnectionResult {
  readonly echo: string;
  /** The client TLS certificate DN as the platform saw it. */
  readonly sslCertificate: string | undefined;
  readonly informationCBSS: InformationCbssResult | undefined;
  /** The verified signer of the reply (a platform signing certificate), when signed. */
  readonly replySigner: X509Certificate | undefined;
}

const MAX_ECHO = 4096;

/**
 * KSZ-BCSS TestConnectionService `sendTestMessage` (PROTOCOLS.md §5) on `cbss.soap`, signed
 * with the X.509 token profile: sends `echo`, returns the echo, the TLS client DN the platform
 * saw and the KSZ ticket and timestamps. A fault throws ERR_SOAP_FAULT (SOA/CBSS codes in
 * `details`); an unverifiable reply throws ERR_WSS_*.
 */
export async function testConnection(
  ctx: ServiceContext,
  echo: string,
  options: TestConnectionOptions = {},
): Promise<TestConnectionResult> {
  if (typeof echo !== 'string' || echo.length === 0 || echo.length > MAX_ECHO) {
    throw new TypeError(`testConnection: echo must be a non-empty string of at most ${MAX_ECHO} characters`);
  }
  const ns = SERVICE_NS.testConnection;
  const { body, replySigner } = await _soaCall(ctx, {
    url: _joinUrl(ctx.endpoint('cbss.soap'), options.path ?? SERVICE_PATHS.testConnection),
    action: SOAP_ACTIONS.sendTestMessage,
    security: 'x509',
    body: (doc) => {
      const request = _declare(
        doc.createElementNS(ns, `v1:${SERVICE_ELEMENTS.sendTestMessageRequest}`),
        'v1',
        ns,
      );
      request.appendChild(_textElement(doc, null, 'echo', echo));
      return request;
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const response = _payload(body, ns, SERVICE_ELEMENTS.sendTestMessageResponse);
  const infos = childElements(response, undefined, 'informationCBSS');
  if (infos.length > 1) _requiredText(response, null, 'informationCBSS');
  const [infoEl] = infos;
  return {
    echo: _requiredText(response, null, 'echo'),
    sslCertificate: _optionalText(response, null, 'sslCertificate'),
    informationCBSS:
      infoEl === undefined
        ? undefined
        : {
            ticketCBSS: _optionalText(infoEl, null, 'ticketCBSS'),
            timestampReceive: _optionalText(infoEl, null, 'timestampReceive'),
            timestampReply: _optionalText(infoEl, null, 'timestampReply'),
          },
    replySigner,
  };
}
