import type { ServerResponse } from 'node:http';

/**
 * Writes `xml` as the whole reply. With `endAfter` (a refused body still being drained), the
 * reply is written at once, with `connection: close`, but only ended when `endAfter` settles:
 * the client has the complete reply (Content-Length) while it is still sending. `close` asks for
 * `connection: close` in any case.
 */
export function _sendXml(
  res: ServerResponse,
  status: number,
  xml: string,
  {
    endAfter,
    close = false,
  }: { readonly endAfter?: Promise<void> | undefined; readonly close?: boolean } = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
    'content-type': 'text/xml; charset=utf-8',
    'content-length': body.length,
    ...(endAfter === undefined && !close ? {} : { connection: 'close' }),
  });
  if (endAfter === undefined) {
    res.end(body);
    return;
  }
  res.write(body);
  void endAfter.then(() => res.end());
}
