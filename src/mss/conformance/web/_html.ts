/**
 * HTML building for the pages: a tagged template that escapes every interpolated value unless
 * it is already markup built here, the shared layout with its one inline style, and the
 * Content-Security-Policy that allows exactly that style and the page's script (by hash).
 */
import { createHash } from 'node:crypto';

/** Markup built by `html`; anything else interpolated is escaped. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function part(value: unknown): string {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1]!;
  return new Markup(out);
}

const STYLE = `*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2327;background:#f4f6f8}
header{background:#00356b;color:#fff;padding:.8em 2em;display:flex;align-items:baseline;gap:2em}
header a{color:#fff;text-decoration:none}header .brand{font-weight:600;font-size:1.15em}
header nav a{margin-right:1.2em;opacity:.85}header nav a:hover{opacity:1;text-decoration:underline}
main{max-width:1100px;margin:1.5em auto;padding:0 1.5em}
h1{font-size:1.45em;margin:.2em 0 .6em}h2{font-size:1.15em;margin:0 0 .6em}
section{background:#fff;border:1px solid #dde3e8;border-radius:6px;padding:1.1em 1.4em;margin-bottom:1.4em}
table{border-collapse:collapse;width:100%}th,td{padding:.35em .6em;border-bottom:1px solid #e5e9ed;text-align:left;vertical-align:top}
th{font-weight:600;color:#44505a;font-size:.9em}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.88em;overflow-wrap:anywhere}
.kv th{width:16em}
label{display:block;font-weight:600;margin:.8em 0 .25em}
input[type=text],input[type=url],input[type=email],textarea{width:100%;padding:.45em .55em;border:1px solid #b8c2cc;border-radius:4px;font:inherit}
textarea{font-family:ui-monospace,monospace;font-size:12px;min-height:7em}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 1.4em}
.help{color:#5f6b75;font-size:.88em;margin:.2em 0 0}
.field-error{color:#b3261e;font-size:.9em;margin:.25em 0 0}.invalid{border-color:#b3261e!important;background:#fff6f5}
fieldset{border:1px solid #e5e9ed;border-radius:4px;margin:.8em 0;padding:.5em 1em}legend{font-weight:600;padding:0 .3em}
.case{display:flex;gap:.6em;align-items:flex-start;margin:.3em 0;font-weight:400}.case input{margin-top:.3em}
.case small{display:block;color:#5f6b75}
button{background:#00356b;color:#fff;border:0;border-radius:4px;padding:.6em 1.4em;font:inherit;font-weight:600;cursor:pointer}
button:hover{background:#0b4f94}button.secondary{background:#fff;color:#00356b;border:1px solid #00356b}
.sev{display:inline-block;font-size:.75em;padding:0 .45em;border-radius:3px;font-weight:600;text-transform:uppercase;letter-spacing:.02em}
.sev-blocking{background:#fde2e0;color:#8c1d18}.sev-major{background:#fff0d6;color:#7a4a00}.sev-minor{background:#e6f0fa;color:#0b4f94}.sev-informational{background:#eceff1;color:#44505a}
.st{font-weight:600}.st-passed{color:#1b7a33}.st-failed,.st-error{color:#b3261e}.st-skipped,.st-pending,.st-not-applicable{color:#6b7780}.st-running,.st-queued{color:#a35c00}
.st-finished{color:#1b7a33}.st-cancelled{color:#6b7780}
.verdict{font-size:1.2em;font-weight:700;padding:.6em 1em;border-radius:5px;margin:.4em 0 .8em}
.v-conformant{background:#e3f4e8;color:#14532d}.v-non-conformant-major{background:#fff0d6;color:#7a4a00}.v-non-conformant-blocking{background:#fde2e0;color:#8c1d18}
progress{width:100%;height:14px;margin:.2em 0 1em;accent-color:#0b4f94}
.nw{white-space:nowrap}.nw code{overflow-wrap:normal}
.msg{overflow-wrap:anywhere}
.vt{font-weight:600}.vt-conformant{color:#1b7a33}.vt-non-conformant-major{color:#a35c00}.vt-non-conformant-blocking{color:#b3261e}
.error-box{background:#fde2e0;color:#8c1d18;padding:.7em 1em;border-radius:5px}
.links a{margin-right:1.2em}.secret{background:#fff8e1;padding:.1em .35em;border-radius:3px}
@media (max-width:760px){.grid{grid-template-columns:1fr}}`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Content-Security-Policy of a page with `script` (or none) as its only inline script. */
export function pageCsp(script?: string): string {
  return [
    "default-src 'none'",
    `style-src ${hash(STYLE)}`,
    `script-src ${script === undefined ? "'none'" : hash(script)}`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A whole page: header with the navigation, `body` in main, the page's script last. */
export function layout(title: string, body: Markup, script?: string): string {
  return html`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Conformité MSSanté</title><style>${new Markup(STYLE)}</style></head>
<body><header><a class="brand" href="/">Conformité MSSanté — API LPS</a>
<nav><a href="/">Nouveau test</a><a href="/jobs">Jobs</a><a href="/api/v1/catalogue">API</a></nav></header>
<main>${body}</main>${script === undefined ? '' : new Markup(`<script>${script}</script>`)}</body></html>
`.text;
}

export const SEVERITY_LABELS: Record<string, string> = {
  blocking: 'bloquant',
  major: 'majeur',
  minor: 'mineur',
  informational: 'info',
};
export const STATUS_LABELS: Record<string, string> = {
  pending: 'en attente',
  running: 'en cours',
  passed: 'réussi',
  failed: 'échoué',
  error: 'erreur',
  skipped: 'non exécuté',
  'not-applicable': 'sans objet',
  queued: 'en file',
  finished: 'terminé',
  cancelled: 'annulé',
};
export const VERDICT_LABELS: Record<string, string> = {
  conformant: 'Conforme',
  'non-conformant-major': 'Non conforme — non-conformités majeures',
  'non-conformant-blocking': 'Non conforme — non-conformités bloquantes',
};
