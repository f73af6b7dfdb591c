import { Agent, request } from 'undici';
import type { EboxSandbox } from './_ebox.ts';

/** GETs a path of the console (the citizen inbox API lives under /api/v1/ebox/). */
export async function consoleGet(
  s: EboxSandbox,
  path: string,
  method: 'GET' | 'HEAD' = 'GET',
): Promise<{
  status: number;
  type: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: () => Record<string, unknown>;
}> {
  const agent = new Agent({ connect: { ca: s.sandbox.pki.ca.certPem } });
  try {
    const base = s.sandbox.endpoints['console']!.replace(/\/$/, '');
    const res = await request(`${base}${path}`, { method, dispatcher: agent });
    const body = Buffer.from(await res.body.arrayBuffer());
    return {
      status: res.statusCode,
      type: String(res.headers['content-type'] ?? ''),
      headers: res.headers,
      body,
      json: () => JSON.parse(body.toString('utf8')) as Record<string, unknown>,
    };
  } finally {
    await agent.close();
  }
}
