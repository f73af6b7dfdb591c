/**
 * Redaction of traced HTTP messages: headers and URLs in one piece, bodies as a stream (a body
 * may be gigabytes; it is never held whole). Each secret is replaced by `[REDACTED:<kind>]` and
 * its kind recorded. A SAML holder-of-key assertion is not a secret (useless without the key)
 * and is never touched, so that a signed request stays byte-exact.
 */

/** A secret in a body: it starts right after `open` matches and ends where `close` matches. */
interface _Rule {
  readonly open: RegExp;
  /** Absent: the secret runs to the end of the body. */
  readonly close: RegExp;
  readonly kind: (match: RegExpExecArray) => string;
}

/** Longest opener we look for; the unscanned tail kept between chunks. */
const HOLD = 256;

const PEM: _Rule = {
  open: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g,
  close: /-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/g,
  kind: () => 'private-key',
};

const JSON_FIELDS: _Rule = {
  open: /"(access_token|refresh_token|id_token|client_secret|client_assertion|assertion|password|code_verifier|subject_token|actor_token)"\s*:\s*"/g,
  close: /(?<!\\)"/g,
  kind: (m) => m[1]!,
};

const XML_PASSWORD: _Rule = {
  open: /<(?:[\w.-]+:)?Password(?:\s[^<>]*)?>/g,
  close: /</g,
  kind: () => 'password',
};

// `(?<![^&])`: at the start of the body or right after `&` (a virtual `&` precedes the body).
const FORM_FIELDS: _Rule = {
  open: /(?<![^&])(client_assertion|client_secret|password|refresh_token|code|code_verifier|access_token|assertion|subject_token|actor_token)=/g,
  close: /&/g,
  kind: (m) => m[1]!,
};

const FORM_TYPE = /^\s*application\/x-www-form-urlencoded\s*(?:;|$)/i;

/** The redacting filter of one body, by its content type. */
export class _BodyRedactor {
  readonly #rules: readonly _Rule[];
  /** Unprocessed text (latin1: one char per byte); `#buf[0]` is context, processing starts at 1. */
  #buf = '&';
  #inside: _Rule | undefined;
  readonly kinds: string[] = [];

  constructor(contentType: string) {
    this.#rules = FORM_TYPE.test(contentType)
      ? [PEM, FORM_FIELDS, JSON_FIELDS]
      : [PEM, JSON_FIELDS, XML_PASSWORD];
  }

  /** Whether anything was redacted so far. */
  get redacted(): boolean {
    return this.kinds.length > 0;
  }

  /** Filters a chunk; returns what can be written now (possibly empty). */
  push(chunk: Buffer): Buffer {
    this.#buf += chunk.toString('latin1');
    return this.#run(false);
  }

  /** Flushes the held tail at the end of the body. */
  end(): Buffer {
    return this.#run(true);
  }

  #run(final: boolean): Buffer {
    const text = this.#buf;
    let out = '';
    let i = 1;
    for (;;) {
      if (this.#inside !== undefined) {
        const close = this.#inside.close;
        close.lastIndex = i;
        const m = close.exec(text);
        if (m !== null) {
          i = m.index;
          this.#inside = undefined;
          continue;
        }
        // The secret goes on: drop it, keeping a tail in which a split closer may start.
        if (!final) i = Math.max(i, text.length - HOLD);
        else i = text.length;
        break;
      }
      let best: { m: RegExpExecArray; rule: _Rule } | undefined;
      for (const rule of this.#rules) {
        rule.open.lastIndex = i;
        const m = rule.open.exec(text);
        if (m !== null && (best === undefined || m.index < best.m.index)) best = { m, rule };
      }
      if (best === undefined) {
        const cut = final ? text.length : Math.max(i, text.length - HOLD);
        out += text.slice(i, cut);
        i = cut;
        break;
      }
      const end = best.m.index + best.m[0].length;
      const kind = best.rule.kind(best.m);
      out += `${text.slice(i, end)}[REDACTED:${kind}]`;
      this.kinds.push(kind);
      this.#inside = best.rule;
      i = end;
    }
    // Keep one character of context before the unprocessed tail (for the look-behinds).
    this.#buf = text.slice(i - 1);
    return Buffer.from(out, 'latin1');
  }
}

const SECRET_HEADERS: Readonly<Record<string, string>> = {
  dpop: 'dpop',
  cookie: 'cookie',
  'set-cookie': 'cookie',
  'x-api-key': 'api-key',
};

/**
 * One header value, redacted when it carries a credential: `Authorization` and
 * `Proxy-Authorization` keep their scheme (`Bearer [REDACTED:bearer]`), DPoP proofs, cookies
 * and API keys are replaced whole.
 */
export function _redactHeader(name: string, value: string): { value: string; kind?: string } {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const m = /^(\s*)(\S+)(\s+)\S/.exec(value);
    if (m === null) return { value: '[REDACTED:authorization]', kind: 'authorization' };
    const scheme = m[2]!.toLowerCase();
    const kind = scheme === 'bearer' || scheme === 'basic' || scheme === 'dpop' ? scheme : 'authorization';
    return { value: `${m[1]}${m[2]}${m[3]}[REDACTED:${kind}]`, kind };
  }
  const kind = SECRET_HEADERS[lower];
  return kind === undefined ? { value } : { value: `[REDACTED:${kind}]`, kind };
}

/** Redacts the header lines of an HTTP head (`name: value\r\n` lines after the first line). */
export function _redactHead(head: string): { head: string; kinds: string[] } {
  const kinds: string[] = [];
  const lines = head.split('\r\n').map((line, n) => {
    const colon = line.indexOf(':');
    if (n === 0 || colon <= 0) return line;
    const name = line.slice(0, colon);
    const raw = line.slice(colon + 1);
    const lead = /^\s*/.exec(raw)![0];
    const r = _redactHeader(name, raw.slice(lead.length));
    if (r.kind === undefined) return line;
    kinds.push(r.kind);
    return `${name}:${lead}${r.value}`;
  });
  return { head: lines.join('\r\n'), kinds };
}

const SECRET_QUERY = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
]);

/** A request target (path and query) with the values of credential query parameters redacted. */
export function _redactTarget(target: string): { target: string; kinds: string[] } {
  const q = target.indexOf('?');
  if (q < 0) return { target, kinds: [] };
  const kinds: string[] = [];
  const query = target
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      if (eq < 0 || !SECRET_QUERY.has(decoded)) return pair;
      kinds.push(decoded);
      return `${name}=[REDACTED:${decoded}]`;
    })
    .join('&');
  return { target: `${target.slice(0, q)}?${query}`, kinds };
}
