/** Choosing a declared media type or response. */
import { bareMediaType, isJsonMedia } from './_json.ts';
import type { ContractMedia, ContractOperation, ContractResponse } from './types.ts';

/** The declared media that `contentType` falls under: exact first, then `type/*`, then `*\/*`. */
export function mediaFor(contents: readonly ContractMedia[], contentType: string): ContractMedia | undefined {
  const bare = bareMediaType(contentType);
  const [type] = bare.split('/');
  return (
    contents.find((m) => bareMediaType(m.mediaType) === bare) ??
    contents.find((m) => bareMediaType(m.mediaType) === `${type}/*`) ??
    contents.find((m) => bareMediaType(m.mediaType) === '*/*')
  );
}

/** The declared response for a status: exact, then `2XX`, then `default`. */
export function responseFor(op: ContractOperation, status: number): ContractResponse | undefined {
  const code = String(status);
  return (
    op.responses.find((r) => r.status === code) ??
    op.responses.find((r) => r.status.toUpperCase() === `${code[0]}XX`) ??
    op.responses.find((r) => r.status === 'default')
  );
}

/** The JSON media of a list, else the first (undefined when empty). */
export function preferJson(contents: readonly ContractMedia[]): ContractMedia | undefined {
  return contents.find((m) => isJsonMedia(m.mediaType)) ?? contents[0];
}

/** A minimal PDF (header, one empty page, trailer): what a sample of a binary payload carries. */
const TINY_PDF =
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/** Sample bytes for a non-JSON media type: XML, text, else a tiny PDF-like payload. */
export function sampleBytes(mediaType: string): Uint8Array {
  const bare = bareMediaType(mediaType);
  const text = bare.endsWith('xml') ? '<sample/>\n' : bare.startsWith('text/') ? 'sample\n' : TINY_PDF;
  return new Uint8Array(Buffer.from(text, 'latin1'));
}
