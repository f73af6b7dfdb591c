/**
 * The OAuth scope of eBox REST publication (PROTOCOLS.md §7). The platform grants it only when
 * the token request names it: the eBox REST client always asks for it explicitly.
 */
export const EBOX_PUBLICATION_SCOPE =
  'scope:document:management:consult:ws-eboxrestentreprise:publicationsender';
