import { createHash } from 'node:crypto';

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}
h2{font-size:1.1em;margin-top:1.5em}table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
code,.log td{font-family:ui-monospace,monospace;font-size:12px}.warn{color:#a60}.error{color:#b00}#err{color:#b00}`;

const SCRIPT = `'use strict';
const $ = (id) => document.getElementById(id);
function row(cells, cls) {
  const tr = document.createElement('tr');
  if (cls) tr.className = cls;
  for (const c of cells) { const td = document.createElement('td'); td.textContent = String(c); tr.append(td); }
  return tr;
}
async function refresh() {
  try {
    const status = await (await fetch('api/v1/status')).json();
    const log = await (await fetch('api/v1/log?limit=50')).json();
    $('started').textContent = status.startedAt;
    $('modules').replaceChildren(...status.modules.map((m) => row([m.name, Object.entries(m.stats).map(([k, v]) => k + '=' + v).join(' ')])));
    $('endpoints').replaceChildren(...Object.entries(status.endpoints).map(([k, v]) => row([k, v])));
    $('log').replaceChildren(...log.entries.slice().reverse().map((e) =>
      row([e.time, e.level, e.module, e.msg, JSON.stringify(e.fields)], e.level)));
    $('err').textContent = '';
  } catch (e) {
    $('err').textContent = 'sandbox unreachable: ' + e.message;
  }
}
refresh();
setInterval(refresh, 2000);`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Content-Security-Policy allowing exactly the inline style and script of the page. */
export const CONSOLE_CSP = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** The console page: no framework, no external assets; it reads the JSON API every 2 s. */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Passerelle sandbox</title>
<style>${STYLE}</style></head>
<body><h1>Passerelle sandbox</h1><p>Started <span id="started"></span> <span id="err"></span></p>
<h2>Modules</h2><table><tbody id="modules"></tbody></table>
<h2>Endpoints</h2><table><tbody id="endpoints"></tbody></table>
<h2>Recent log</h2><table class="log"><tbody id="log"></tbody></table>
<script>${SCRIPT}</script></body></html>
`;
