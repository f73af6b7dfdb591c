// MSSanté API LPS against the sandbox operator (run in a child process): SMTP submission of
// BENCH_MSS_COUNT messages (default 1,000) and IMAP fetch of as many messages of 100 KB, through
// our client (passerelle/mss: nodemailer and imapflow, XOAUTH2, one SMTP connection per message
// as `mss send` does, one IMAP session writing each message to a file as `mss fetch` does) next to
// Python's smtplib and imaplib doing the same against the same server in the same run.
// Alone: `node --import tsx bench/mss.ts`.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMssImap, sendMssMessage } from '../src/mss/index.ts';
import { type Bench, type BenchReport, runIfMain } from './_measure.ts';

const PYTHON = '/usr/bin/python3';
const BODY =
  `${'Compte rendu de consultation, ligne de texte de soixante-seize caracteres.... '.slice(0, 76)}\r\n`.repeat(
    Math.ceil(100_000 / 78),
  );

const SMTP_PY = String.raw`
import base64, os, smtplib, ssl, sys, time
E = os.environ
ctx = ssl.create_default_context(cafile=E['CA'])
n, port, frm, to, token = int(E['N']), int(E['PORT']), E['FROM'], E['TO'], E['TOKEN']
body = open(E['BODY']).read()
xo = base64.b64encode(('user=%s\x01auth=Bearer %s\x01\x01' % (frm, token)).encode()).decode()
t = time.perf_counter()
for i in range(n):
    s = smtplib.SMTP_SSL('127.0.0.1', port, context=ctx, timeout=30)
    s.ehlo()
    code, _ = s.docmd('AUTH', 'XOAUTH2 ' + xo)
    assert code == 235, code
    msg = 'From: %s\r\nTo: %s\r\nSubject: bench %d\r\nX-MSS-NIL: BENCH\r\n\r\n%s' % (frm, to, i, body)
    s.sendmail(frm, [to], msg)
    s.quit()
print(time.perf_counter() - t)
`;

const IMAP_PY = String.raw`
import imaplib, os, ssl, time
E = os.environ
ctx = ssl.create_default_context(cafile=E['CA'])
t = time.perf_counter()
m = imaplib.IMAP4_SSL('127.0.0.1', int(E['PORT']), ssl_context=ctx)
m.authenticate('XOAUTH2', lambda _: ('user=%s\x01auth=Bearer %s\x01\x01' % (E['USER'], E['TOKEN'])).encode())
m.select('INBOX', readonly=True)
typ, data = m.uid('SEARCH', None, 'ALL')
n = 0
for uid in data[0].split():
    typ, parts = m.uid('FETCH', uid, E['ITEMS'])
    with open(os.path.join(E['OUT'], E['PREFIX'] + uid.decode() + '.eml'), 'wb') as f:
        f.write(parts[0][1])
    n += 1
m.logout()
print(time.perf_counter() - t, n)
`;

function python(script: string, env: Record<string, string>): Promise<string> {
  const p = spawn(PYTHON, ['-'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  p.stdin.end(script);
  return once(p, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`python exited ${String(code)}`);
    return out.trim();
  });
}

const bench: Bench = {
  name: 'mss',
  description:
    'MSSanté SMTP submission and IMAP fetch of 100 KB messages: ours vs Python smtplib/imaplib (BENCH_MSS_COUNT)',
  async run(report: BenchReport) {
    const count = Number(process.env['BENCH_MSS_COUNT'] ?? 1000);
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-mss-'));
    const child = fork(new URL('./_mss-sandbox.ts', import.meta.url).pathname, [dir], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    try {
      const [{ endpoints, ca, tokens }] = (await once(child, 'message')) as [
        { endpoints: Record<string, string>; ca: string; tokens: Record<string, string> },
      ];
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, ca);
      const bodyFile = join(dir, 'body.txt');
      writeFileSync(bodyFile, BODY);
      const from = 'camille.martin@sandbox.mssante.fr';
      const oursTo = 'louis.bernard@sandbox.mssante.fr';
      const pyTo = 'ines.petit@sandbox.mssante.fr';
      const token = (m: string) => async () => tokens[m] as string;
      const smtp = {
        url: endpoints['mss.smtp'] as string,
        mailbox: from,
        ca,
        auth: { kind: 'xoauth2', accessToken: token(from) },
      } as const;

      let t = process.hrtime.bigint();
      for (let i = 0; i < count; i++)
        await sendMssMessage(smtp, { to: [oursTo], subject: `bench ${i}`, text: BODY, nil: 'BENCH' });
      const oursSmtp = Number(process.hrtime.bigint() - t) / 1e9;
      const pySmtp = Number(
        await python(SMTP_PY, {
          CA: caFile,
          N: String(count),
          PORT: new URL(endpoints['mss.smtp'] as string).port,
          FROM: from,
          TO: pyTo,
          TOKEN: tokens[from] as string,
          BODY: bodyFile,
        }),
      );

      const oursOut = join(dir, 'ours');
      const pyOut = join(dir, 'python');
      mkdirSync(oursOut);
      mkdirSync(pyOut);
      t = process.hrtime.bigint();
      const imap = await openMssImap({
        url: endpoints['mss.imap'] as string,
        mailbox: oursTo,
        ca,
        auth: { kind: 'xoauth2', accessToken: token(oursTo) },
      });
      const list = await imap.list();
      for (const m of list) await imap.fetchToDir(m.uid, oursOut);
      await imap.close();
      const oursImap = Number(process.hrtime.bigint() - t) / 1e9;
      const pyFetch = async (items: string, prefix: string) => {
        const [seconds, n] = (
          await python(IMAP_PY, {
            CA: caFile,
            PORT: new URL(endpoints['mss.imap'] as string).port,
            USER: pyTo,
            TOKEN: tokens[pyTo] as string,
            OUT: pyOut,
            ITEMS: items,
            PREFIX: prefix,
          })
        ).split(' ');
        return { seconds: Number(seconds), count: Number(n) };
      };
      const pyRaw = await pyFetch('(BODY.PEEK[])', 'raw-');
      const pyStruct = await pyFetch('(BODYSTRUCTURE BODY.PEEK[])', 'struct-');
      const bytes = (d: string) => readdirSync(d).reduce((s, f) => s + statSync(join(d, f)).size, 0);

      const line = (label: string, n: number, s: number, base?: number) =>
        report.line(
          `${label.padEnd(40)}${String(n).padStart(6)} msgs ${s.toFixed(2).padStart(7)} s ${(n / s).toFixed(0).padStart(6)} msg/s${base === undefined ? '' : `  ${(base / s).toFixed(2)}x Python`}`,
        );
      report.line(
        `messages of ${BODY.length} bytes; sandbox operator in a child process; XOAUTH2 over implicit TLS`,
      );
      line('Python smtplib (a connection per message)', count, pySmtp);
      line('ours sendMssMessage (nodemailer)', count, oursSmtp, pySmtp);
      line('Python imaplib BODY.PEEK[] → file', pyRaw.count, pyRaw.seconds);
      line('Python imaplib BODYSTRUCTURE BODY.PEEK[]', pyStruct.count, pyStruct.seconds);
      line('ours fetchToDir (imapflow) → file', list.length, oursImap, pyRaw.seconds);
      report.line(
        `ours vs Python fetching the structure too (what fetchToDir needs to split attachments): ${(pyStruct.seconds / oursImap).toFixed(2)}x`,
      );
      report.line(`bytes written: ours ${bytes(oursOut)}, Python ${bytes(pyOut) / 2} (each of its two runs)`);
      report.line(
        "SMTP: every connection waits smtp-server's 100 ms early-talker delay before its greeting (both clients alike)",
      );
    } finally {
      child.send('stop');
      await once(child, 'exit').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

await runIfMain(bench, import.meta.url);
