import type { EboxDigestAlgorithm } from './publication.ts';
import type { EboxSenderIdentity } from './sender-identity.ts';

/** What a publication returned, over SOAP (EBoxMessage v1) or REST (message registry v2). */
export interface EboxPublishResult {
  /** The platform's id of the published message (SOAP `ID`, REST `messageId`). */
  readonly messageId: string;
  readonly transport: 'soap' | 'rest';
  /** The recipient's INSS, 11 digits. */
  readonly recipient: string;
  /** The main document as sent: its digest was computed from the bytes read from disk. */
  readonly document: {
    readonly fileName: string;
    readonly mime: string;
    /** Bytes sent. */
    readonly size: number;
    readonly digestAlgorithm: EboxDigestAlgorithm;
    /** Base64, as in the request's Digest/DigestValue. */
    readonly digest: string;
  };
  /** SOAP: the MessageID ticket. */
  readonly ticket?: string;
  /** SOAP: the MessageID sequence, when given. */
  readonly sequence?: number;
  /** REST: the Idempotency-Key sent. */
  readonly idempotencyKey?: string;
  /** REST: when the message expires from the eBox (ISO 8601), as answered. */
  readonly expirationDate?: string;
  /** REST: true when the platform answered NO_DIGITAL_USER (the citizen never opened their eBox). */
  readonly noDigitalUser?: boolean;
  /** The sender as the platform identifies it (institution CBE from the certificate, application). */
  readonly sender: EboxSenderIdentity;
}
