import { isPasserelleError } from '../errors.ts';
import { childElements, textOnly } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { type CheckVerdict, SignatureReport, type SignatureReportJson } from '../xmldsig/report.ts';

/**
 * Where verification stands: accepted, refused (with `code`), `pending` (MTOM: everything but
 * the Body digest checked, which waits for the attachments), or `not-run`.
 */
export type VerificationOutcome = 'ok' | 'refused' | 'pending' | 'not-run';

export interface TimestampReport {
  /** wsu:Created and wsu:Expires as written (at most 64 characters each). */
  readonly created: string | undefined;
  readonly expires: string | undefined;
  /** The window and replay check: `failed` with ERR_WSS_TIMESTAMP_* or ERR_WSS_REPLAY in `code`. */
  readonly verdict: CheckVerdict;
  readonly code?: string;
}

export interface VerificationReportJson {
  readonly outcome: VerificationOutcome;
  /** The code the verifier threw (ERR_WSS_*, ERR_SAML_*, ERR_XML_*), when refused. */
  readonly code?: string;
  /** The message signature (undefined until one was parsed). */
  readonly message: SignatureReportJson | undefined;
  /** SAML holder-of-key only: the assertion's own enveloped signature. */
  readonly assertion: SignatureReportJson | undefined;
  /** The Security header's wsu:Timestamp (undefined: none, or not reached). */
  readonly timestamp: TimestampReport | undefined;
}

const raw = (el: Element | undefined): string | undefined =>
  el === undefined ? undefined : (textOnly(el) ?? '').trim().slice(0, 64);

/**
 * A collector for `verifyEnvelope`, `verifyMtomEnvelope` and `verifyHokEnvelope` (option
 * `report`): what was checked and how each check went, per Reference (URI, what it points at,
 * digest algorithm, digest verdict), the SignatureValue, the signer and its trust, the
 * Timestamp, and the outcome. It is filled even when verification throws, and the verifier
 * throws exactly what it throws without it (a report only makes it go on checking digests
 * after a first failure). It holds no key, token or signature value. Read it with `toJSON()`.
 */
export class VerificationReport {
  #outcome: VerificationOutcome = 'not-run';
  #code: string | undefined;
  #message: SignatureReport | undefined;
  #assertion: SignatureReport | undefined;
  #timestamp: { -readonly [K in keyof TimestampReport]: TimestampReport[K] } | undefined;

  /** Verifier side: the report of the message signature. */
  message(): SignatureReport {
    this.#message ??= new SignatureReport();
    return this.#message;
  }

  /** Verifier side: the report of the holder-of-key assertion's signature. */
  assertion(): SignatureReport {
    this.#assertion ??= new SignatureReport();
    return this.#assertion;
  }

  /** Verifier side: the wsu:Timestamp found (its times as written), not checked yet. */
  timestampFound(timestamp: Element | undefined): void {
    if (timestamp === undefined) return;
    this.#timestamp = {
      created: raw(childElements(timestamp, NS.wsu, 'Created')[0]),
      expires: raw(childElements(timestamp, NS.wsu, 'Expires')[0]),
      verdict: 'not-checked',
    };
  }

  /** Verifier side: the freshness and replay check (no error: passed). */
  timestampChecked(error?: unknown): void {
    if (this.#timestamp === undefined) return;
    this.#timestamp.verdict = error === undefined ? 'ok' : 'failed';
    if (error === undefined) delete this.#timestamp.code;
    else this.#timestamp.code = isPasserelleError(error) ? error.code : 'error';
  }

  /** Verifier side: verification ended, with `error` or not; `pending` when a digest waits. */
  finished(error?: unknown, pending = false): void {
    this.#outcome = error !== undefined ? 'refused' : pending ? 'pending' : 'ok';
    this.#code = error === undefined ? undefined : isPasserelleError(error) ? error.code : 'error';
  }

  get outcome(): VerificationOutcome {
    return this.#outcome;
  }

  toJSON(): VerificationReportJson {
    return {
      outcome: this.#outcome,
      ...(this.#code === undefined ? {} : { code: this.#code }),
      message: this.#message?.toJSON(),
      assertion: this.#assertion?.toJSON(),
      timestamp: this.#timestamp === undefined ? undefined : { ...this.#timestamp },
    };
  }
}
