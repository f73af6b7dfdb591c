import type { ServerResponse } from 'node:http';

/** A JSON reply, never cached. */
export function _sendJson(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}
