/** A test professional of the sandbox's Pro Santé Connect stub. */
export interface PscProfessional {
  /** National id (RPPS, 11 digits, Luhn check digit): `preferred_username` and `sub` of the tokens. */
  readonly rpps: string;
  /** Display name on the test login page. */
  readonly name: string;
  /** The MSSanté mailboxes the professional may open (the first is `email` in introspection). */
  readonly mailboxes: readonly string[];
}

/** The default test professionals (fictitious; RPPS numbers with a valid Luhn check digit). */
export const DEFAULT_PSC_PROFESSIONALS: readonly PscProfessional[] = Object.freeze([
  { rpps: '10001234565', name: 'Dr Camille Martin', mailboxes: ['camille.martin@sandbox.mssante.fr'] },
  {
    rpps: '10009876540',
    name: 'Dr Louis Bernard',
    mailboxes: ['louis.bernard@sandbox.mssante.fr', 'cabinet.bernard@sandbox.mssante.fr'],
  },
  { rpps: '10005555551', name: 'Inès Petit, infirmière', mailboxes: ['ines.petit@sandbox.mssante.fr'] },
]);

/** The default applicative mailbox (AUTH_CLI: opened with the partner's TLS certificate). */
export const DEFAULT_APPLICATION_MAILBOXES: readonly string[] = Object.freeze([
  'application@sandbox.mssante.fr',
]);

/** The OpenID Connect realm path of PSC (PROTOCOLS.md §9), kept by the stub below its origin. */
export const PSC_REALM_PATH = '/auth/realms/esante-wallet';
/** PSC's discovery document path below the issuer (not the usual one). */
export const PSC_DISCOVERY_PATH = '/.well-known/wallet-openid-configuration';
/** The client id the sandbox registers for the partner's software (public client, PKCE; loopback redirects). */
export const SANDBOX_PSC_CLIENT_ID = 'passerelle-lps';
