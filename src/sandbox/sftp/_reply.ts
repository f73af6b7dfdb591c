import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDocument } from '../../xml/node.ts';
import { serializeXml } from '../../xml/serialize.ts';

/** How the sandbox answered a submission. */
export type _ReplyStatus = 'ACCEPTED' | 'REJECTED' | 'CANCELLED';

/** Why a submission was rejected (the `code` of `<Reason>`). */
export type _ReasonCode =
  | 'NAME_INVALID'
  | 'SENDER_MISMATCH'
  | 'FI_MISSING'
  | 'FI_INCOMPLETE'
  | 'FS_MISSING'
  | 'FS_MALFORMED'
  | 'FS_INVALID'
  | 'FS_UNTRUSTED'
  | 'FS_ALGORITHM';

export interface _Reply {
  /** The FI name the reply is about (or the GO/TD name when the name itself is invalid). */
  readonly submission: string;
  readonly status: _ReplyStatus;
  readonly reason?: { readonly code: _ReasonCode; readonly text: string } | undefined;
  /** When the sandbox received the trigger (ISO 8601, the sandbox clock). */
  readonly receivedAt: string;
}

/**
 * The acknowledgement XML [inferred: the platform's own reply format is not in the seeds]:
 * `<Acknowledgement><Submission/><Status/><Reason code=""/>?<ReceivedAt/></Acknowledgement>`,
 * built as a DOM and serialised (never spliced), with an XML declaration.
 */
export function _replyXml(reply: _Reply): string {
  const doc = createDocument(null, 'Acknowledgement');
  const root = doc.documentElement;
  if (root === null) throw new TypeError('no root');
  const add = (name: string, text: string) => {
    const el = doc.createElement(name);
    el.appendChild(doc.createTextNode(text));
    root.appendChild(el);
    return el;
  };
  add('Submission', reply.submission);
  add('Status', reply.status);
  if (reply.reason !== undefined) add('Reason', reply.reason.text).setAttribute('code', reply.reason.code);
  add('ReceivedAt', reply.receivedAt);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(doc)}\n`;
}

/**
 * Writes the reply as `<outDir>/<name>` through a hidden temporary file and a rename, so a
 * client listing OUT/ never sees a partial reply.
 */
export async function _writeReply(outDir: string, name: string, reply: _Reply): Promise<string> {
  const tmp = join(outDir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, _replyXml(reply), { mode: 0o644, flag: 'wx' });
    await rename(tmp, join(outDir, name));
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  return join(outDir, name);
}
