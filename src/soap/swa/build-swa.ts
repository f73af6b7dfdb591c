import { buildMtom, type MtomPackage } from '../mtom/build-mtom.ts';
import type { MtomAttachment } from '../mtom/types.ts';

export interface BuildSwaOptions {
  /** Content-ID of the root part; default a fresh `<uuid>@passerelle`. */
  readonly rootContentId?: string;
  /** The multipart boundary; default `uuid:` + 128 random bits. */
  readonly boundary?: string;
}

/** A SOAP with Attachments package, produced as it is read. */
export type SwaPackage = MtomPackage;

/**
 * Builds a SOAP with Attachments 1.0 package (W3C note; WS-I Attachments Profile 1.0) as a stream:
 * `multipart/related; type="text/xml"; start="<root>"; boundary=...`, the root part
 * `text/xml; charset=UTF-8` holding the envelope, then one part per attachment with its
 * Content-ID and Content-Type, read from its source only while the package is consumed (never
 * held in memory). The envelope references each part by a `cid:` URL (wsi:swaRef, see `cid.url`).
 * `contentLength` is exact when every attachment size is known; an attachment whose size changes
 * while it is sent makes the stream fail. Caller mistakes are TypeErrors.
 */
export function buildSwa(
  envelope: string,
  attachments: readonly MtomAttachment[],
  options: BuildSwaOptions = {},
): Promise<SwaPackage> {
  return buildMtom(envelope, attachments, { ...options, packaging: 'swa' });
}
