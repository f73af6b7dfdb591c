import { xdmMetadata, xmlEscape } from './_xdm-metadata.ts';
import { storedZip } from './_xdm-zip.ts';
import type { CdaDocument } from './cda.ts';

/** The attachment name MSSanté uses for an IHE XDM archive. */
export const XDM_ATTACHMENT_NAME = 'IHE_XDM.ZIP';

export interface XdmOptions {
  /** The archive's time (entries and submissionTime); default now. */
  readonly date?: Date;
  /** Text of README.TXT's first line (the sending software); default `Passerelle`. */
  readonly software?: string;
}

/** The archive and what it holds. */
export interface XdmArchive {
  readonly zip: Buffer;
  /** Paths inside the archive of the documents, in order. */
  readonly documents: readonly string[];
}

/**
 * Builds an IHE XDM archive (ITI TF-1 §16, ITI TF-3 §4.2.1.2 media layout) of CDA documents:
 * `INDEX.HTM`, `README.TXT`, `IHE_XDM/SUBSET01/METADATA.XML` (see xdmMetadata) and
 * `IHE_XDM/SUBSET01/DOC0001.XML`, … with the documents' bytes unchanged. Entries are stored
 * (no compression), so the archive is deterministic but for the unique ids of the metadata.
 */
export function buildXdm(docs: readonly CdaDocument[], options: XdmOptions = {}): XdmArchive {
  if (docs.length === 0) throw new Error('buildXdm: no document');
  if (docs.length > 9999) throw new Error('buildXdm: at most 9999 documents');
  const date = options.date ?? new Date();
  const software = (options.software ?? 'Passerelle').replace(/[^\x20-\x7e]/g, '');
  const files = docs.map((doc, i) => ({ file: `DOC${String(i + 1).padStart(4, '0')}.XML`, doc }));
  const readme = [
    `${software}: IHE XDM media (IHE ITI Cross-Enterprise Document Media Interchange).`,
    'Content: IHE_XDM/SUBSET01, one submission set; METADATA.XML describes its documents.',
    '',
  ].join('\r\n');
  const index = [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><title>IHE XDM</title></head><body>',
    '<h1>IHE XDM</h1><p><a href="README.TXT">README.TXT</a></p><ul>',
    ...files.map(
      ({ file, doc }) =>
        `<li><a href="IHE_XDM/SUBSET01/${file}">${xmlEscape(doc.title ?? doc.displayName ?? doc.code)}</a> (${xmlEscape(doc.code)})</li>`,
    ),
    '</ul></body></html>',
    '',
  ].join('\r\n');
  const entries = [
    { name: 'INDEX.HTM', data: Buffer.from(index, 'utf8') },
    { name: 'README.TXT', data: Buffer.from(readme, 'utf8') },
    { name: 'IHE_XDM/SUBSET01/METADATA.XML', data: Buffer.from(xdmMetadata(files, date), 'utf8') },
    ...files.map(({ file, doc }) => ({ name: `IHE_XDM/SUBSET01/${file}`, data: doc.bytes })),
  ];
  return { zip: storedZip(entries, date), documents: files.map(({ file }) => `IHE_XDM/SUBSET01/${file}`) };
}
