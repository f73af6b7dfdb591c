import type { HttpClient, HttpRequestOptions, HttpResponse } from '../../src/oauth/types.ts';

export interface FakeCall {
  readonly url: string;
  readonly options: HttpRequestOptions;
}

/** An HttpClient answering from a function, recording the calls. */
export function fakeHttp(
  answer: (url: string, options: HttpRequestOptions) => HttpResponse | Promise<HttpResponse>,
): HttpClient & { calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  return {
    calls,
    async request(url, options = {}) {
      calls.push({ url: String(url), options });
      return answer(String(url), options);
    },
    async requestStream() {
      throw new Error('not used');
    },
    close: async () => {},
  };
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}
