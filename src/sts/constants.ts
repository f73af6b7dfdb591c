/** WS-Trust 1.3 vocabulary of the eHealth STS (PROTOCOLS.md §4). */
export const WST = Object.freeze({
  ns: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512',
  /** The WS-Federation authorization namespace of auth:ClaimType. */
  authNs: 'http://docs.oasis-open.org/wsfed/authorization/200706',
  claimsDialect: 'http://docs.oasis-open.org/wsfed/authorization/200706/authclaims',
  tokenTypeSaml11: 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1',
  requestIssue: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue',
  keyTypePublicKey: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey',
  /** SOAPAction of an Issue request (WS-Trust 1.3 §4.1). */
  actionIssue: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue',
  /** SOAPAction of the requestor's answer to a challenge (WS-Trust 1.3 §8.1) [inferred for eHealth]. */
  actionChallengeAnswer: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTR/Issue',
  /** Fault codes (WS-Trust 1.3 §11), qualified by the wst namespace. */
  faultInvalidRequest: 'InvalidRequest',
  faultFailedAuthentication: 'FailedAuthentication',
  faultRequestFailed: 'RequestFailed',
} as const);
