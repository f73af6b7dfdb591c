import { PasserelleError } from '../errors.ts';

/** Strict UTF-8 decoding of the reply (an encoding declaration other than UTF-8 is refused). */
export function decodeStsReply(body: Buffer | string): string {
  if (typeof body === 'string') return body;
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch (cause) {
    throw new PasserelleError('ERR_STS_RESPONSE_INVALID', 'The STS reply is not valid UTF-8', { cause });
  }
  const decl = /^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(source);
  if (decl && !/^utf-?8$/i.test(decl[1]!)) {
    throw new PasserelleError('ERR_STS_RESPONSE_INVALID', 'The STS reply is not UTF-8 encoded');
  }
  return source;
}
