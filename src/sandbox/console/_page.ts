import { createHash } from 'node:crypto';

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}
h2{font-size:1.1em;margin-top:1.5em}h3{font-size:1em;margin:1.2em 0 .4em}table{border-collapse:collapse}
td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
code,.log td,.mono{font-family:ui-monospace,monospace;font-size:12px}.warn{color:#a60}.error{color:#b00}#err{color:#b00}
#exchanges tr{cursor:pointer}#exchanges tr:hover{background:#f3f3f3}#exchanges tr.sel{background:#e8eefc}
pre{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f7f7;border:1px solid #ddd;padding:.6em;max-height:30em;overflow:auto}
.ok{color:#070}.failed,.mismatch,.refused{color:#b00;font-weight:bold}.not-checked,.not-run{color:#777}.deferred,.pending{color:#a60}
.trunc{color:#a60;font-style:italic}#detail[hidden]{display:none}`;

const SCRIPT = `'use strict';
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
};
function row(cells, cls) {
  const tr = el('tr', undefined, cls);
  for (const c of cells) {
    const td = el('td');
    if (c instanceof Node) td.append(c);
    else td.textContent = c === undefined || c === null ? '' : String(c);
    tr.append(td);
  }
  return tr;
}
const verdict = (v, code) => el('span', v + (code ? ' (' + code + ')' : ''), v);
const shortAlg = (uri) => { const s = el('span', String(uri || '').replace(/^.*[#/]/, '')); s.title = uri || ''; return s; };
let selected = null;
async function refresh() {
  try {
    const status = await (await fetch('api/v1/status')).json();
    const log = await (await fetch('api/v1/log?limit=50')).json();
    const journal = await (await fetch('api/v1/exchanges?limit=200')).json();
    $('started').textContent = status.startedAt;
    $('modules').replaceChildren(...status.modules.map((m) => row([m.name, Object.entries(m.stats).map(([k, v]) => k + '=' + v).join(' ')])));
    $('endpoints').replaceChildren(...Object.entries(status.endpoints).map(([k, v]) => row([k, v])));
    $('journal').textContent = journal.recorded + ' recorded, last ' + journal.capacity + ' kept' + (journal.dropped ? ' (' + journal.dropped + ' dropped)' : '');
    $('exchanges').replaceChildren(...journal.exchanges.map((x) => {
      const tr = row([x.id, x.time, x.listener, x.method + ' ' + x.path, x.status, x.fault || '',
        x.verification ? verdict(x.verification.outcome, x.verification.code) : '', x.durationMs + ' ms'],
        (x.status >= 400 || x.status === 0 ? 'error' : '') + (x.id === selected ? ' sel' : ''));
      tr.dataset.id = x.id;
      return tr;
    }));
    $('log').replaceChildren(...log.entries.slice().reverse().map((e) =>
      row([e.time, e.level, e.module, e.msg, JSON.stringify(e.fields)], e.level)));
    $('err').textContent = '';
  } catch (e) {
    $('err').textContent = 'sandbox unreachable: ' + e.message;
  }
}
function body(title, headers, b, first) {
  const box = document.createDocumentFragment();
  box.append(el('h3', title + ' (' + b.bytes + ' bytes)'));
  const lines = (first ? [first] : []).concat(Object.entries(headers).map(([k, v]) => k + ': ' + v));
  box.append(el('pre', lines.join('\\n'), 'headers'));
  const pre = el('pre', b.text, 'body');
  if (b.truncated) pre.append(el('span', '\\n[TRUNCATED: ' + b.bytes + ' bytes in all; the rest was not kept]', 'trunc'));
  box.append(pre);
  return box;
}
function signatureTable(title, s) {
  const box = document.createDocumentFragment();
  box.append(el('h3', title));
  const facts = el('table');
  facts.append(row(['Signature algorithm', shortAlg(s.signatureAlgorithm)]));
  facts.append(row(['SignatureValue', verdict(s.signatureValue, s.signatureValueCode)]));
  if (s.signer) facts.append(row(['Signer', s.signer.subject]), row(['Signer trust', verdict(s.signer.trust, s.signer.trustCode)]));
  box.append(facts);
  const refs = el('table', undefined, 'refs');
  refs.append(row(['Reference URI', 'Points at', 'Digest algorithm', 'Digest'].map((h) => el('b', h))));
  for (const r of s.references) refs.append(row([r.uri, r.target || '(unresolved)', shortAlg(r.digestAlgorithm), verdict(r.digest, r.code)]));
  box.append(refs);
  return box;
}
async function show(id) {
  selected = id;
  const d = $('detail');
  if (!id) { d.hidden = true; return; }
  const res = await fetch('api/v1/exchanges/' + encodeURIComponent(id));
  if (!res.ok) { d.hidden = false; d.replaceChildren(el('p', 'Exchange ' + id + ' is no longer in the journal.', 'error')); return; }
  const x = await res.json();
  const parts = [el('h2', 'Exchange ' + x.id)];
  const facts = el('table');
  for (const [k, v] of [['Time', x.time], ['Listener', x.listener], ['Request', x.method + ' ' + x.path],
    ['SOAPAction', x.soapAction], ['Client TLS certificate', x.clientSubject], ['Status', x.status + (x.completed ? '' : ' (connection closed before the reply was complete)')],
    ['Fault', x.fault], ['Reason', x.reason], ['Operation', x.operation], ['Duration', x.durationMs + ' ms']]) {
    if (v !== undefined && v !== null && v !== '') facts.append(row([k, v]));
  }
  parts.push(facts);
  const v = x.verificationReport;
  if (v) {
    parts.push(el('h3', 'WS-Security verification'));
    const t = el('table');
    t.append(row(['Outcome', verdict(v.outcome, v.code)]));
    if (v.timestamp) t.append(row(['Timestamp', verdict(v.timestamp.verdict, v.timestamp.code)]),
      row(['Created / Expires', (v.timestamp.created || '?') + ' / ' + (v.timestamp.expires || '?')]));
    parts.push(t);
    if (v.message) parts.push(signatureTable('Message signature: per-reference verdicts', v.message));
    if (v.assertion) parts.push(signatureTable('Assertion signature (holder-of-key token)', v.assertion));
  }
  parts.push(body('Request', x.requestHeaders, x.request, x.method + ' ' + x.path));
  parts.push(body('Reply', x.replyHeaders, x.reply, 'HTTP ' + x.status));
  d.replaceChildren(...parts);
  d.hidden = false;
  for (const tr of $('exchanges').children) tr.classList.toggle('sel', tr.dataset.id === id);
}
$('exchanges').addEventListener('click', (e) => {
  const tr = e.target.closest('tr');
  if (tr && tr.dataset.id) location.hash = 'exchange-' + tr.dataset.id;
});
const fromHash = () => show((/^#exchange-(\\d+)$/.exec(location.hash) || [])[1] || null).catch((e) => { $('err').textContent = e.message; });
window.addEventListener('hashchange', fromHash);
refresh().then(fromHash);
setInterval(refresh, 2000);`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Content-Security-Policy allowing exactly the inline style and script of the page. */
export const CONSOLE_CSP = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/**
 * The console page: no framework, no external assets; it reads the JSON API every 2 s. Every
 * value received is put in the page as text (textContent), never as markup.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Passerelle sandbox</title>
<style>${STYLE}</style></head>
<body><h1>Passerelle sandbox</h1><p>Started <span id="started"></span> <span id="err"></span></p>
<h2>Modules</h2><table><tbody id="modules"></tbody></table>
<h2>Endpoints</h2><table><tbody id="endpoints"></tbody></table>
<h2>Exchanges</h2><p>What the listeners received and answered, newest first: <span id="journal"></span>. Click one for its request, reply and verdicts.</p>
<table><thead><tr><th>#</th><th>Time</th><th>Listener</th><th>Request</th><th>Status</th><th>Fault</th><th>Verification</th><th>Duration</th></tr></thead><tbody id="exchanges"></tbody></table>
<section id="detail" hidden></section>
<h2>Recent log</h2><table class="log"><tbody id="log"></tbody></table>
<script>${SCRIPT}</script></body></html>
`;
