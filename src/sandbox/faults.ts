/**
 * Connection faults a sandbox can be started with (`passerelle sandbox --fault MODE`,
 * `startSandbox({ faults })`), so that `passerelle doctor` and a partner's own monitoring can be
 * proven against each broken onboarding step. Each fault lasts for the life of the instance.
 *
 * Listener faults replace the published SOAP gateway endpoint (`cbss.soap`, and `ehealth.soa`
 * which shares it) in sandbox.json and the client configuration:
 * - `port-closed`: nothing listens on the published port (connect is refused);
 * - `handshake-timeout`: TCP is accepted but the TLS handshake is never answered (what a flow
 *   swallowed by a firewall or proxy looks like past the TCP handshake);
 * - `handshake-drop`: TCP is accepted, then the connection is reset on the ClientHello.
 *
 * Certificate faults apply to every TLS listener of the sandbox:
 * - `server-cert-expired`: the server certificate (from the sandbox CA) expired 30 days before
 *   the sandbox clock's now;
 * - `server-cert-untrusted`: the server certificate is issued by a CA that is not in the trust
 *   bundle the sandbox writes for its clients;
 * - `client-cert-unknown`: mutual-TLS listeners trust another CA than the one that issued the
 *   partner's certificates, so the partner's client certificate is refused at TLS (unknown CA),
 *   as the platform does with a certificate it was never sent or has revoked.
 *
 * `oauth-client-unknown`: the authorization server registers no partner client, so the token
 * endpoint answers `invalid_client` (the access-management step was not done).
 */
export const SANDBOX_FAULTS = [
  'port-closed',
  'handshake-timeout',
  'handshake-drop',
  'server-cert-expired',
  'server-cert-untrusted',
  'client-cert-unknown',
  'oauth-client-unknown',
] as const;

export type SandboxFault = (typeof SANDBOX_FAULTS)[number];

/** The faults that replace the published SOAP gateway endpoint with a faulty listener. */
export const LISTENER_FAULTS: readonly SandboxFault[] = [
  'port-closed',
  'handshake-timeout',
  'handshake-drop',
];

export function isSandboxFault(value: string): value is SandboxFault {
  return (SANDBOX_FAULTS as readonly string[]).includes(value);
}
