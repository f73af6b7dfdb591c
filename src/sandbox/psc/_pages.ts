import { randomBytes } from 'node:crypto';
import type { PscProfessional } from './professionals.ts';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value escaped for HTML. */
export function _escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1b1b35}
h1{font-size:1.4rem}.sandbox{background:#fff4d6;border:1px solid #e0b54a;padding:.5rem .8rem}
ul{list-style:none;padding:0}li{border:1px solid #ccd;border-radius:6px;margin:.7rem 0;padding:.7rem}
button{font-size:1rem;padding:.4rem 1rem;cursor:pointer}.rpps{font-family:monospace}`;

export interface _Page {
  readonly html: string;
  /** The Content-Security-Policy header of the page. */
  readonly csp: string;
}

/**
 * The stub's login page: one form per test professional (POST `rpps` to `action`); choosing
 * one logs in and consents at once. Everything shown is escaped; no script, no external
 * resource; the CSP allows the inline style by nonce, and form submission to this page and to
 * the client's redirect origin (browsers apply form-action to the redirects that follow).
 */
export function _renderLoginPage(o: {
  readonly action: string;
  readonly clientId: string;
  readonly professionals: readonly PscProfessional[];
  readonly redirectOrigin?: string;
}): _Page {
  const nonce = randomBytes(16).toString('base64');
  const items = o.professionals
    .map(
      (p) =>
        `<li><form method="post" action="${_escapeHtml(o.action)}">` +
        `<input type="hidden" name="rpps" value="${_escapeHtml(p.rpps)}">` +
        `<strong>${_escapeHtml(p.name)}</strong> — RPPS <span class="rpps">${_escapeHtml(p.rpps)}</span>` +
        `<br>Messageries : ${p.mailboxes.map(_escapeHtml).join(', ')}<br>` +
        `<button type="submit" data-rpps="${_escapeHtml(p.rpps)}">Se connecter en tant que ${_escapeHtml(p.name)}</button>` +
        '</form></li>',
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Pro Santé Connect (bac à sable)</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style nonce="${nonce}">${STYLE}</style></head>
<body><h1>Pro Santé Connect — bac à sable</h1>
<p class="sandbox">Environnement de test Passerelle : aucun moyen d'identification réel n'est demandé.
Choisissez un professionnel fictif pour l'application <strong>${_escapeHtml(o.clientId)}</strong> (niveau eidas1).</p>
<ul>
${items}
</ul></body></html>`;
  const formAction = ["'self'", ...(o.redirectOrigin === undefined ? [] : [o.redirectOrigin])].join(' ');
  return {
    html,
    csp: `default-src 'none'; style-src 'nonce-${nonce}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  };
}

/** The error page oidc-provider shows when it cannot redirect to the client (escaped; no script). */
export function _renderErrorPage(error: string, description: unknown): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Pro Santé Connect (bac à sable) — erreur</title></head>
<body><h1>Erreur</h1><p>error: <code id="error">${_escapeHtml(error)}</code></p>
${description === undefined ? '' : `<p id="error_description">${_escapeHtml(description)}</p>`}</body></html>`;
}
