import assert from 'node:assert/strict';
import { PasserelleError } from '../../src/errors.ts';
import { excC14n } from '../../src/xml/c14n.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { DEBIAN_PYTHON, runPeer } from '../_support/peers.ts';

/**
 * The libxml2 differential of parse-peer.test.ts: our parse + exc-c14n of whole documents against
 * libxml2's (python3-lxml, test/vectors/xml/lxml_parse.py).
 */

const LXML = new URL('../vectors/xml/lxml_parse.py', import.meta.url).pathname;

type Ours =
  | { parsed: false; code: string }
  | { parsed: true; c14n: string; code?: undefined }
  | { parsed: true; c14n?: undefined; code: string };

function ours(xml: string): Ours {
  let doc: ReturnType<typeof parseXml>;
  try {
    doc = parseXml(xml);
  } catch (e) {
    if (!(e instanceof PasserelleError)) throw e;
    return { parsed: false, code: e.code };
  }
  try {
    return { parsed: true, c14n: excC14n(doc.documentElement!) };
  } catch (e) {
    if (!(e instanceof PasserelleError)) throw e;
    return { parsed: true, code: e.code };
  }
}

interface Peer {
  ok: boolean;
  c14n?: string;
  c14nRefused?: true;
  error?: string;
  invalidUri?: string;
}

function lxml(docs: readonly string[]): Peer[] {
  const r = runPeer(DEBIAN_PYTHON, [LXML], JSON.stringify(docs));
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Peer[];
}

/** Our policy refusals (DOCTYPE, processing instructions) are a superset of libxml2's. */
const POLICY = new Set(['ERR_XML_DOCTYPE', 'ERR_XML_PROCESSING_INSTRUCTION']);
/** RFC 3986 §3.1: an absolute URI starts with a scheme and ":". */
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const WIDE_CHAR = /[\u{10000}-\u{10FFFF}]/u;

export interface Tally {
  /** Documents with an expectation (libxml2's verdict or canonical form), all met. */
  compared: number;
  /** Both refuse the document; libxml2's c14n refuses, so does ours. */
  refused: number;
  c14nRefused: number;
  /** Same canonical form, byte for byte; of those, with a character outside the BMP. */
  sameC14n: number;
  sameWide: number;
  /** libxml2 refuses the structure of an absolute namespace URI whose characters we accept. */
  exempt: number;
  policy: number;
}

/**
 * libxml2's verdict is the expectation: a parse refusal must be ours too, a c14n refusal must be
 * refused by our c14n (ERR_XML_RELATIVE_NAMESPACE), a canonical form must be ours byte for byte.
 */
export function compare(docs: readonly string[]): Tally {
  const theirs = lxml(docs);
  const n: Tally = {
    compared: 0,
    refused: 0,
    c14nRefused: 0,
    sameC14n: 0,
    sameWide: 0,
    exempt: 0,
    policy: 0,
  };
  docs.forEach((xml, i) => {
    const mine = ours(xml);
    const peer = theirs[i]!;
    const label = JSON.stringify(xml).slice(0, 300);
    const said = `ours ${mine.parsed ? (mine.code ?? 'accepts') : `rejects (${mine.code})`}, libxml2 ${peer.ok ? (peer.c14nRefused ? 'parses, its c14n refuses' : 'accepts') : `rejects (${peer.error})`}`;
    if (!mine.parsed && POLICY.has(mine.code)) {
      n.policy++;
      return;
    }
    n.compared++;
    if (!peer.ok && mine.parsed && peer.invalidUri !== undefined) {
      // libxml2 also parses the structure of namespace URIs (a port must be digits, no IRI
      // characters, ...); we check their characters. Still, a relative one must not be canonicalised.
      if (ABSOLUTE.test(peer.invalidUri)) {
        n.compared--;
        n.exempt++;
      } else assert.equal(mine.code, 'ERR_XML_RELATIVE_NAMESPACE', `${label}: ${said}`);
      return;
    }
    if (!peer.ok) {
      assert.equal(mine.parsed, false, `${label}: ${said}`);
      n.refused++;
      return;
    }
    assert.ok(mine.parsed, `${label}: ${said}`);
    if (peer.c14nRefused) {
      assert.equal(mine.code, 'ERR_XML_RELATIVE_NAMESPACE', `${label}: ${said}`);
      n.c14nRefused++;
      return;
    }
    // libxml2 writes "&" in a namespace node as "&#38;" where C14N 1.0 §2.3 says "&amp;".
    assert.equal(mine.c14n, peer.c14n!.replaceAll('&#38;', '&amp;'), `${label}: canonical forms differ`);
    n.sameC14n++;
    if (WIDE_CHAR.test(xml)) n.sameWide++;
  });
  return n;
}
