/**
 * One document publication to a citizen's eBox, as the SOAP (`EBoxMessage` v1) and REST (message
 * registry v2) clients take it. The same input serves both transports: what only one of them
 * uses is said so. Limits are the official contracts' (PROTOCOLS.md §7, contracts/ebox).
 */
export interface EboxPublication {
  /** The citizen's INSS/NISS (11 digits; dots and dashes allowed). */
  readonly recipient: string;
  /** The registered message type (6 to 80 characters). */
  readonly messageType: string;
  /** The subject in one language (at most 400 characters): the SOAP Document Title. */
  readonly subject: EboxSubject;
  /** The main content: exactly one. */
  readonly document: EboxDocument;
  /** REST only: up to 5 annexes (upfile2..6). SOAP annexes are not supported for citizens. */
  readonly annexes?: readonly EboxDocument[];
  /** SOAP: the functional id (1 to 25 characters); with `sequence`, the idempotency key. */
  readonly ticket?: string;
  /** SOAP: 0 to 99999, to publish several documents under one ticket. */
  readonly sequence?: number;
  /**
   * SOAP SenderID / REST senderApplicationId: the application URN. Omit with a dedicated
   * certificate (the platform reads it from the certificate CN).
   */
  readonly senderApplication?: string;
  /** SOAP SenderID/Institution / REST senderOrganizationId: must be the certificate's CBE. */
  readonly senderInstitution?: string;
  /** REST only: the Idempotency-Key (default: derived from ticket+sequence, else a new UUID). */
  readonly idempotencyKey?: string;
  /** REST only: whether the citizen may reply (default false). */
  readonly replyAuthorized?: boolean;
}

export type EboxLanguage = 'fr' | 'nl' | 'de';

export interface EboxSubject {
  readonly lang: EboxLanguage;
  readonly text: string;
}

export interface EboxDocument {
  /** The file to send; streamed, never held in memory. */
  readonly path: string;
  /** The file name the citizen downloads (at most 80 characters); default the path's base name. */
  readonly fileName?: string;
  /** One of EBOX_MIME_TYPES; default from the file name's extension. */
  readonly mime?: string;
  /** Default SHA-256. SHA-1 is refused (the platform's business error 15). */
  readonly digestAlgorithm?: EboxDigestAlgorithm;
}

export type EboxDigestAlgorithm = 'SHA-256' | 'SHA-512';

/** The MIME types the EBoxMessage contract enumerates. */
export const EBOX_MIME_TYPES = [
  'application/pdf',
  'application/zip',
  'text/csv',
  'text/html',
  'text/plain',
  'text/xml',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/vnd.oasis.opendocument.graphics',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;

/** The bounds the contracts set. */
export const EBOX_LIMITS = {
  subject: 400,
  messageTypeMin: 6,
  messageTypeMax: 80,
  fileName: 80,
  ticket: 25,
  sequenceMax: 99_999,
  application: 150,
  annexes: 5,
} as const;
