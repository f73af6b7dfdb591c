import { childElements, parseXml, textOnly } from '../xml/index.ts';

/** What a reply says, as far as Passerelle can tell (for display; the file is kept byte for byte). */
export interface ReplyStatus {
  readonly status: 'ACCEPTED' | 'REJECTED' | 'CANCELLED' | 'unknown';
  readonly reason?: { readonly code?: string; readonly text?: string };
  /** The FI name the reply names, when it says. */
  readonly submission?: string;
}

/**
 * Best-effort reading of an acknowledgement (`<Acknowledgement><Submission/><Status/><Reason
 * code="…">text</Reason></Acknowledgement>`, as the sandbox writes it); any other content
 * (the real platform's formats, binary, too large) is status `unknown`.
 */
export function _readAcknowledgement(bytes: Buffer): ReplyStatus {
  if (bytes.length > 1024 * 1024 || bytes.length === 0) return { status: 'unknown' };
  try {
    const doc = parseXml(bytes.toString('utf8'));
    const root = doc.documentElement;
    if (root?.localName !== 'Acknowledgement') return { status: 'unknown' };
    const child = (name: string) => childElements(root).find((e) => e.localName === name);
    const statusText = child('Status') ? textOnly(child('Status')!)?.trim() : undefined;
    const status =
      statusText === 'ACCEPTED' || statusText === 'REJECTED' || statusText === 'CANCELLED'
        ? statusText
        : 'unknown';
    const reasonEl = child('Reason');
    const code = reasonEl?.getAttribute('code') ?? undefined;
    const text = reasonEl ? textOnly(reasonEl)?.trim() : undefined;
    const submission = child('Submission') ? textOnly(child('Submission')!)?.trim() : undefined;
    return {
      status,
      ...(reasonEl ? { reason: { ...(code ? { code } : {}), ...(text ? { text } : {}) } } : {}),
      ...(submission ? { submission } : {}),
    };
  } catch {
    return { status: 'unknown' };
  }
}
