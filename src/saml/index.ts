export { CBE_CLAIMS, SAML_TOKEN, SAML1 } from './constants.ts';
export { readAssertion } from './read-assertion.ts';
export type { AssertionInfo, AssertionKeys, SamlAttribute } from './types.ts';
export { type VerifiedAssertion, type VerifyAssertionOptions, verifyAssertion } from './verify-assertion.ts';
