import { Readable } from 'node:stream';

export const BOUNDARY = 'MIMEBoundary_test';
export const CT = `multipart/related; type="application/xop+xml"; boundary="${BOUNDARY}"; start="<root@test>"; start-info="text/xml"`;

export const ENVELOPE = (href = 'cid:doc1@test') =>
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  `<t:upload xmlns:t="urn:test"><t:doc><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="${href}"/></t:doc></t:upload>` +
  '</soapenv:Body></soapenv:Envelope>';

/** A hand-made package (test fixture text): root then the given parts. */
export function rawPackage(
  parts: { headers: string[]; body: string | Buffer }[],
  opts: { close?: boolean; root?: string } = {},
): Buffer {
  const chunks: Buffer[] = [];
  const root = opts.root ?? ENVELOPE();
  chunks.push(
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="text/xml"\r\nContent-ID: <root@test>\r\n\r\n${root}\r\n`,
    ),
  );
  for (const p of parts) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\n${p.headers.join('\r\n')}\r\n\r\n`));
    chunks.push(typeof p.body === 'string' ? Buffer.from(p.body) : p.body);
    chunks.push(Buffer.from('\r\n'));
  }
  if (opts.close !== false) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** Feeds a buffer in chunks of `size` bytes (to cross every boundary position). */
export function chunked(data: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
    })(),
  );
}

export async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
