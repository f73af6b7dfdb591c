import type { ErrorCode } from './error-codes.ts';

/**
 * What to do about each code when the error is created without a more specific hint. Typed as a
 * Record over every code, so a new code without a default hint does not compile. The specific
 * hint, when given, names the flag or configuration key the bad value came from.
 */
export const DEFAULT_HINTS: Readonly<Record<ErrorCode, string>> = {
  ERR_USAGE: 'Run the command with --help to see its arguments and options.',
  ERR_USAGE_SECRET_ON_ARGV:
    'Name an environment variable (--password-env NAME) or a file (--password-file PATH) instead.',
  ERR_INTERNAL: 'Rerun with --debug to see the cause, and report it if it persists.',
  ERR_FILE_NOT_FOUND: 'Check the path: relative paths resolve from the current directory.',
  ERR_FILE_UNREADABLE: 'Name a regular file (not a directory) that this user may read.',
  ERR_FILE_UNWRITABLE:
    'Check that the directory exists and is writable by this user, and that the path is not a directory.',
  ERR_CONFIG_NOT_FOUND: 'Check the --config path or the PASSERELLE_CONFIG variable.',
  ERR_CONFIG_UNREADABLE:
    'Check that the configuration file (--config or PASSERELLE_CONFIG) is readable by this user and is valid JSON or YAML.',
  ERR_CONFIG_INVALID: 'Fix the setting the message names (docs/configuration.md describes each one).',
  ERR_CONFIG_UNKNOWN_ENV:
    'Choose an environment with --env or PASSERELLE_ENV (`passerelle env list` shows them), or define it under "environments" in the configuration.',
  ERR_CONFIG_ENDPOINT_MISSING:
    'Set the endpoint under environments.<env>.endpoints in the configuration, or a PASSERELLE_ENDPOINT_<NAME> variable.',
  ERR_CONFIG_SECRET_MISSING:
    'Export the named environment variable, or make the named password file readable by this user.',
  ERR_CONFIG_TRUST_MISSING: 'Name the trust files of the environment under environments.<env>.trust.',
  ERR_CONFIG_TRUST_PIN_MULTIPLE:
    'Keep the one certificate to pin alone in its file, or list the file as { ca: FILE } to trust what that CA issued.',
  ERR_CONFIG_TRUST_NOT_CA:
    'List a leaf certificate as { pin: FILE }; { ca: FILE } takes CA certificates only.',
  ERR_PKI_FILE_UNREADABLE:
    'Check the path and the file permissions (paths in the configuration resolve from the configuration file).',
  ERR_PKI_KEYSTORE_CORRUPT:
    'Check that the file is the keystore, key or certificate meant (not truncated, not another format); export it again if needed.',
  ERR_PKI_BAD_PASSWORD:
    'Check the password named by --password-env/--password-file, or by the credential in the configuration.',
  ERR_PKI_KEY_MISMATCH: 'Give the private key of this certificate (the key its CSR was made with).',
  ERR_PKI_NO_KEY: 'Export the keystore with its private key, or give the key file too.',
  ERR_PKI_NO_CERT: 'Give a file holding the certificate (PEM or DER), or a keystore that includes it.',
  ERR_PKI_UNSUPPORTED_KEY: 'Use an RSA key (2048 bits or more) or an EC P-256 key.',
  ERR_PKI_UNSUPPORTED_FORMAT:
    'Convert the file with OpenSSL: PEM (PKCS#8 key, X.509 certificates) or PKCS#12.',
  ERR_PKI_PROFILE_INVALID: 'Check the value against the certificate profile (`passerelle cert csr --help`).',
  ERR_PKI_UNTRUSTED:
    'Pin the certificate or trust its issuing CA in the trust settings, or check that the right certificate was sent.',
  ERR_PKI_CERT_EXPIRED: 'Renew the certificate and point the configuration at the new file.',
  ERR_PKI_CERT_NOT_YET_VALID:
    'Check the clock of this machine (NTP), or wait until the certificate becomes valid.',
  ERR_PKI_CREDENTIAL_EXPIRED: 'Renew the certificate and point the configuration at the new file.',
  ERR_PKI_CREDENTIAL_NOT_YET_VALID:
    'Check the clock of this machine (NTP), or wait until the certificate becomes valid.',
  ERR_PKI_CHECK_FAILED: 'Fix each finding marked as an error, then check the certificate again.',
  ERR_IDS_CBE_INVALID:
    'A CBE (KBO/BCE) number has 10 digits, starts with 0 or 1 and ends with two check digits.',
  ERR_IDS_INSS_INVALID:
    'An INSS (NISS/SSIN) has 11 digits: birth date YYMMDD, a 3-digit sequence and 2 check digits.',
  ERR_XML_MALFORMED: 'Give one well-formed XML document, encoded as UTF-8.',
  ERR_XML_DOCTYPE: 'Remove the DOCTYPE: documents with a DTD are refused.',
  ERR_XML_PROCESSING_INSTRUCTION: 'Remove the processing instructions (the XML declaration may stay).',
  ERR_XML_MULTIPLE_ROOTS: 'Give a document with exactly one root element.',
  ERR_XML_LIMIT: 'The document exceeds a size, depth or count limit: send a smaller document.',
  ERR_XML_ENCODING: 'Send the document as UTF-8, with at most one byte order mark.',
  ERR_XML_UNSUPPORTED_ENCODING:
    'Convert the document to UTF-8 and fix or drop the encoding of its XML declaration.',
  ERR_XML_RELATIVE_NAMESPACE: 'Use absolute namespace URIs: canonicalisation refuses relative ones.',
  ERR_WSS_MALFORMED: 'Give a SOAP 1.1 envelope whose wsse:Security header follows the X.509 token profile.',
  ERR_WSS_NO_SECURITY: 'The envelope has no wsse:Security header: sign it first (`passerelle wss sign`).',
  ERR_WSS_MULTIPLE_SECURITY: 'Send exactly one wsse:Security header.',
  ERR_WSS_NO_SIGNATURE: 'The Security header holds no ds:Signature: sign the envelope.',
  ERR_WSS_MULTIPLE_SIGNATURES: 'Send exactly one signature in the Security header.',
  ERR_WSS_ALG_NOT_ALLOWED:
    'Sign with RSA-SHA256 or ECDSA-SHA256, SHA-256 digests and exclusive canonicalisation.',
  ERR_WSS_REFERENCE_INVALID: 'Each signature reference must point, by wsu:Id, to one part of this envelope.',
  ERR_WSS_DUPLICATE_ID: 'Give each wsu:Id of the envelope once.',
  ERR_WSS_DIGEST_MISMATCH:
    'A signed part changed after signing: sign the final envelope and do not reformat it afterwards.',
  ERR_WSS_SIGNATURE_INVALID:
    "The signature does not match the signer's key: sign the final envelope with the key of the certificate sent.",
  ERR_WSS_WRAPPING:
    'The signed parts are not the parts the receiver reads: sign the envelope exactly as it is sent.',
  ERR_WSS_TIMESTAMP_MISSING: 'Add a signed wsu:Timestamp (`passerelle wss sign` adds one).',
  ERR_WSS_TIMESTAMP_EXPIRED: 'Sign the envelope again just before sending it, and check both clocks (NTP).',
  ERR_WSS_TIMESTAMP_FUTURE: 'Check the clocks of the sender and of this machine (NTP).',
  ERR_WSS_TIMESTAMP_TOO_LONG: 'Give the timestamp a lifetime of at most 300 seconds (--ttl).',
  ERR_WSS_REPLAY: 'Send a newly signed envelope: each signed envelope is accepted once.',
  ERR_WSS_TOKEN_INVALID:
    "Send the signer's certificate as an X.509 BinarySecurityToken that the signature references.",
  ERR_WSS_UNTRUSTED_SIGNER: 'Pin the signer certificate (--pin) or trust its issuing CA (--ca).',
  ERR_WSS_SIGNER_EXPIRED: "The signer's certificate has expired: its owner must renew it.",
  ERR_WSS_SIGNER_NOT_YET_VALID:
    "The signer's certificate is not valid yet: check the clock of this machine (NTP).",
  ERR_WSS_PART_NOT_SIGNED: 'Sign every required part (body, timestamp, bst), or relax --require.',
  ERR_SOAP_FAULT: 'Read the fault code and reason: the documentation of the service says what to correct.',
  ERR_SOAP_MALFORMED: 'The reply is not a valid SOAP envelope: check the endpoint (`passerelle env show`).',
  ERR_SOAP_NOT_SOAP: 'The endpoint did not answer SOAP: check the endpoint URL (`passerelle env show`).',
  ERR_SOAP_NO_BODY: 'The envelope has no Body: check the endpoint (`passerelle env show`).',
  ERR_SOAP_UNEXPECTED_RESPONSE:
    'The reply is not what this operation expects: check the endpoint (`passerelle env show`) and the service version.',
  ERR_MTOM_MALFORMED:
    'The multipart message is malformed: check the endpoint and any proxy that rewrites bodies.',
  ERR_MTOM_LIMIT: 'An attachment or the whole message exceeds a limit: send less, or in several calls.',
  ERR_MTOM_BAD_REFERENCE: 'Each xop:Include must name one attachment (cid:) of the message.',
  ERR_MTOM_MISSING_PART: 'The message lacks an attachment that its envelope references.',
  ERR_TRANSPORT_INSECURE: 'Use an https:// endpoint: plain HTTP is refused.',
  ERR_TRANSPORT_TLS:
    'Check the TLS trust (environments.<env>.trust.ca) and the client certificate (environments.<env>.credentials.tls).',
  ERR_TRANSPORT_CONNECT:
    'Check the endpoint URL (`passerelle env show`), the network, firewall or proxy, and that the service is up.',
  ERR_TRANSPORT_TIMEOUT: 'The server did not answer in time: retry later, or check the network path.',
  ERR_TRANSPORT_HTTP_STATUS: 'Check the endpoint URL (`passerelle env show`) and the status of the service.',
  ERR_TRANSPORT_BODY_TOO_LARGE: 'The reply exceeds the size limit: ask for less.',
  ERR_STS_FAULT:
    'Read the STS fault: check the holder-of-key credential (environments.<env>.credentials.hok) and the requested attributes.',
  ERR_STS_RESPONSE_INVALID:
    'The STS reply is not a token response: check the sts endpoint (`passerelle env show`).',
  ERR_SAML_INVALID: 'The assertion is not valid: get a new one (`passerelle sts token --no-cache`).',
  ERR_SAML_EXPIRED:
    'Get a new token (`passerelle sts token --no-cache`) and check the clock of this machine (NTP).',
  ERR_SAML_NOT_YET_VALID: 'Check the clock of this machine (NTP).',
  ERR_SAML_UNTRUSTED_ISSUER: 'Add the STS signing certificate to environments.<env>.trust.sts.',
  ERR_SAML_KEY_MISMATCH:
    'Use the token with the credential it was issued for (environments.<env>.credentials.hok).',
  ERR_OAUTH_INVALID_CLIENT:
    'Check the client id (--client-id or oauth.clientId) and that its certificate (credentials.oauth) is registered.',
  ERR_OAUTH_INVALID_SCOPE: 'Ask only for scopes granted to the client (--scope or oauth.scope).',
  ERR_OAUTH_INVALID_REQUEST:
    'The authorization server refused the request: check the oauth settings of the environment.',
  ERR_OAUTH_INVALID_GRANT:
    'The client assertion was refused: check the clock of this machine (NTP) and credentials.oauth.',
  ERR_OAUTH_UNAUTHORIZED_CLIENT: 'Ask the platform to allow the client_credentials grant for this client.',
  ERR_OAUTH_UNSUPPORTED_GRANT_TYPE:
    'The authorization server does not offer client_credentials: check the oauth endpoint (`passerelle env show`).',
  ERR_OAUTH_SERVER_ERROR: 'The authorization server failed: retry later.',
  ERR_OAUTH_RESPONSE_INVALID:
    'The token response is not valid: check the oauth endpoint (`passerelle env show`).',
  ERR_OAUTH_DISCOVERY_FAILED: 'Check the oauth issuer endpoint (`passerelle env show`) and the network.',
  ERR_REST_PROBLEM: 'Read the problem detail; a 5xx status is worth retrying later.',
  ERR_REST_UNAUTHORIZED: 'The token was refused: check the client id, its certificate and the environment.',
  ERR_REST_FORBIDDEN:
    'The token lacks a scope this API needs: ask the platform to grant it, or request it (--scope).',
  ERR_REST_NOT_FOUND: 'Check the API name (--api) and the path.',
  ERR_REST_RESPONSE_INVALID:
    'The API answered a body that is not the JSON expected: check --api and the cbss.rest endpoint.',
  ERR_REST_UNHEALTHY: 'The API reports itself DOWN: retry later, or ask the platform about its status.',
  ERR_SANDBOX_START:
    'Check that the ports are free (or omit --port-base) and that the state directory is writable.',
  ERR_SANDBOX_STATE: 'Delete the sandbox state directory and start again: it is regenerated.',
  ERR_DEMO_STEP_FAILED: 'Read the failed step; rerun with --debug to see its cause.',
  ERR_SANDBOX_REQUEST_TIMEOUT: 'Send the whole request within the sandbox timeouts (docs/guide.md).',
  ERR_SANDBOX_REQUEST_TOO_LARGE: 'Send a smaller request (the sandbox limits are in docs/guide.md).',
  ERR_SANDBOX_REQUEST_ABORTED: 'The client closed the connection before the request was complete.',
  ERR_WSDL_UNREADABLE: 'Make the WSDL and the files it imports readable by this user.',
  ERR_WSDL_INVALID:
    'Check that the file is a WSDL 1.1 document and that every file it imports is present next to it.',
  ERR_WSDL_IMPORT_REFUSED:
    'Download the imported file once, put it next to the WSDL and point the import at it with a relative location.',
  ERR_WSDL_LIMIT:
    'The contract is larger than the bounds of readWsdl; raise them with its limits option if it is genuine.',
  ERR_WSDL_OPERATION_NOT_FOUND: 'List the operations with `passerelle wsdl operations FILE`.',
  ERR_WSDL_PORT_NOT_FOUND: 'List the ports with `passerelle wsdl operations FILE` and give one with --port.',
  ERR_WSDL_OPERATION_AMBIGUOUS: 'Several ports offer the operation differently: choose one with --port.',
  ERR_EBOX_INVALID_INPUT: 'Fix the field the message names (docs/guide.md, eBox section, lists the limits).',
  ERR_EBOX_CERT_NO_CBE:
    'Sign with the eBox sender certificate: its subject needs OU=urn:be:fgov:kbo-bce:organization:cbe-number:<CBE> (`passerelle cert csr --profile ebox`).',
  ERR_EBOX_SENDER_MISMATCH:
    "Omit SenderID (--sender-app) or give the certificate's own institution: a certificate publishes for its institution only.",
  ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED:
    'Check the spelling of the application and message type; ask eboxintegration@smals.be to register the type for this (institution, application).',
  ERR_EBOX_DIGEST_MISMATCH:
    'The document changed while it was sent, or a proxy altered it: publish it again.',
  ERR_EBOX_DIGEST_ALGORITHM: 'Use SHA-256 (the default) or SHA-512: SHA-1 is refused.',
  ERR_EBOX_INVALID_RECIPIENT: 'Check the INSS/NISS (or CBE) of the recipient and that it exists.',
  ERR_EBOX_DUPLICATE:
    'This publication was already made: use a new ticket (or sequence) or Idempotency-Key for a new document.',
  ERR_EBOX_BUSINESS: 'Read the business error code and message; the eBox documentation says what to correct.',
  ERR_EBOX_MESSAGE_NOT_FOUND:
    'Check the message id: it is the one the publication returned, for this sender.',
  ERR_BATCH_ITEMS_FAILED:
    'Write the report (`passerelle batch report RUN --out report.csv`): each failed row has its code; fix them, then `passerelle batch retry RUN --failed`.',
  ERR_BATCH_MANIFEST_REJECTED:
    'Fix the rows listed (by line) in the manifest and start a new run, or drop --strict to publish the good rows.',
  ERR_SFTP_HOST_KEY_UNKNOWN:
    'Check the fingerprint the message shows with the platform out of band, then pin it under environments.<env>.sftp.hostKeys.',
  ERR_SFTP_HOST_KEY_CHANGED:
    'Do not connect: the server is not the one pinned. Ask the platform whether its host key changed before updating environments.<env>.sftp.hostKeys.',
  ERR_SFTP_HOST_KEY_INVALID:
    'Write each pin as `SHA256:<base64>` (as `ssh-keygen -lf` prints it) or as a known_hosts line (`host ssh-ed25519 AAAA…`).',
  ERR_SFTP_KEY_UNREADABLE:
    'Check environments.<env>.sftp.key (an OpenSSH or PEM private key, mode 0600) and, for an encrypted key, sftp.keyPassword.',
  ERR_SFTP_AUTH_FAILED:
    'Check environments.<env>.sftp.user and that the public key of sftp.key was registered with the platform for that account.',
  ERR_SFTP_CONNECT:
    'Check the `sftp` endpoint, the network route (the firewall form lists the SFTP flow) and that the server is up.',
  ERR_SFTP_TIMEOUT:
    'Retry; if it persists, raise environments.<env>.sftp.timeoutSeconds or check the network.',
  ERR_SFTP_REMOTE:
    'Read the SFTP status and path in the message: a missing directory or a permission the account lacks.',
  ERR_SFTP_NAME_INVALID:
    'Use names of the form FI.<APP>.<sender>.<YYYYMMDD>.<sequence>.<R|T>.1.1 (GO and TD end in .1); `passerelle sftp submit` builds them.',
  ERR_SFTP_UPLOAD_MISMATCH:
    'The remote FI differs from the local file: run the submission again (it restarts the upload from zero); the GO was not sent.',
  ERR_SFTP_SUBMISSION_EXISTS:
    'Choose another sequence number (--sequence) or let `sftp submit` pick the next free one.',
  ERR_SFTP_CANCEL_REFUSED:
    'A submission can be cancelled only while its GO waits on the server; read its reply with `passerelle sftp replies`.',
  ERR_SFTP_SIGNATURE_MALFORMED:
    'The FS file must hold a CMS (PKCS#7) detached signature, in base64 (one line, or 76-column lines) or DER.',
  ERR_SFTP_SIGNATURE_INVALID:
    'The FI file changed after it was signed, or the FS belongs to another FI: sign it again.',
  ERR_SFTP_SIGNATURE_ALGORITHM:
    'Sign with SHA-256 (or stronger) and an RSA ≥ 2048-bit or EC P-256/P-384 key.',
  ERR_SFTP_SIGNATURE_UNTRUSTED:
    'Sign with the certificate registered with the platform (credentials.signing), valid at the signing time.',
  ERR_SFTP_REPLY_TIMEOUT:
    'The platform has not answered yet: run `passerelle sftp replies` again later, or wait longer (--wait).',
  ERR_MSS_TOKEN_REJECTED:
    'Log in again (`passerelle mss login`): the operator did not accept the Pro Santé Connect token for this mailbox (expired, another issuer, or not the mailbox of the professional who logged in).',
  ERR_MSS_TOKEN_EXPIRED: 'Log in again with `passerelle mss login`; the refresh token is expired too.',
  ERR_MSS_LOGIN_REQUIRED: 'Run `passerelle mss login` first (or hand a token in with --token-file).',
  ERR_MSS_LOGIN_FAILED:
    'Run `passerelle mss login` again and finish the Pro Santé Connect login in the browser within the time allowed.',
  ERR_MSS_PSC:
    'Check environments.<env>.mss.psc (issuer, client id and secret) and that Pro Santé Connect is reachable.',
  ERR_MSS_SESSION_IDLE:
    'The MSSanté session was idle too long (environments.<env>.mss.session.idleMinutes): open a new one (log in again if asked).',
  ERR_MSS_SESSION_EXPIRED:
    'MSSanté sessions last at most environments.<env>.mss.session.maxHours: log in again with `passerelle mss login`.',
  ERR_MSS_UNSUPPORTED:
    'The server is not an MSSanté API LPS as configured: check the imap/smtp URLs (imaps:// or smtps:// for implicit TLS, imap:// or smtp:// for STARTTLS).',
  ERR_MSS_AUTH_FAILED:
    'Check environments.<env>.mss.clientCertificate: the certificate must be the one the operator registered for this applicative mailbox.',
  ERR_MSS_CONFORMANCE_RESULT_INVALID:
    'The file is not a run result written by `passerelle mss conformance run` (or it was edited): re-run, or render from the original run.json.',
  ERR_MSS_CONFORMANCE_TARGET_INVALID:
    'Give the target as imaps://host:port (or imap:// for STARTTLS) and smtps://host:port (or smtp://), the mailbox address and the IdNat (RPPS) of its holder.',
  ERR_MSS_CONFORMANCE_PSC:
    'Start the PSC service with `passerelle mss conformance serve` (or drop --psc-url to use the local one) and check its admin credential file.',
  ERR_MSS_TLS:
    "Check environments.<env>.mss.ca (the operator's CA bundle, IGC Santé in production) and the host name in the imap/smtp URLs.",
  ERR_MSS_CONNECT:
    'Check the imap/smtp URLs of environments.<env>.mss, the network route and that the server is up.',
  ERR_MSS_TIMEOUT: 'Retry; if it persists, raise environments.<env>.mss.timeoutSeconds or check the network.',
  ERR_MSS_IMAP:
    'Read the server response in the message: a folder or message the mailbox does not hold, or a refused command.',
  ERR_MSS_SMTP:
    'Read the SMTP reply in the message: a recipient outside the MSSanté space, a sender that is not your mailbox, or a message too large.',
  ERR_MSS_MESSAGE_NOT_FOUND:
    'List the folder (`passerelle mss list --folder NAME`) to see the UIDs it holds.',
  ERR_MSS_FOLDER_NOT_FOUND: 'List the folders (`passerelle mss folders`) and use one of their names.',
  ERR_MSS_CDA_INVALID:
    'Give an HL7 CDA R2 document (root element ClinicalDocument in urn:hl7-org:v3 with a <code code="…">).',
  ERR_MSS_ADDRESS_INVALID: 'Write addresses as local@domain (MSSanté addresses end in .mssante.fr).',
  ERR_CONTRACT_UNREADABLE:
    'Check the contract path and that this user may read it and the files it references.',
  ERR_CONTRACT_INVALID:
    'Check that the file is an OpenAPI 3.0/3.1 or Swagger 2.0 document; details.errors lists what its schema refuses.',
  ERR_CONTRACT_REMOTE_REF:
    'Download the referenced document next to the contract and point the $ref at the local file.',
  ERR_CONTRACT_UNSUPPORTED:
    'details.feature names the construct; call that operation with `rest get` or a plain HTTP client.',
  ERR_CONTRACT_OPERATION_NOT_FOUND: 'List the operations with `passerelle rest operations FILE`.',
  ERR_CONTRACT_REQUEST_INVALID:
    'Fix the fields details.errors names; `passerelle rest template FILE OPERATION` prints a valid sample.',
  ERR_CONTRACT_RESPONSE_INVALID:
    'The service answered outside its contract: check the contract version, and report it to the service with details.errors.',
  ERR_CONTRACT_SCENARIO_INVALID:
    'Fix the scenario file as details.errors says (docs/guide.md describes the format).',
  ERR_WSDL_UNSUPPORTED: 'Only WSDL 1.1 with SOAP 1.1/1.2 document/literal bindings is read.',
  ERR_ONBOARD_ANSWERS_INVALID:
    'Fix the fields the message names in the answers file (docs/onboarding-answers.example.yaml shows every field).',
  ERR_ONBOARD_OUT_EXISTS:
    'Name a new or empty --out folder, or add --force to replace the folder (its keys are lost).',
  ERR_ONBOARD_FORM_INVALID:
    'Correct the form field named in details.field (dates YYYY-MM-DD, IPv4 addresses, ports 1-65535, text in Latin letters).',
  ERR_DOCTOR_CONFIG_INCOMPLETE:
    'Set what the message names under environments.<env> (credentials.tls, endpoints); `passerelle onboard init` writes a skeleton.',
  ERR_DOCTOR_SUBJECT_PROFILE:
    'Request a certificate whose subject follows the profile (`passerelle cert csr --profile ...`), or name the profile meant with --profile.',
  ERR_DOCTOR_DNS:
    "Check this machine's DNS resolvers for the network access used (extranet or internet), or the endpoint URL.",
  ERR_DOCTOR_TCP_TIMEOUT:
    'The firewall flow is missing: send the firewall-flow form (onboarding step 2) for the host and port named.',
  ERR_DOCTOR_TCP_REFUSED:
    'Nothing listens on that port: check the endpoint URL and port; if they are right, a firewall rejects the flow.',
  ERR_DOCTOR_TCP_UNREACHABLE:
    "Check this machine's route to the platform network (leased line, VPN, extranet access).",
  ERR_DOCTOR_TLS_TIMEOUT:
    'Something between you and the platform holds the flow (proxy, TLS inspection): open the flow directly to the platform.',
  ERR_DOCTOR_TLS_DROPPED:
    'A firewall or proxy drops the TLS connection: have the flow opened end to end to the platform, without inspection.',
  ERR_DOCTOR_TLS_FAILED: 'Check that the endpoint speaks TLS 1.2 or later on that port.',
  ERR_DOCTOR_SERVER_CERT_EXPIRED:
    "Check this machine's clock; otherwise the platform must renew its certificate, or trust.ca must list the renewed chain.",
  ERR_DOCTOR_SERVER_CERT_UNTRUSTED:
    "Point environments.<env>.trust.ca at the platform's published CA bundle (not a proxy's CA).",
  ERR_DOCTOR_SERVER_NAME_MISMATCH:
    'Use the host name the platform publishes in the endpoint URL, not an IP or alias.',
  ERR_DOCTOR_CLIENT_CERT_REFUSED:
    'Send the .crt of your TLS certificate to the platform (onboarding step 3) and wait for its registration.',
};
