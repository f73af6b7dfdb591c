/**
 * Resource limits applied by `parseXml` before and while building a DOM. Exceeding one throws
 * ERR_XML_LIMIT. The defaults suit SOAP traffic of the Belgian platforms (envelopes of a few
 * kilobytes, eBox publications with inline base64 documents of a few megabytes); raise them per
 * call when a service legitimately needs more.
 */
export interface XmlLimits {
  /** Maximum length of the source text, in UTF-16 code units. Default 16 Mi (16,777,216). */
  readonly maxSize: number;
  /** Maximum element nesting depth (the root is depth 1). Default 64. */
  readonly maxDepth: number;
  /** Maximum attributes on one element, namespace declarations included. Default 64. */
  readonly maxAttributesPerElement: number;
  /** Maximum namespace declarations (`xmlns`, `xmlns:p`) on one element. Default 32. */
  readonly maxNamespaceDeclarationsPerElement: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = Object.freeze({
  maxSize: 16 * 1024 * 1024,
  maxDepth: 64,
  maxAttributesPerElement: 64,
  maxNamespaceDeclarationsPerElement: 32,
});
