/**
 * The home page: the PSC endpoints the operator configures in its servers (with the test
 * introspection client's secret: this page is for the local operator, and the secret appears
 * nowhere else — not in the API, not in logs), and the form that launches a job. On invalid
 * input the form comes back with the values typed (never the client key) and the message
 * beside the field at fault.
 */
import { CATALOGUE, type CaseProtocol } from '../catalogue.ts';
import type { PscInfo } from './_api.ts';
import { html, layout, type Markup, SEVERITY_LABELS } from './_html.ts';

export interface FormValues {
  readonly operatorName?: string;
  readonly imap?: string;
  readonly smtp?: string;
  readonly mailbox?: string;
  readonly idNat?: string;
  readonly ca?: string;
  readonly clientCert?: string;
  readonly clientCertMailbox?: string;
  /** Checked case ids; undefined: all. */
  readonly cases?: readonly string[];
}

export interface FormError {
  /** A form field name (operatorName, imap, …, cases) or 'form'. */
  readonly field: string;
  readonly message: string;
}

const GROUPS: readonly [CaseProtocol, string][] = [
  ['imap', 'IMAP'],
  ['smtp', 'SMTP (soumission)'],
  ['both', 'IMAP et SMTP'],
  ['psc', 'Pro Santé Connect'],
  ['operator-interface', 'Interface opérateur'],
];

/** The form field an input error belongs to. */
export function formFieldOf(field: string): string {
  return field === 'clientCertificate'
    ? 'clientCert'
    : field === 'clientCertificateMailbox'
      ? 'clientCertMailbox'
      : field === 'selection'
        ? 'cases'
        : field;
}

function pscSection(psc: PscInfo): Markup {
  const row = (label: string, value: string, cls = '') =>
    html`<tr><th>${label}</th><td><code class="${cls}">${value}</code></td></tr>`;
  return html`<section id="psc"><h2>Pro Santé Connect : à configurer sur vos serveurs</h2>
<p class="help">L’application joue le rôle de Pro Santé Connect. Configurez une fois ces adresses sur vos serveurs IMAP et SMTP (validation des jetons XOAUTH2 par introspection) avant de lancer un test ; elles ne changent pas d’un test à l’autre.</p>
<table class="kv"><tbody>
${row('Émetteur (issuer)', psc.issuer)}
${row('URL d’introspection', psc.introspection)}
${row('URL des clés publiques (JWKS)', psc.jwks)}
${row('URL de découverte', psc.discovery)}
${row('Client d’introspection (client_id)', psc.introspectionClient.clientId)}
${row('Secret du client d’introspection', psc.introspectionClient.clientSecret, 'secret')}
</tbody></table></section>`;
}

function field(
  name: string,
  label: string,
  value: string | undefined,
  error: FormError | undefined,
  opts: { placeholder?: string; help?: string; textarea?: boolean; required?: boolean } = {},
): Markup {
  const bad = error?.field === name;
  const attrs = html`id="f-${name}" name="${name}" class="${bad ? 'invalid' : ''}"${
    opts.placeholder ? html` placeholder="${opts.placeholder}"` : ''
  }${opts.required ? html` required` : ''}${bad ? html` aria-invalid="true" aria-describedby="e-${name}"` : ''}`;
  const input = opts.textarea
    ? html`<textarea ${attrs} spellcheck="false">${value ?? ''}</textarea>`
    : html`<input type="text" ${attrs} value="${value ?? ''}" autocomplete="off" spellcheck="false">`;
  return html`<div><label for="f-${name}">${label}</label>${input}${
    opts.help ? html`<p class="help">${opts.help}</p>` : ''
  }${bad ? html`<p class="field-error" id="e-${name}">${error.message}</p>` : ''}</div>`;
}

function casesFieldsets(checked: readonly string[] | undefined, error: FormError | undefined): Markup {
  const sets = GROUPS.map(([protocol, label]) => {
    const cases = CATALOGUE.filter((c) => c.protocol === protocol);
    if (cases.length === 0) return '';
    return html`<fieldset data-protocol="${protocol}"><legend>${label}</legend>${cases.map(
      (c) =>
        html`<label class="case"><input type="checkbox" name="cases" value="${c.id}"${
          checked === undefined || checked.includes(c.id) ? html` checked` : ''
        }><span><code>${c.id}</code> <span class="sev sev-${c.severity}">${SEVERITY_LABELS[c.severity]}</span><small>${c.requirement}</small></span></label>`,
    )}</fieldset>`;
  });
  return html`<div id="f-cases">${sets}${
    error?.field === 'cases' ? html`<p class="field-error" id="e-cases">${error.message}</p>` : ''
  }</div>`;
}

/** The home page; `status` 400 when re-rendered after an input error. */
export function homePage(
  psc: PscInfo,
  defaultCa: string | undefined,
  values: FormValues = {},
  error?: FormError,
): string {
  const ca = values.ca ?? defaultCa ?? '';
  const body = html`<h1>Application de test et de contrôle des opérateurs MSSanté</h1>
${pscSection(psc)}
<section><h2>Lancer un test de conformité</h2>
${error?.field === 'form' ? html`<p class="error-box">${error.message}</p>` : ''}
${error !== undefined && error.field !== 'form' ? html`<p class="error-box" role="alert">Le formulaire contient une erreur : voir le champ signalé.</p>` : ''}
<form method="post" action="/jobs" id="job-form">
<div class="grid">
${field('operatorName', 'Opérateur', values.operatorName, error, { placeholder: 'Nom de l’opérateur MSSanté', required: true })}
${field('mailbox', 'Boîte aux lettres', values.mailbox, error, { placeholder: 'prenom.nom@domaine.mssante.fr', required: true })}
${field('imap', 'Serveur IMAP', values.imap, error, { placeholder: 'imaps://imap.operateur.fr:993', help: 'imaps:// (TLS dès la connexion) ou imap:// (STARTTLS)', required: true })}
${field('smtp', 'Serveur SMTP', values.smtp, error, { placeholder: 'smtps://smtp.operateur.fr:465', help: 'smtps:// (TLS dès la connexion) ou smtp:// (STARTTLS) ; même hôte que l’IMAP', required: true })}
${field('idNat', 'IdNat du titulaire (RPPS)', values.idNat, error, { placeholder: '810001234567', required: true })}
</div>
${field('ca', 'Autorité de certification des serveurs (PEM)', ca, error, { textarea: true, help: 'Les certificats racine ou intermédiaires qui signent les certificats de vos serveurs (IGC Santé en production).' })}
<fieldset><legend>Accès par certificat client (facultatif)</legend>
<p class="help">Sans certificat, les cas d’accès par certificat client ne sont pas exécutés. La clé n’est conservée que le temps du test.</p>
<div class="grid">
${field('clientCert', 'Certificat client (PEM)', values.clientCert, error, { textarea: true })}
${field('clientKey', 'Clé privée (PEM, non chiffrée)', undefined, error, { textarea: true, help: error !== undefined ? 'Par sécurité la clé n’est pas réaffichée : collez-la à nouveau.' : undefined })}
</div>
${field('clientCertMailbox', 'Boîte ouverte par le certificat (facultatif)', values.clientCertMailbox, error, { placeholder: 'application@domaine.mssante.fr', help: 'Une boîte applicative ; par défaut la boîte aux lettres ci-dessus.' })}
</fieldset>
<h2>Cas à exécuter</h2>
${casesFieldsets(values.cases, error)}
<p><button type="submit">Lancer le test</button></p>
</form></section>`;
  return layout('Nouveau test', body);
}
