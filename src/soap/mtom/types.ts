import type { Readable } from 'node:stream';

/**
 * Where an attachment's bytes come from. `file`, `open` and `data` can be read more than once
 * (what a signature needs: one pass to digest, one to send); `stream` only once.
 */
export type MtomAttachmentSource =
  | { readonly file: string }
  | { readonly open: () => Readable; readonly size?: number }
  | { readonly data: Uint8Array }
  | { readonly stream: Readable; readonly size?: number };

export interface MtomAttachment {
  /** The Content-ID, without angle brackets; the envelope references it as `cid:` + %-encoded id. */
  readonly contentId: string;
  /** Default application/octet-stream. */
  readonly contentType?: string;
  readonly source: MtomAttachmentSource;
}

/** A received attachment: its body as a stream, read once. */
export interface ReceivedMtomAttachment {
  readonly contentId: string;
  readonly contentType: string;
  readonly stream: Readable;
}
