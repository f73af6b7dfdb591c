import type { MessageStructureObject } from 'imapflow';
import type { MssMessageHeaders } from './types.ts';

/** A leaf part of a message that is an attachment. */
export interface AttachmentPart {
  readonly part: string;
  readonly filename: string | undefined;
  readonly contentType: string;
  readonly size: number;
}

/**
 * The attachment parts of a BODYSTRUCTURE: leaves with an `attachment` disposition, or with a
 * file name (disposition or `name` parameter) that are not the message's inline text body.
 */
export function attachmentParts(root: MessageStructureObject | undefined): AttachmentPart[] {
  const out: AttachmentPart[] = [];
  const walk = (node: MessageStructureObject) => {
    if (node.childNodes?.length) {
      for (const child of node.childNodes) walk(child);
      return;
    }
    const filename = node.dispositionParameters?.['filename'] ?? node.parameters?.['name'];
    const isAttachment =
      node.disposition === 'attachment' ||
      (filename !== undefined && node.disposition !== 'inline') ||
      (filename !== undefined && !node.type.startsWith('text/'));
    if (isAttachment && node.part)
      out.push({ part: node.part, filename, contentType: node.type, size: node.size ?? 0 });
  };
  if (root) walk(root);
  return out;
}

/** Reads the X-MSS-* fields out of the raw header lines imapflow fetched. */
export function mssHeadersOf(raw: Buffer | undefined): MssMessageHeaders {
  if (!raw) return {};
  const unfolded = raw.toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const out: { -readonly [K in keyof MssMessageHeaders]: string } = {};
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^x-mss-(nil|codecda|ins|mes)\s*:\s*(.*)$/i.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase() as keyof MssMessageHeaders;
    out[key] ??= m[2]!.trim().slice(0, 500);
  }
  return out;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const UNSAFE = /[\x00-\x1f\x7f/\\:*?"<>|]/g;

/**
 * A file name safe to create in a folder: the last path segment only, no control or reserved
 * characters, no leading dots, at most 120 characters; `fallback` when nothing is left.
 */
export function safeFileName(name: string | undefined, fallback: string): string {
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  let clean = last
    .replace(UNSAFE, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  if (clean.length > 120) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, 120 - ext.length) + ext;
  }
  return clean.length === 0 || clean === '.' || clean === '..' ? fallback : clean;
}

/** `name`, then `name-1.ext`, `name-2.ext`, …: the candidates for a file that must not overwrite. */
export function numbered(name: string, n: number): string {
  if (n === 0) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${n}${name.slice(dot)}` : `${name}-${n}`;
}
