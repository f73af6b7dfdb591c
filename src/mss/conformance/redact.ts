/**
 * Redaction of conformance transcripts. Every bearer token, JWT, or XOAUTH2 initial response
 * (base64 of `user=…\x01auth=Bearer …\x01\x01`, PROTOCOLS §9) is replaced by
 * `[REDACTED:token sha256:<8 hex>]`: the first 8 hex digits of the SHA-256 of the token itself
 * (for XOAUTH2, of the bearer token inside), so two transcripts can be compared without either
 * holding the token. Tokens split over several lines are found too: a line made only of
 * base64/base64url characters continues the token run of the line before it.
 */
import { createHash } from 'node:crypto';
import type { EvidenceLine } from './verdict.ts';

/** A run of token characters, continued by whole lines of token characters. */
const RUN = /[A-Za-z0-9+/=_.~-]+(?:\r?\n[A-Za-z0-9+/=_.~-]+(?=\r?\n|$))*/g;
/**
 * Where a credential follows: `Bearer`, or the client's XOAUTH2 command at the start of a line
 * (after an IMAP tag; not an SMTP reply such as `250 AUTH XOAUTH2 PLAIN`).
 */
const CARRIER = /\bbearer[ \t]+|(?:^|\n)(?![0-9]{3}[ -])(?:\S+[ \t]+)?auth(?:enticate)?[ \t]+xoauth2[ \t]+/gi;
const BEARER_IN = /auth=bearer[ \t]*([^\s\p{Cc}]+)/iu;

interface Range {
  start: number;
  end: number;
  marker: string;
}

export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 8);
}

const marker = (token: string) => `[REDACTED:token sha256:${tokenFingerprint(token)}]`;

/** The bearer token inside an XOAUTH2 initial response, when `run` is one. */
function xoauth2Token(run: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(run) || run.length < 12) return undefined;
  const decoded = Buffer.from(run, 'base64').toString('latin1');
  return BEARER_IN.exec(decoded)?.[1];
}

/** A compact JWS whose header starts `{"`. */
const EYJ = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\./;
const HEAD = /[A-Za-z0-9_-]{10,}$/;
const WHOLE = /^[A-Za-z0-9_-]{10,}$/;
const LEAD = /^[A-Za-z0-9_-]{10,}/;

/**
 * Whether a run holds a JWT anywhere: `eyJ…` (a header starting `{"`), or three long dotted
 * segments whose first decodes to a JSON object. Every triple of segments is tried, so a host
 * name glued before a token does not hide it, and a host name of three long labels alone is no
 * token.
 */
function holdsJwt(run: string): boolean {
  if (EYJ.test(run)) return true;
  const parts = run.split('.');
  for (let i = 0; i + 2 < parts.length; i++) {
    const head = HEAD.exec(parts[i]!)?.[0];
    if (
      head !== undefined &&
      WHOLE.test(parts[i + 1]!) &&
      LEAD.test(parts[i + 2]!) &&
      /^\s*\{/.test(Buffer.from(head, 'base64url').toString('latin1'))
    )
      return true;
  }
  return false;
}

function secretRanges(text: string): Range[] {
  const runs = new Map<number, { end: number; value: string }>();
  const ranges: Range[] = [];
  for (const m of text.matchAll(RUN)) {
    const value = m[0].replace(/\r?\n/g, '');
    const start = m.index ?? 0;
    runs.set(start, { end: start + m[0].length, value });
    const inner = xoauth2Token(value);
    if (inner !== undefined) ranges.push({ start, end: start + m[0].length, marker: marker(inner) });
    else if (holdsJwt(value)) ranges.push({ start, end: start + m[0].length, marker: marker(value) });
  }
  // After `Bearer` or `XOAUTH2` whatever follows is a credential, however short or malformed.
  for (const m of text.matchAll(CARRIER)) {
    const start = (m.index ?? 0) + m[0].length;
    const run = runs.get(start);
    if (!run) continue;
    ranges.push({ start, end: run.end, marker: marker(xoauth2Token(run.value) ?? run.value) });
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r.start < last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/** `text` with every token replaced by its marker. */
export function redactText(text: string): string {
  let out = '';
  let at = 0;
  for (const r of secretRanges(text)) {
    out += text.slice(at, r.start) + r.marker;
    at = r.end;
  }
  return out + text.slice(at);
}

/**
 * A transcript with every token replaced, line structure kept: a token split over several
 * lines leaves its marker on the first line and the rest of the token removed from the others.
 */
export function redactTranscript(lines: readonly EvidenceLine[]): EvidenceLine[] {
  // A token continues over lines of one direction only: a client's EHLO argument followed by the
  // server's `250-host` lines is no token.
  const out: EvidenceLine[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i + 1;
    while (j < lines.length && lines[j]?.dir === lines[i]?.dir) j++;
    out.push(...redactBlock(lines.slice(i, j)));
    i = j;
  }
  return out;
}

function redactBlock(lines: readonly EvidenceLine[]): EvidenceLine[] {
  const joined = lines.map((l) => l.text.replace(/\r?\n/g, ' ')).join('\n');
  const ranges = secretRanges(joined);
  let offset = 0;
  return lines.map((line) => {
    const text = line.text.replace(/\r?\n/g, ' ');
    const from = offset;
    const to = from + text.length;
    offset = to + 1;
    let out = '';
    let at = from;
    for (const r of ranges) {
      if (r.end <= from || r.start >= to) continue;
      if (r.start > at) out += joined.slice(at, r.start);
      if (r.start >= from) out += r.marker;
      at = Math.min(r.end, to);
    }
    if (at < to) out += joined.slice(at, to);
    return { dir: line.dir, text: out };
  });
}
