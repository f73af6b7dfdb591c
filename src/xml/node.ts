// Passerelle's DOM: the node classes every XML consumer of the toolkit works on (see _node.ts).

export { Attr } from './_attr.ts';
export { createDocument, Document } from './_document.ts';
export { Element, type ElementList, NamedNodeMap } from './_element.ts';
export { CharacterData, type Comment, Node, type Text } from './_node.ts';
