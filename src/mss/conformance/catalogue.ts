/**
 * The conformance test catalogue of the MSSanté operators' test-and-control application, as
 * data. Sources: seed 004 (the ANS workshop on the API LPS and its test tool), PROTOCOLS.md §9,
 * RFC 7628 (SASL OAUTHBEARER failure exchange, which XOAUTH2 servers follow), RFC 8314 and
 * RFC 8996 (TLS for mail, TLS 1.0/1.1 deprecated), RFC 3501/9051 (IMAP), RFC 4954 (SMTP AUTH).
 * The ANS tool's own case list is not public: these ids are ours, stable across versions; a
 * change of a case's meaning bumps CATALOGUE_VERSION.
 */

export const CATALOGUE_VERSION = '2026.12-2';

export type CaseProtocol = 'imap' | 'smtp' | 'both' | 'psc' | 'operator-interface';
export type Severity = 'blocking' | 'major' | 'minor' | 'informational';
export type AccessMode = 'psc' | 'client-certificate' | 'any';

export interface ConformanceCase {
  readonly id: string;
  readonly protocol: CaseProtocol;
  /** What the case checks, one sentence, with its source. */
  readonly requirement: string;
  /** The severity of a failure. */
  readonly severity: Severity;
  /** Why that severity. */
  readonly rationale: string;
  readonly accessMode: AccessMode;
  /** Cases that must pass first; when one fails this case is skipped. */
  readonly dependsOn: readonly string[];
}

const TLS_OLD_MAJOR =
  'Seed 004 sets TLS 1.2 as the minimum and retires TLS 1.0 after the compliance period: a server that still negotiates it is a major non-conformity, not blocking, since a TLS 1.2 client is not itself exposed.';
const TOKEN_BLOCKING =
  'Accepting it lets anyone holding a token outside the PSC trust chain open a health professional mailbox: a security failure, blocking.';

export const CATALOGUE: readonly ConformanceCase[] = [
  {
    id: 'imap.tls12-accepted',
    protocol: 'imap',
    requirement: 'The IMAP server completes a TLS 1.2 handshake (seed 004, PROTOCOLS §9: TLS 1.2 minimum).',
    severity: 'blocking',
    rationale: 'Without TLS 1.2 no conforming LPS can connect at all; every other IMAP case depends on it.',
    accessMode: 'any',
    dependsOn: [],
  },
  {
    id: 'imap.tls10-refused',
    protocol: 'imap',
    requirement: 'The IMAP server refuses a TLS 1.0 handshake (seed 004, RFC 8996).',
    severity: 'major',
    rationale: TLS_OLD_MAJOR,
    accessMode: 'any',
    dependsOn: ['imap.tls12-accepted'],
  },
  {
    id: 'imap.tls11-refused',
    protocol: 'imap',
    requirement: 'The IMAP server refuses a TLS 1.1 handshake (PROTOCOLS §9: TLS 1.2 only, RFC 8996).',
    severity: 'major',
    rationale: TLS_OLD_MAJOR,
    accessMode: 'any',
    dependsOn: ['imap.tls12-accepted'],
  },
  {
    id: 'smtp.tls12-accepted',
    protocol: 'smtp',
    requirement: 'The SMTP submission server completes a TLS 1.2 handshake (seed 004, RFC 8314).',
    severity: 'blocking',
    rationale: 'Without TLS 1.2 no conforming LPS can send; every other SMTP case depends on it.',
    accessMode: 'any',
    dependsOn: [],
  },
  {
    id: 'smtp.tls10-refused',
    protocol: 'smtp',
    requirement: 'The SMTP server refuses a TLS 1.0 handshake (seed 004, RFC 8996).',
    severity: 'major',
    rationale: TLS_OLD_MAJOR,
    accessMode: 'any',
    dependsOn: ['smtp.tls12-accepted'],
  },
  {
    id: 'smtp.tls11-refused',
    protocol: 'smtp',
    requirement: 'The SMTP server refuses a TLS 1.1 handshake (PROTOCOLS §9, RFC 8996).',
    severity: 'major',
    rationale: TLS_OLD_MAJOR,
    accessMode: 'any',
    dependsOn: ['smtp.tls12-accepted'],
  },
  {
    id: 'both.server-certificate',
    protocol: 'both',
    requirement:
      'The IMAP and SMTP servers present a certificate chaining to the configured trust anchors (IGC Santé) and valid now (PROTOCOLS §9, RFC 8314 §4).',
    severity: 'blocking',
    rationale:
      'An untrusted or expired server certificate makes every client either fail or accept a possible man in the middle who would receive the token.',
    accessMode: 'any',
    dependsOn: ['imap.tls12-accepted', 'smtp.tls12-accepted'],
  },
  {
    id: 'both.server-hostname',
    protocol: 'both',
    requirement: 'The server certificates name the host the client connected to (RFC 6125, RFC 8314 §4).',
    severity: 'blocking',
    rationale:
      'A certificate for another name defeats server authentication, the bearer token would go to whoever holds it.',
    accessMode: 'any',
    dependsOn: ['both.server-certificate'],
  },
  {
    id: 'imap.xoauth2-advertised-after-tls',
    protocol: 'imap',
    requirement: 'After TLS the IMAP CAPABILITY lists SASL-IR and AUTH=XOAUTH2 (seed 004, PROTOCOLS §9).',
    severity: 'blocking',
    rationale:
      'The seed makes XOAUTH2 with SASL-IR the only transport of the PSC token on IMAP: without it the PSC access mode does not exist.',
    accessMode: 'psc',
    dependsOn: ['imap.tls12-accepted'],
  },
  {
    id: 'smtp.xoauth2-advertised-after-tls',
    protocol: 'smtp',
    requirement: 'After TLS the SMTP EHLO reply lists AUTH with XOAUTH2 (seed 004, PROTOCOLS §9, RFC 4954).',
    severity: 'blocking',
    rationale: 'Without XOAUTH2 on SMTP an LPS cannot send with a PSC token.',
    accessMode: 'psc',
    dependsOn: ['smtp.tls12-accepted'],
  },
  {
    id: 'both.no-auth-before-tls',
    protocol: 'both',
    requirement:
      'Before TLS (STARTTLS ports) neither IMAP nor SMTP offers any authentication mechanism, XOAUTH2 included (RFC 8314 §3, RFC 3501 §6.2.3; not applicable on implicit-TLS ports).',
    severity: 'major',
    rationale:
      'A client that follows the advertisement would send its bearer token in clear; major and not blocking because a conforming LPS never authenticates before TLS.',
    accessMode: 'any',
    dependsOn: [],
  },
  {
    id: 'both.no-plaintext-login-before-tls',
    protocol: 'both',
    requirement:
      'Before TLS neither IMAP (LOGIN, AUTH=PLAIN, no LOGINDISABLED) nor SMTP (AUTH PLAIN/LOGIN) accepts plaintext passwords (RFC 8314 §3, RFC 3501 §6.2.3).',
    severity: 'major',
    rationale:
      'Passwords in clear can be captured on the network; major, since the PSC mode itself does not use passwords.',
    accessMode: 'any',
    dependsOn: [],
  },
  {
    id: 'imap.psc-token-accepted',
    protocol: 'imap',
    requirement:
      'A valid PSC token for the IdNat that owns the mailbox opens an IMAP session with AUTHENTICATE XOAUTH2 and SASL-IR (seed 004 "cas passant", PROTOCOLS §9).',
    severity: 'blocking',
    rationale: 'This is the API LPS itself: if a valid token is refused no LPS can read mail.',
    accessMode: 'psc',
    dependsOn: ['imap.xoauth2-advertised-after-tls'],
  },
  {
    id: 'smtp.psc-token-accepted',
    protocol: 'smtp',
    requirement:
      'A valid PSC token for the mailbox is accepted by SMTP AUTH XOAUTH2 with 235 2.7.0 (seed 004, PROTOCOLS §9).',
    severity: 'blocking',
    rationale: 'This is the API LPS itself: if a valid token is refused no LPS can send mail.',
    accessMode: 'psc',
    dependsOn: ['smtp.xoauth2-advertised-after-tls'],
  },
  {
    id: 'both.expired-token-refused',
    protocol: 'both',
    requirement:
      'A PSC-signed token whose exp has passed is refused on IMAP and SMTP (seed 004 "Access Token expiré", RFC 7519 §4.1.4).',
    severity: 'blocking',
    rationale: `${TOKEN_BLOCKING} An expired token may have been stolen long ago.`,
    accessMode: 'psc',
    dependsOn: ['imap.psc-token-accepted', 'smtp.psc-token-accepted'],
  },
  {
    id: 'both.foreign-issuer-token-refused',
    protocol: 'both',
    requirement:
      'A well-formed token signed by an issuer other than PSC is refused on IMAP and SMTP (seed 004 "Access Token non PSC").',
    severity: 'blocking',
    rationale: `${TOKEN_BLOCKING} Anyone can mint such a token.`,
    accessMode: 'psc',
    dependsOn: ['imap.psc-token-accepted', 'smtp.psc-token-accepted'],
  },
  {
    id: 'both.other-professional-token-refused',
    protocol: 'both',
    requirement:
      'A valid PSC token whose preferred_username is another professional is refused for this mailbox on IMAP and SMTP (PROTOCOLS §9: the token identifies the holder).',
    severity: 'blocking',
    rationale:
      'Accepting it lets any professional open any mailbox: a breach of medical confidentiality, blocking.',
    accessMode: 'psc',
    dependsOn: ['imap.psc-token-accepted', 'smtp.psc-token-accepted'],
  },
  {
    id: 'both.malformed-xoauth2-refused',
    protocol: 'both',
    requirement:
      'An XOAUTH2 response that is not base64 of user=…^Aauth=Bearer …^A^A is refused without opening a session (PROTOCOLS §9, RFC 7628 §3.1).',
    severity: 'major',
    rationale:
      'A lax parser is a sign of weak input checks and may confuse users or tokens; major rather than blocking because no valid credential is bypassed by itself.',
    accessMode: 'psc',
    dependsOn: ['imap.xoauth2-advertised-after-tls', 'smtp.xoauth2-advertised-after-tls'],
  },
  {
    id: 'both.rfc7628-failure-exchange',
    protocol: 'both',
    requirement:
      'On a refused token the server sends a challenge of base64 JSON with status, waits for the client empty line, then answers IMAP NO / SMTP 535, with 5.7.8 when ENHANCEDSTATUSCODES is advertised (RFC 7628 §3.2.2, RFC 4954, RFC 2034, PROTOCOLS §9).',
    severity: 'minor',
    rationale:
      'The refusal itself is covered by the token cases; a different failure dialogue only hurts client diagnostics (an LPS cannot tell an expired token from a refused one).',
    accessMode: 'psc',
    dependsOn: ['both.expired-token-refused'],
  },
  {
    id: 'both.client-certificate-accepted',
    protocol: 'both',
    requirement:
      'A TLS client certificate (IGC Santé ORG, AUTH_CLI usage) of the mailbox holder opens IMAP and SMTP sessions (seed 004 "MIE AUTH_CLI", PROTOCOLS §9).',
    severity: 'blocking',
    rationale:
      'The seed makes client-certificate access one of the two access modes of the API LPS; without it AUTH_CLI software cannot work.',
    accessMode: 'client-certificate',
    dependsOn: ['imap.tls12-accepted', 'smtp.tls12-accepted'],
  },
  {
    id: 'both.untrusted-client-certificate-refused',
    protocol: 'both',
    requirement:
      'A client certificate that does not chain to IGC Santé is refused on IMAP and SMTP (seed 004, PROTOCOLS §9).',
    severity: 'blocking',
    rationale:
      'Accepting it lets anyone with a self-made certificate open a mailbox: a security failure, blocking.',
    accessMode: 'client-certificate',
    dependsOn: ['both.client-certificate-accepted'],
  },
  {
    id: 'both.smtp-imap-round-trip',
    protocol: 'both',
    requirement:
      'A message sent by SMTP to the mailbox is read back by IMAP with its subject and MSSanté headers (seed 004, PROTOCOLS §9).',
    severity: 'blocking',
    rationale: 'Authentication that works but mail that does not arrive is no messaging service.',
    accessMode: 'psc',
    dependsOn: ['imap.psc-token-accepted', 'smtp.psc-token-accepted'],
  },
  {
    id: 'operator-interface.inbound-delivery',
    protocol: 'operator-interface',
    requirement:
      "The operator's system delivers mail to the application's own mailbox over TLS 1.2 and the application's SMTP receiver checks what arrives (seed 004, operator interface).",
    severity: 'major',
    rationale:
      'It belongs to the operator interface (Référentiel #1), whose test report is due at the end of the compliance period; TLS 1.0 is tolerated until then (seed 004), so major, not blocking.',
    accessMode: 'any',
    dependsOn: [],
  },
  {
    id: 'psc.introspection-used',
    protocol: 'psc',
    requirement:
      "Accepting a token, the operator called the application's PSC introspection or JWKS endpoint (seed 004: the application plays PSC).",
    severity: 'informational',
    rationale:
      'A server may validate tokens locally with cached keys; the call only shows that the operator is configured against the application, the token cases carry the verdict.',
    accessMode: 'psc',
    dependsOn: ['imap.psc-token-accepted'],
  },
  {
    id: 'both.session-idle-timeout',
    protocol: 'both',
    requirement:
      'When the operator enforces it, an IMAP session idle for 15 minutes is closed (seed 004: 15 min idle, 4 h total).',
    severity: 'informational',
    rationale:
      'The seed puts the session rule on the LPS (the PSC session it keeps), not on the operator; it is reported for information only.',
    accessMode: 'psc',
    dependsOn: ['imap.psc-token-accepted'],
  },
];

/** The case with `id`, or undefined. */
export function findCase(
  id: string,
  catalogue: readonly ConformanceCase[] = CATALOGUE,
): ConformanceCase | undefined {
  return catalogue.find((c) => c.id === id);
}
