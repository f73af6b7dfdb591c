/**
 * One error hierarchy for the whole toolkit. Every failure a caller can act on carries a
 * stable `code` from the closed unions below; callers switch on `code`, never on messages.
 *
 * Rules:
 * - `message` says what went wrong, `hint` says what to do. Neither ever contains a secret
 *   (key material, password, token, assertion): build messages from names and ids only.
 * - `details` holds small, safe context (file names, claim names, status codes, fault codes).
 * - `cause` is passed through for debugging (`--debug`), never printed otherwise.
 */

import { CONTRACT_CODES, MSS_CODES, SFTP_CODES } from './error-codes-exchange.ts';

export { CONTRACT_CODES, MSS_CODES, SFTP_CODES };

export const USAGE_CODES = ['ERR_USAGE', 'ERR_USAGE_SECRET_ON_ARGV'] as const;

/** A failure that is not one of ours (a bug or an unexpected runtime error): the CLI's fallback. */
export const INTERNAL_CODES = ['ERR_INTERNAL'] as const;

/**
 * Plain files named by the user: an input file that does not exist (ERR_FILE_NOT_FOUND) or
 * cannot be read (a directory, no permission: ERR_FILE_UNREADABLE), a file Passerelle was asked
 * to write (key, password, token, cache, download) that could not be written. Credential files
 * (ERR_PKI_FILE_UNREADABLE) and the configuration file (ERR_CONFIG_*) keep their own codes.
 */
export const FILE_CODES = ['ERR_FILE_NOT_FOUND', 'ERR_FILE_UNREADABLE', 'ERR_FILE_UNWRITABLE'] as const;

export const CONFIG_CODES = [
  'ERR_CONFIG_NOT_FOUND',
  'ERR_CONFIG_UNREADABLE',
  'ERR_CONFIG_INVALID',
  'ERR_CONFIG_UNKNOWN_ENV',
  'ERR_CONFIG_ENDPOINT_MISSING',
  'ERR_CONFIG_SECRET_MISSING',
  'ERR_CONFIG_TRUST_MISSING',
  'ERR_CONFIG_TRUST_PIN_MULTIPLE',
  'ERR_CONFIG_TRUST_NOT_CA',
] as const;

export const PKI_CODES = [
  'ERR_PKI_FILE_UNREADABLE',
  'ERR_PKI_KEYSTORE_CORRUPT',
  'ERR_PKI_BAD_PASSWORD',
  'ERR_PKI_KEY_MISMATCH',
  'ERR_PKI_NO_KEY',
  'ERR_PKI_NO_CERT',
  'ERR_PKI_UNSUPPORTED_KEY',
  'ERR_PKI_UNSUPPORTED_FORMAT',
  'ERR_PKI_PROFILE_INVALID',
  'ERR_PKI_UNTRUSTED',
  'ERR_PKI_CERT_EXPIRED',
  'ERR_PKI_CERT_NOT_YET_VALID',
  'ERR_PKI_CREDENTIAL_EXPIRED',
  'ERR_PKI_CREDENTIAL_NOT_YET_VALID',
  /** `cert check` found at least one error (the findings say which). */
  'ERR_PKI_CHECK_FAILED',
] as const;

export const IDS_CODES = ['ERR_IDS_CBE_INVALID', 'ERR_IDS_INSS_INVALID'] as const;

export const XML_CODES = [
  'ERR_XML_MALFORMED',
  'ERR_XML_DOCTYPE',
  'ERR_XML_PROCESSING_INSTRUCTION',
  'ERR_XML_MULTIPLE_ROOTS',
  'ERR_XML_LIMIT',
  /** Received bytes that are not UTF-8, or two byte order marks. */
  'ERR_XML_ENCODING',
  /** UTF-16/UTF-32 bytes, or an XML declaration naming another encoding than UTF-8. */
  'ERR_XML_UNSUPPORTED_ENCODING',
  /** A relative namespace URI met by canonicalisation (C14N 1.0 §2.1). */
  'ERR_XML_RELATIVE_NAMESPACE',
] as const;

export const WSS_CODES = [
  'ERR_WSS_MALFORMED',
  'ERR_WSS_NO_SECURITY',
  'ERR_WSS_MULTIPLE_SECURITY',
  'ERR_WSS_NO_SIGNATURE',
  'ERR_WSS_MULTIPLE_SIGNATURES',
  'ERR_WSS_ALG_NOT_ALLOWED',
  'ERR_WSS_REFERENCE_INVALID',
  'ERR_WSS_DUPLICATE_ID',
  'ERR_WSS_DIGEST_MISMATCH',
  'ERR_WSS_SIGNATURE_INVALID',
  'ERR_WSS_WRAPPING',
  'ERR_WSS_TIMESTAMP_MISSING',
  'ERR_WSS_TIMESTAMP_EXPIRED',
  'ERR_WSS_TIMESTAMP_FUTURE',
  'ERR_WSS_TIMESTAMP_TOO_LONG',
  'ERR_WSS_REPLAY',
  'ERR_WSS_TOKEN_INVALID',
  'ERR_WSS_UNTRUSTED_SIGNER',
  'ERR_WSS_SIGNER_EXPIRED',
  'ERR_WSS_SIGNER_NOT_YET_VALID',
  'ERR_WSS_PART_NOT_SIGNED',
] as const;

export const SOAP_CODES = [
  'ERR_SOAP_FAULT',
  'ERR_SOAP_MALFORMED',
  'ERR_SOAP_NOT_SOAP',
  'ERR_SOAP_NO_BODY',
  'ERR_SOAP_UNEXPECTED_RESPONSE',
] as const;

export const MTOM_CODES = [
  'ERR_MTOM_MALFORMED',
  'ERR_MTOM_LIMIT',
  'ERR_MTOM_BAD_REFERENCE',
  'ERR_MTOM_MISSING_PART',
] as const;

export const TRANSPORT_CODES = [
  'ERR_TRANSPORT_INSECURE',
  'ERR_TRANSPORT_TLS',
  'ERR_TRANSPORT_CONNECT',
  'ERR_TRANSPORT_TIMEOUT',
  'ERR_TRANSPORT_HTTP_STATUS',
  'ERR_TRANSPORT_BODY_TOO_LARGE',
] as const;

export const STS_CODES = [
  'ERR_STS_FAULT',
  'ERR_STS_RESPONSE_INVALID',
  'ERR_SAML_INVALID',
  'ERR_SAML_EXPIRED',
  'ERR_SAML_NOT_YET_VALID',
  'ERR_SAML_UNTRUSTED_ISSUER',
  'ERR_SAML_KEY_MISMATCH',
] as const;

export const OAUTH_CODES = [
  'ERR_OAUTH_INVALID_CLIENT',
  'ERR_OAUTH_INVALID_SCOPE',
  'ERR_OAUTH_INVALID_REQUEST',
  'ERR_OAUTH_INVALID_GRANT',
  'ERR_OAUTH_UNAUTHORIZED_CLIENT',
  'ERR_OAUTH_UNSUPPORTED_GRANT_TYPE',
  'ERR_OAUTH_SERVER_ERROR',
  'ERR_OAUTH_RESPONSE_INVALID',
  'ERR_OAUTH_DISCOVERY_FAILED',
] as const;

export const REST_CODES = [
  'ERR_REST_PROBLEM',
  'ERR_REST_UNAUTHORIZED',
  'ERR_REST_FORBIDDEN',
  'ERR_REST_NOT_FOUND',
  'ERR_REST_RESPONSE_INVALID',
  /** A health endpoint reported DOWN (`rest health`). */
  'ERR_REST_UNHEALTHY',
] as const;

export const SANDBOX_CODES = [
  'ERR_SANDBOX_START',
  'ERR_SANDBOX_STATE',
  'ERR_DEMO_STEP_FAILED',
  // A request a sandbox listener refused (the platform-side reason, logged; the caller gets a fault).
  'ERR_SANDBOX_REQUEST_TIMEOUT',
  'ERR_SANDBOX_REQUEST_TOO_LARGE',
  'ERR_SANDBOX_REQUEST_ABORTED',
] as const;

/** Reading a WSDL 1.1 contract and its local XSDs (`passerelle/wsdl`). */
export const WSDL_CODES = [
  /** A WSDL or XSD file that exists but cannot be read (a directory, no permission). */
  'ERR_WSDL_UNREADABLE',
  /** Not a WSDL 1.1 document, not well-formed, or a reference to a component never defined. */
  'ERR_WSDL_INVALID',
  /** An import or include whose location is remote (http, https, ftp, ...): never fetched. */
  'ERR_WSDL_IMPORT_REFUSED',
  /** Too many files, or a file or the whole set larger than the bounds of `readWsdl`. */
  'ERR_WSDL_LIMIT',
  /** No SOAP operation of that name (the hint lists the operations). */
  'ERR_WSDL_OPERATION_NOT_FOUND',
  /** No port of that name offers the operation (the hint lists those that do). */
  'ERR_WSDL_PORT_NOT_FOUND',
  /** Several ports offer the operation differently (address, SOAP version, security): pick one. */
  'ERR_WSDL_OPERATION_AMBIGUOUS',
  /** A construct Passerelle does not handle: WSDL 2.0, SOAP encoding, several body parts, ... */
  'ERR_WSDL_UNSUPPORTED',
] as const;

/**
 * eBox publication (`passerelle/ebox`). Codes named after a platform business error carry the
 * platform's code in details.businessCode; the same code is used when Passerelle refuses the
 * input itself before sending (details.origin 'client' instead of 'platform').
 */
export const EBOX_CODES = [
  /** A publication field is missing, too long, of the wrong form (details.field names it). */
  'ERR_EBOX_INVALID_INPUT',
  /** The signing certificate carries no `OU=urn:be:fgov:kbo-bce:organization:cbe-number:<CBE>`. */
  'ERR_EBOX_CERT_NO_CBE',
  /** SenderID names another institution than the certificate's (platform business error 20). */
  'ERR_EBOX_SENDER_MISMATCH',
  /** The (institution, application) may not publish this message type (business error 40, REST INVALID_SENDER). */
  'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED',
  /** The document's digest does not match the content received (business error 10). */
  'ERR_EBOX_DIGEST_MISMATCH',
  /** A digest algorithm the platform refuses, SHA-1 (business error 15). */
  'ERR_EBOX_DIGEST_ALGORITHM',
  /** The recipient is not a valid or known citizen/enterprise (business error 90). */
  'ERR_EBOX_INVALID_RECIPIENT',
  /** This ticket+sequence or Idempotency-Key was already used in a way that cannot be replaced (620, 409). */
  'ERR_EBOX_DUPLICATE',
  /** Another business error of the platform (details.businessCode). */
  'ERR_EBOX_BUSINESS',
  /** getMessageStatus: no message with this id for this sender. */
  'ERR_EBOX_MESSAGE_NOT_FOUND',
] as const;

/** Batch runs (`passerelle/batch`, `passerelle batch`). */
export const BATCH_CODES = [
  /** Some items of a run ended failed (dead letters) or were refused by validation. */
  'ERR_BATCH_ITEMS_FAILED',
  /** A --strict run refused as a whole: some rows are bad, nothing was sent. */
  'ERR_BATCH_MANIFEST_REJECTED',
] as const;

/** Onboarding (`passerelle/onboard`, `passerelle onboard init`). */
export const ONBOARD_CODES = [
  /** The onboarding answers (file or prompts) are refused; details.fields names each bad field. */
  'ERR_ONBOARD_ANSWERS_INVALID',
  /** The onboarding folder exists and is not empty (without --force). */
  'ERR_ONBOARD_OUT_EXISTS',
  /** Onboarding form data (firewall-flow, eBox request) refused; details.field names the field. */
  'ERR_ONBOARD_FORM_INVALID',
] as const;

/**
 * `passerelle doctor` findings that are not already another layer's error: a network, TLS or
 * certificate step of onboarding that is broken (the report names the step and the remedy).
 */
export const DOCTOR_CODES = [
  /** The environment lacks what the checks need (TLS credential, an endpoint to check). */
  'ERR_DOCTOR_CONFIG_INCOMPLETE',
  /** The TLS certificate's subject fits no certificate profile (or not the one asked). */
  'ERR_DOCTOR_SUBJECT_PROFILE',
  /** An endpoint host name does not resolve. */
  'ERR_DOCTOR_DNS',
  /** No answer to the TCP connection: a firewall flow is missing (or the route). */
  'ERR_DOCTOR_TCP_TIMEOUT',
  /** The TCP connection is refused: nothing listens on that port (or a firewall rejects). */
  'ERR_DOCTOR_TCP_REFUSED',
  /** No route to the host or network. */
  'ERR_DOCTOR_TCP_UNREACHABLE',
  /** TCP connects but the TLS handshake gets no answer. */
  'ERR_DOCTOR_TLS_TIMEOUT',
  /** The connection is reset or closed during the TLS handshake, before any certificate check. */
  'ERR_DOCTOR_TLS_DROPPED',
  /** The TLS handshake fails for another reason (protocol version, cipher, not TLS). */
  'ERR_DOCTOR_TLS_FAILED',
  /** The server certificate (or one of its chain) is outside its validity period. */
  'ERR_DOCTOR_SERVER_CERT_EXPIRED',
  /** The server chain does not lead to the configured CA bundle (trust.ca). */
  'ERR_DOCTOR_SERVER_CERT_UNTRUSTED',
  /** The server certificate does not name the host connected to. */
  'ERR_DOCTOR_SERVER_NAME_MISMATCH',
  /** The server refuses the client certificate (alert or connection dropped after it was sent). */
  'ERR_DOCTOR_CLIENT_CERT_REFUSED',
] as const;

export type UsageCode = (typeof USAGE_CODES)[number];
export type InternalCode = (typeof INTERNAL_CODES)[number];
export type FileCode = (typeof FILE_CODES)[number];
export type ConfigCode = (typeof CONFIG_CODES)[number];
export type PkiCode = (typeof PKI_CODES)[number];
export type IdsCode = (typeof IDS_CODES)[number];
export type XmlCode = (typeof XML_CODES)[number];
export type WssCode = (typeof WSS_CODES)[number];
export type SoapCode = (typeof SOAP_CODES)[number];
export type MtomCode = (typeof MTOM_CODES)[number];
export type TransportCode = (typeof TRANSPORT_CODES)[number];
export type StsCode = (typeof STS_CODES)[number];
export type OAuthCode = (typeof OAUTH_CODES)[number];
export type RestCode = (typeof REST_CODES)[number];
export type SandboxCode = (typeof SANDBOX_CODES)[number];
export type WsdlCode = (typeof WSDL_CODES)[number];
export type EboxCode = (typeof EBOX_CODES)[number];
export type BatchCode = (typeof BATCH_CODES)[number];
export type SftpCode = (typeof SFTP_CODES)[number];
export type MssCode = (typeof MSS_CODES)[number];
export type ContractCode = (typeof CONTRACT_CODES)[number];
export type OnboardCode = (typeof ONBOARD_CODES)[number];
export type DoctorCode = (typeof DOCTOR_CODES)[number];

export type ErrorCode =
  | UsageCode
  | InternalCode
  | FileCode
  | ConfigCode
  | PkiCode
  | IdsCode
  | XmlCode
  | WssCode
  | SoapCode
  | MtomCode
  | TransportCode
  | StsCode
  | OAuthCode
  | RestCode
  | SandboxCode
  | WsdlCode
  | EboxCode
  | BatchCode
  | SftpCode
  | MssCode
  | ContractCode
  | OnboardCode
  | DoctorCode;
