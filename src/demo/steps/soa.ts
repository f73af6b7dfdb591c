import { isPasserelleError } from '../../errors.ts';
import { testConnection } from '../../services/cbss/test-connection.ts';
import { checkAccessControl } from '../../services/ehealth/check-access-control.ts';
import { checkConnection } from '../../services/ehealth/check-connection.ts';
import { SERVICE_NS, SERVICE_PATHS, SOAP_ACTIONS } from '../../services/namespaces.ts';
import { buildEnvelope } from '../../soap/build-envelope.ts';
import { soapCall } from '../../soap/soap-call.ts';
import { demoExpect } from '../_expect.ts';
import { withDemoServices } from '../_services.ts';
import type { DemoContext, DemoStep } from '../step.ts';

function expectPlatformSigner(ctx: DemoContext, fingerprint: string | undefined): string {
  const platform = ctx.sandbox.pki.platformSigning.certificate;
  demoExpect(
    fingerprint === platform.fingerprint256,
    'the reply signer is the sandbox platform signing certificate',
  );
  return `the reply signature verifies and its signer is the platform signing certificate (${platform.fingerprint256.slice(0, 23)}…)`;
}

/** An unsigned CheckAccessControlRequest, built on the DOM: what the gateway must refuse. */
function unsignedAccessControl(message: string, at: string): string {
  const ns = SERVICE_NS.consumerTest;
  const types = SERVICE_NS.consumerTestTypes;
  return buildEnvelope({
    header: () => [],
    namespaces: { urn: ns, urn1: types },
    body: (doc) => {
      const request = doc.createElementNS(ns, 'urn:CheckAccessControlRequest');
      for (const [name, text] of [
        ['Message', message],
        ['Timestamp', at],
      ] as const) {
        const el = doc.createElementNS(types, `urn1:${name}`);
        el.appendChild(doc.createTextNode(text));
        request.appendChild(el);
      }
      return request;
    },
  });
}

/**
 * Flow "signed SOAP calls" (issue 3): the three platform test services against the sandbox SOA
 * gateway over mutual TLS, each signed reply verified against the platform signing
 * certificate, then an unsigned call refused with the platform's SOA-01001 fault whose precise
 * reason is in the sandbox log only.
 */
export function soaSteps(): DemoStep[] {
  return [
    {
      id: 'soa.test-connection',
      title: 'KSZ-BCSS TestConnectionService over mutual TLS, X.509-signed, reply verified',
      async run(ctx) {
        const r = await withDemoServices(ctx, (s) => testConnection(s, 'Passerelle demo'));
        demoExpect(r.echo === 'Passerelle demo', 'the platform echoes the text');
        const cn = ctx.sandbox.pki.partner.tls.certificate.subject
          .split('\n')
          .find((l) => l.startsWith('CN='));
        demoExpect(
          cn !== undefined && (r.sslCertificate ?? '').startsWith(cn),
          'the platform saw the partner TLS certificate',
        );
        demoExpect(r.informationCBSS?.ticketCBSS !== undefined, 'the reply carries a KSZ-BCSS ticket');
        return {
          checks: [
            'the echo comes back',
            `the platform saw the TLS client ${r.sslCertificate}`,
            `ticket ${r.informationCBSS?.ticketCBSS}`,
            expectPlatformSigner(ctx, r.replySigner?.fingerprint256),
          ],
        };
      },
    },
    {
      id: 'soa.check-connection',
      title: 'eHealth PlatformIntegrationConsumerTest checkConnection (TLS only)',
      async run(ctx) {
        const r = await withDemoServices(ctx, (s) => checkConnection(s, 'Hello World'));
        demoExpect(r.message === 'Hello World', 'the platform echoes the message');
        demoExpect(r.authenticatedConsumer === undefined, 'no consumer is authenticated at message level');
        return {
          checks: ['the message and timestamp come back', 'no WS-Security, no authenticated consumer'],
        };
      },
    },
    {
      id: 'soa.check-access-control',
      title: 'eHealth PlatformIntegrationConsumerTest checkAccessControl (X.509 signature), reply verified',
      async run(ctx) {
        const r = await withDemoServices(ctx, (s) => checkAccessControl(s, 'Hello World'));
        demoExpect(r.message === 'Hello World', 'the platform echoes the message');
        const app = ctx.sandbox.pki.partner.application;
        demoExpect(
          (r.authenticatedConsumer ?? '').includes(`CN=${app}`),
          'the platform authenticated the partner signing certificate',
        );
        return {
          checks: [
            'the signature (BST, Timestamp, Body; exclusive c14n, SHA-256) is accepted',
            `authenticated consumer ${r.authenticatedConsumer}`,
            expectPlatformSigner(ctx, r.replySigner?.fingerprint256),
          ],
        };
      },
    },
    {
      id: 'soa.refuses-unsigned',
      title:
        'An unsigned checkAccessControl gets the platform fault SOA-01001; the reason is in the sandbox log',
      dependsOn: ['soa.check-access-control'],
      async run(ctx) {
        const url = `${ctx.sandbox.endpoints['ehealth.soa']}${SERVICE_PATHS.consumerTest}`;
        const error = await withDemoServices(ctx, (s) =>
          soapCall(s.transport, url, {
            action: SOAP_ACTIONS.checkAccessControl,
            envelope: unsignedAccessControl('x', new Date(ctx.clock.now()).toISOString()),
          }).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
        demoExpect(isPasserelleError(error, 'ERR_SOAP_FAULT'), 'the call fails with a SOAP fault');
        demoExpect(error.details['soaCode'] === 'SOA-01001', 'the fault is SOA-01001');
        const entry = ctx.sandbox.recentLog(200).find((e) => e.fields['faultId'] === error.details['soaId']);
        demoExpect(
          entry?.fields['reason'] === 'ERR_WSS_NO_SECURITY',
          'the sandbox log holds the precise reason',
        );
        return {
          checks: [
            `the caller sees only "${error.message}"`,
            `the sandbox log says ${String(entry?.fields['reason'])} for error id ${String(error.details['soaId'])}`,
          ],
        };
      },
    },
  ];
}
