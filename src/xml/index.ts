export { type ExcC14nOptions, excC14n } from './c14n.ts';
export {
  attributeList,
  attributeValue,
  childElements,
  declaredNamespaces,
  inScopeNamespaces,
  isElement,
  isNamed,
  textOnly,
} from './dom.ts';
export { DEFAULT_XML_LIMITS, type XmlLimits } from './limits.ts';
export { type NamespaceName, NS } from './namespaces.ts';
export {
  Attr,
  CharacterData,
  type Comment,
  createDocument,
  Document,
  Element,
  type ElementList,
  NamedNodeMap,
  Node,
  type Text,
} from './node.ts';
export { type ParseXmlOptions, parseXml } from './parse.ts';
export type { SerializeXmlOptions } from './serialize.ts';
export { serializeXml } from './serialize.ts';
