/**
 * Resource limits of the MTOM reader. Exceeding one throws ERR_MTOM_LIMIT. The defaults
 * suit the platform's MTOM services (one envelope of a few kilobytes, a handful of documents of
 * up to a few gigabytes); raise them per call when a service legitimately needs more.
 */
export interface MtomLimits {
  /** Parts in one package, root included. Default 64. */
  readonly maxParts: number;
  /** Bytes of one part's header block (and of the preamble and of the epilogue). Default 8 KiB. */
  readonly maxHeaderBytes: number;
  /** Bytes of the root part (the SOAP envelope), which is buffered. Default 4 MiB. */
  readonly maxRootBytes: number;
  /** Bytes of the whole package as read from the wire. Default 4 GiB. */
  readonly maxTotalBytes: number;
}

export const DEFAULT_MTOM_LIMITS: MtomLimits = Object.freeze({
  maxParts: 64,
  maxHeaderBytes: 8 * 1024,
  maxRootBytes: 4 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
});

/** Merges overrides into the defaults, refusing non-positive or non-integer values (TypeError). */
export function _resolveLimits(overrides: Partial<MtomLimits> = {}): MtomLimits {
  const limits = { ...DEFAULT_MTOM_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new TypeError(`MTOM limit ${name} must be a positive integer`);
  }
  return limits;
}
