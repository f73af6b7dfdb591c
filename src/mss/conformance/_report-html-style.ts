/**
 * The inline style sheet of the HTML conformity report: no external font or image, readable on
 * screen and printed (A4), colours backed by words so the page still reads in black and white.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ok: #1b6e2e; --major: #a35200; --blocking: #b00020; --grey: #555; --line: #ccc; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem; font: 15px/1.45 system-ui, "Segoe UI", Helvetica, Arial, sans-serif; color: #111; background: #fff; }
h1 { font-size: 1.55rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 2px solid #222; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
h4 { font-size: .95rem; margin: .8rem 0 .2rem; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
.en { font-size: .8em; color: var(--grey); font-weight: normal; }
p.en, div.en { margin: .1rem 0 0; }
.verdict { border: 3px solid var(--grey); border-radius: 6px; padding: .8rem 1rem; margin: 1rem 0; }
.verdict .verdict-label { margin: 0; text-transform: uppercase; letter-spacing: .05em; font-size: .8rem; color: var(--grey); }
.verdict .verdict-headline { margin: .2rem 0 0; font-size: 1.7rem; font-weight: 700; }
.verdict .verdict-sub { margin: .4rem 0 0; }
.verdict .scale { margin: .6rem 0 0; font-size: .78rem; color: var(--grey); }
.tone-conformant { border-color: var(--ok); background: #eef8f0; } .tone-conformant .verdict-headline { color: var(--ok); }
.tone-major { border-color: var(--major); background: #fdf3e7; } .tone-major .verdict-headline { color: var(--major); }
.tone-blocking { border-color: var(--blocking); background: #fdecee; } .tone-blocking .verdict-headline { color: var(--blocking); }
.tone-incomplete { border-color: #333; background: #f0f0f0; border-style: dashed; }
.notice { border-left: 6px solid #333; background: #fff7d6; padding: .6rem .9rem; margin: 1rem 0; }
.notice strong { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef2f7; font-weight: 600; }
table.fields th { width: 15rem; }
table.counts td, table.counts th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.value { overflow-wrap: anywhere; white-space: pre-line; }
.mono, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 3px; font-size: .85rem; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.st-passed { color: var(--ok); } .st-not-applicable { color: var(--grey); }
.st-failed, .st-error { color: #fff; background: var(--blocking); border-color: var(--blocking); }
.st-skipped, .st-missing { color: #333; background: #e4e4e4; }
tr.failed td { background: #fff3f4; }
article.case { border: 1px solid var(--line); border-radius: 5px; padding: .2rem 1rem .8rem; margin: 1rem 0; page-break-inside: avoid; }
article.case.failed { border: 2px solid var(--blocking); }
article.case h3 { display: flex; flex-wrap: wrap; gap: .6rem; align-items: baseline; }
article.case dl { display: grid; grid-template-columns: 12rem 1fr; gap: .25rem .8rem; margin: .4rem 0; }
article.case dt { font-weight: 600; }
article.case dd { margin: 0; overflow-wrap: anywhere; }
pre.evidence { background: #f6f6f6; border: 1px solid #ddd; padding: .5rem .7rem; margin: .3rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .82rem; line-height: 1.35; }
pre.evidence .d { font-weight: 700; }
pre.evidence .ev-c .d { color: #0b4f8a; } pre.evidence .ev-s .d { color: #5a2d82; } pre.evidence .ev-note { color: var(--grey); font-style: italic; }
.ctl { color: #b00020; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: .5rem; color: var(--grey); font-size: .85rem; }
a { color: #0b4f8a; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } a { color: inherit; text-decoration: none; } }
`;
