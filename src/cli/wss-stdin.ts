import { PasserelleError } from '../errors.ts';
import { decodeXml } from '../utf8.ts';

/** Reads all of stdin as bytes (at most `maxBytes`: ERR_XML_LIMIT beyond); refuses a terminal. */
export async function readStdinBytes(
  stream: NodeJS.ReadStream = process.stdin,
  maxBytes = 64 * 1024 * 1024,
): Promise<Buffer> {
  if (stream.isTTY) {
    throw new PasserelleError('ERR_USAGE', 'Expected XML on stdin', {
      hint: 'Pipe or redirect the XML: passerelle wss sign ... < envelope.xml',
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes)
      throw new PasserelleError('ERR_XML_LIMIT', `The input exceeds ${maxBytes} bytes`, {
        hint: `Pipe one envelope of at most ${maxBytes} bytes on stdin.`,
      });
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Reads all of stdin as strict UTF-8 (`decodeXml`; the envelope of `wss sign` / `wss verify`); refuses a terminal. */
export async function readStdin(
  stream: NodeJS.ReadStream = process.stdin,
  maxBytes = 64 * 1024 * 1024,
): Promise<string> {
  return decodeXml(await readStdinBytes(stream, maxBytes));
}
