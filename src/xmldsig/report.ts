import type { X509Certificate } from 'node:crypto';
import { isPasserelleError } from '../errors.ts';
import { subjectDn } from '../pki/dn.ts';
import type { Element } from '../xml/node.ts';
import type { ParsedSignature } from './signed-info.ts';

/** What became of one check: passed, failed (with the code it failed with), or never made. */
export type CheckVerdict = 'ok' | 'failed' | 'not-checked';

/** A Reference digest: `deferred` is left to the caller (MTOM: it covers attachments still to be read). */
export type DigestVerdict = 'ok' | 'mismatch' | 'failed' | 'not-checked' | 'deferred';

export interface ReferenceReport {
  /** The Reference URI as written ("#id"). */
  readonly uri: string;
  /** Local name of the element the URI resolved to (Body, Timestamp, ...); undefined if unresolved. */
  readonly target: string | undefined;
  /** Namespace of that element. */
  readonly targetNamespace: string | undefined;
  readonly digestAlgorithm: string;
  readonly digest: DigestVerdict;
  /** The error code of a digest that is not ok (ERR_WSS_DIGEST_MISMATCH, ...). */
  readonly code?: string;
}

export interface SignatureReportJson {
  readonly signatureAlgorithm: string | undefined;
  readonly signatureValue: CheckVerdict;
  readonly signatureValueCode?: string;
  /** The certificate whose key the signature was checked with, and whether it is trusted. */
  readonly signer:
    | { readonly subject: string; readonly trust: CheckVerdict; readonly trustCode?: string }
    | undefined;
  readonly references: readonly ReferenceReport[];
}

type MutableReference = { -readonly [K in keyof ReferenceReport]: ReferenceReport[K] };

const codeOf = (error: unknown): string => (isPasserelleError(error) ? error.code : 'error');

/**
 * Collects what a verifier found about one ds:Signature, check by check: the signature
 * algorithm, each Reference (URI, what it resolved to, digest algorithm, digest verdict), the
 * SignatureValue verdict and the signer with its trust verdict. A verifier given one goes on
 * checking the digests after a first failure, for the report only: it still throws the error it
 * throws without one. Holds no key and no signature value; read it with `toJSON()`.
 */
export class SignatureReport {
  #algorithm: string | undefined;
  #value: CheckVerdict = 'not-checked';
  #valueCode: string | undefined;
  #signer: { subject: string; trust: CheckVerdict; trustCode?: string } | undefined;
  readonly #references: MutableReference[] = [];

  /** Verifier side: the parsed signature (algorithm and references, none checked yet). */
  parsed(parsed: ParsedSignature): void {
    this.#algorithm = parsed.signatureAlgorithm;
    this.#references.splice(
      0,
      this.#references.length,
      ...parsed.references.map((r) => ({
        uri: `#${r.id}`,
        target: undefined,
        targetNamespace: undefined,
        digestAlgorithm: r.digestAlgorithm,
        digest: 'not-checked' as const,
      })),
    );
  }

  /** Verifier side: the element each reference resolved to, in reference order. */
  resolved(targets: readonly Element[]): void {
    targets.forEach((t, i) => {
      const ref = this.#references[i];
      if (ref === undefined) return;
      ref.target = t.localName ?? t.nodeName;
      ref.targetNamespace = t.namespaceURI ?? undefined;
    });
  }

  /** Verifier side: the certificate whose key checks the signature (trust not decided yet). */
  signer(certificate: X509Certificate): void {
    this.#signer = { subject: subjectDn(certificate), trust: 'not-checked' };
  }

  /** Verifier side: the trust decision on the signer (no error: trusted). */
  trust(error?: unknown): void {
    if (this.#signer === undefined) return;
    this.#signer = {
      subject: this.#signer.subject,
      trust: error === undefined ? 'ok' : 'failed',
      ...(error === undefined ? {} : { trustCode: codeOf(error) }),
    };
  }

  /** Verifier side: the SignatureValue check (no error: it verified). */
  signatureValue(error?: unknown): void {
    this.#value = error === undefined ? 'ok' : 'failed';
    this.#valueCode = error === undefined ? undefined : codeOf(error);
  }

  /** Verifier side: the digest of reference `index` (no error: it matched). */
  digest(index: number, error?: unknown): void {
    const ref = this.#references[index];
    if (ref === undefined) return;
    if (error === undefined) {
      ref.digest = 'ok';
      delete ref.code;
      return;
    }
    ref.code = codeOf(error);
    ref.digest = ref.code === 'ERR_WSS_DIGEST_MISMATCH' ? 'mismatch' : 'failed';
  }

  /** Verifier side: the digest of reference `index` is left to the caller. */
  deferred(index: number): void {
    const ref = this.#references[index];
    if (ref !== undefined) ref.digest = 'deferred';
  }

  toJSON(): SignatureReportJson {
    return {
      signatureAlgorithm: this.#algorithm,
      signatureValue: this.#value,
      ...(this.#valueCode === undefined ? {} : { signatureValueCode: this.#valueCode }),
      signer: this.#signer === undefined ? undefined : { ...this.#signer },
      references: this.#references.map((r) => ({ ...r })),
    };
  }
}
