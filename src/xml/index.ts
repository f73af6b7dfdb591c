export { excC14n, type ExcC14nOptions } from './c14n.ts';
export {
  attributeValue,
  childElements,
  declaredNamespaces,
  inScopeNamespaces,
  isElement,
  isNamed,
  textOnly,
} from './dom.ts';
export { DEFAULT_XML_LIMITS, type XmlLimits } from './limits.ts';
export { NS, type NamespaceName } from './namespaces.ts';
export { parseXml, type ParseXmlOptions } from './parse.ts';
export { serializeXml } from './serialize.ts';
