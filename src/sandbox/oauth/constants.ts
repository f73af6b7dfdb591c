/**
 * Facts of the sandbox authorization server that its clients and the sandbox REST APIs share.
 * The client id follows the platform's naming (seed 001: `partenaire:federal:service:bus:client:confidential`).
 */
export const SANDBOX_OAUTH_CLIENT_ID = 'partenaire:sandbox:partner:client:confidential';
/** Paths mimicking the platform's OAuth v5 server (PROTOCOLS.md §1). */
export const SANDBOX_OAUTH_PATHS = Object.freeze({
  token: '/REST/oauth/v5/token',
  introspection: '/REST/oauth/v5/introspect',
  jwks: '/REST/oauth/v5/jwks',
  metadata: '/.well-known/oauth-authorization-server',
});
/** The eBox REST publication scope (PROTOCOLS.md §7) [confirmed]. */
export const EBOX_PUBLICATION_SCOPE =
  'scope:document:management:consult:ws-eboxrestentreprise:publicationsender';
/** Scopes a client gets when it asks for none; the partner client gets all of them by default. */
export const SANDBOX_SCOPES = Object.freeze(['scope:demo:consult', 'scope:demo:health'] as const);
/**
 * Scopes the partner client may also get, but only by asking for them (`scope=`): a token
 * requested without a scope keeps the SANDBOX_SCOPES, as before the eBox module existed.
 */
export const SANDBOX_ON_REQUEST_SCOPES = Object.freeze([EBOX_PUBLICATION_SCOPE] as const);
/** `aud` of the access tokens: the sandbox REST APIs (resource indicator, RFC 8707). */
export const SANDBOX_REST_AUDIENCE = 'urn:passerelle:sandbox:rest';
