/**
 * The codes of the file and mail exchanges (SFTP batch files, MSSanté), kept apart from
 * error-codes.ts for its length; error-codes.ts re-exports them and their rules apply.
 */

/** SFTP batch file exchange (`passerelle/sftp`, `passerelle sftp`, the sandbox's SFTP server). */
export const SFTP_CODES = [
  /** No host key is pinned for this server (details.fingerprint is what it presented). */
  'ERR_SFTP_HOST_KEY_UNKNOWN',
  /** The server presented another host key than the pinned one(s): refused, never accepted. */
  'ERR_SFTP_HOST_KEY_CHANGED',
  /** A pinned host key (fingerprint or known_hosts line) in the configuration cannot be read. */
  'ERR_SFTP_HOST_KEY_INVALID',
  /** The SSH private key file cannot be read or decrypted (wrong or missing passphrase). */
  'ERR_SFTP_KEY_UNREADABLE',
  /** The server refused the login (user or public key not authorised). */
  'ERR_SFTP_AUTH_FAILED',
  /** The TCP/SSH connection could not be made, or was lost (details.reason). */
  'ERR_SFTP_CONNECT',
  /** No answer from the server within the configured timeout. */
  'ERR_SFTP_TIMEOUT',
  /** The server refused an operation (details.status: SFTP status, details.path). */
  'ERR_SFTP_REMOTE',
  /** A submission or reply file name that does not follow the platform's naming. */
  'ERR_SFTP_NAME_INVALID',
  /** The remote FI is not byte for byte the local file (size or hash differ): GO is not sent. */
  'ERR_SFTP_UPLOAD_MISMATCH',
  /** A submission with these names is already on the server, or already triggered. */
  'ERR_SFTP_SUBMISSION_EXISTS',
  /** A cancel (TD) for a submission the server already picked up, or never received. */
  'ERR_SFTP_CANCEL_REFUSED',
  /** The FS file is not a CMS/PKCS#7 detached signature Passerelle can read. */
  'ERR_SFTP_SIGNATURE_MALFORMED',
  /** The FS signature does not verify over the FI file. */
  'ERR_SFTP_SIGNATURE_INVALID',
  /** The FS signature uses an algorithm outside the allow-list (SHA-1, MD5, small keys). */
  'ERR_SFTP_SIGNATURE_ALGORITHM',
  /** The FS signer's certificate is not trusted (or not valid at the signing time). */
  'ERR_SFTP_SIGNATURE_UNTRUSTED',
  /** `sftp replies --wait`: no reply arrived within the time given. */
  'ERR_SFTP_REPLY_TIMEOUT',
] as const;

/** MSSanté API LPS (`passerelle/mss`, `passerelle mss`, the sandbox's PSC stub and operator mail server). */
export const MSS_CODES = [
  /** The operator refused the PSC token (RFC 7628 failure exchange; details.protocol, details.status). */
  'ERR_MSS_TOKEN_REJECTED',
  /** The token is expired (or about to be) and cannot be refreshed: never sent. */
  'ERR_MSS_TOKEN_EXPIRED',
  /** No PSC session is stored for this mailbox: log in first. */
  'ERR_MSS_LOGIN_REQUIRED',
  /** The PSC login did not complete (browser not back in time, state or PKCE mismatch, error returned). */
  'ERR_MSS_LOGIN_FAILED',
  /** Pro Santé Connect answered an error or something unreadable (discovery, token, refresh). */
  'ERR_MSS_PSC',
  /** The session passed its idle limit (15 minutes by default) and was closed. */
  'ERR_MSS_SESSION_IDLE',
  /** The session passed its total limit (4 hours by default): a new login is needed. */
  'ERR_MSS_SESSION_EXPIRED',
  /** The server does not offer what MSSanté requires (AUTH=XOAUTH2 and SASL-IR under TLS, STARTTLS, EXTERNAL). */
  'ERR_MSS_UNSUPPORTED',
  /** The server refused a client-certificate (AUTH_CLI) login, or another non-token authentication. */
  'ERR_MSS_AUTH_FAILED',
  /** TLS failed: untrusted server certificate, wrong host name, or a version below TLS 1.2. */
  'ERR_MSS_TLS',
  /** The connection could not be made or was lost (details.reason). */
  'ERR_MSS_CONNECT',
  /** No answer from the server within the configured timeout. */
  'ERR_MSS_TIMEOUT',
  /** The IMAP server answered NO or BAD (details.command, details.response). */
  'ERR_MSS_IMAP',
  /** The SMTP server refused the message or a recipient (details.responseCode). */
  'ERR_MSS_SMTP',
  /** No message with that UID in the folder. */
  'ERR_MSS_MESSAGE_NOT_FOUND',
  /** No folder with that name in the mailbox. */
  'ERR_MSS_FOLDER_NOT_FOUND',
  /** A `--cda` file that is not an HL7 CDA ClinicalDocument with a code. */
  'ERR_MSS_CDA_INVALID',
  /** A mailbox or recipient address that is not an e-mail address. */
  'ERR_MSS_ADDRESS_INVALID',
  /** A conformance run result (JSON) that does not match its schema, or whose verdict does not follow from its results. */
  'ERR_MSS_CONFORMANCE_RESULT_INVALID',
  /** Conformance target parameters that cannot be used (host, ports, TLS modes, mailbox, IdNat, client certificate). */
  'ERR_MSS_CONFORMANCE_TARGET_INVALID',
  /** The conformance application's PSC service could not be reached or refused the runner's credential. */
  'ERR_MSS_CONFORMANCE_PSC',
] as const;

/**
 * Service contracts (`passerelle/openapi`, `rest call --openapi`, the sandbox's contract mocks):
 * OpenAPI 3.0/3.1 and Swagger 2.0 documents, and the scenario files of the sandbox.
 */
export const CONTRACT_CODES = [
  /** The contract file (or a file it references) cannot be read. */
  'ERR_CONTRACT_UNREADABLE',
  /** Not an OpenAPI 3.0/3.1 or Swagger 2.0 document, or one its own schema refuses (details.errors). */
  'ERR_CONTRACT_INVALID',
  /** A `$ref` to a URL (http, https, ...) or outside the contract's folder: refused, never fetched. */
  'ERR_CONTRACT_REMOTE_REF',
  /** A construct Passerelle does not handle (details.feature), e.g. a cookie parameter. */
  'ERR_CONTRACT_UNSUPPORTED',
  /** No operation with that operationId (the hint lists them). */
  'ERR_CONTRACT_OPERATION_NOT_FOUND',
  /** The request does not satisfy the contract (details.errors: where, name or pointer, message); not sent. */
  'ERR_CONTRACT_REQUEST_INVALID',
  /** The response does not satisfy the contract (details.status, details.errors). */
  'ERR_CONTRACT_RESPONSE_INVALID',
  /** A sandbox scenario file that cannot be read or is not valid (details.errors). */
  'ERR_CONTRACT_SCENARIO_INVALID',
] as const;
