import { FrozenClock } from '../src/clock.ts';
import { signEnvelope } from '../src/wss/index.ts';
import { childElements, Document, excC14n, NS, parseXml, serializeXml } from '../src/xml/index.ts';
import type { Element } from '../src/xml/node.ts';
import { TEST_NOW, testPki } from '../test/_support/credentials.ts';
import { type Bench, median } from './_measure.ts';

/** Alternating rounds; each op gets one window per round. */
const ROUNDS = 9;
const WINDOW_MS = 120;

/** The KSZ-like request of bench/wss.ts (20 rows: about 7 KB once signed). */
function envelope(rows: number): string {
  let items = '';
  for (let i = 0; i < rows; i++) {
    items += `<v1:person><v1:ssin>8501010010${i % 10}</v1:ssin><v1:name lang="fr">Dupont &amp; fils ${i}</v1:name><v1:birthDate>1985-01-0${1 + (i % 9)}</v1:birthDate></v1:person>`;
  }
  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="urn:be:fgov:test:v1"><soapenv:Header/><soapenv:Body><v1:request><v1:informationCustomer><v1:ticket>b1b7c4e6-1f0e-4a53-9d4a-6f1c2b7e9a10</v1:ticket><v1:timestampSent>2026-06-15T12:00:00.000+02:00</v1:timestampSent></v1:informationCustomer>${items}</v1:request></soapenv:Body></soapenv:Envelope>`;
}

const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU µs per call of `fn` over one window of about `ms` milliseconds of CPU time. */
function window(fn: () => unknown, ms: number): number {
  const start = cpuMicros();
  const budget = ms * 1000;
  let n = 0;
  let used = 0;
  while (used < budget) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
    used = cpuMicros() - start;
  }
  return used / n;
}

function count(el: Element): { elements: number; attributes: number } {
  let elements = 1;
  let attributes = el.attributes.length;
  for (const c of childElements(el)) {
    const sub = count(c);
    elements += sub.elements;
    attributes += sub.attributes;
  }
  return { elements, attributes };
}

const bench: Bench = {
  name: 'xml',
  description:
    'src/xml on the signed RSA bench envelope: CPU µs per call (process.cpuUsage), median of alternating rounds',
  async run(report) {
    const pki = await testPki();
    const signed = signEnvelope(envelope(20), { credential: pki.rsa, clock: new FrozenClock(TEST_NOW) });
    const doc = parseXml(signed);
    const root = doc.documentElement!;
    const body = childElements(root, NS.soapenv, 'Body')[0]!;
    const signature = root.getElementsByTagNameNS(NS.ds, 'Signature')[0]!;
    const signedInfo = childElements(signature, NS.ds, 'SignedInfo')[0]!;
    // A pristine parse serialises as a slice of its source: serialise a copy built node by node.
    const built = new Document();
    built.appendChild(built.importNode(root, true));
    const ops: readonly (readonly [string, () => unknown])[] = [
      ['parseXml', () => parseXml(signed)],
      ['serializeXml (built DOM, no source)', () => serializeXml(built)],
      ['excC14n root (no PrefixList)', () => excC14n(root)],
      // The PrefixLists signEnvelope writes for these.
      ['excC14n Body', () => excC14n(body, { inclusivePrefixes: ['v1'] })],
      ['excC14n SignedInfo', () => excC14n(signedInfo, { inclusivePrefixes: ['soapenv', 'v1'] })],
    ];
    const { elements, attributes } = count(root);
    report.line(
      `signed envelope ${(Buffer.byteLength(signed) / 1024).toFixed(1)} KB, ${elements} elements, ${attributes} attributes`,
    );
    for (const [, fn] of ops) window(fn, 300);
    const samples: number[][] = ops.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < ops.length; i++) samples[i]!.push(window(ops[i]![1], WINDOW_MS));
    }
    ops.forEach(([label], i) => {
      const us = median(samples[i]!);
      report.rate(label, 1e6 / us, `${us.toFixed(1)} µs CPU per call`);
    });
  },
};

export default bench;
