/** Token-type URIs of the WS-Security X.509 token profile. */
export const WSS_TOKEN = Object.freeze({
  x509v3: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3',
  base64Binary:
    'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary',
} as const);

export {
  ALG,
  DEFAULT_DIGEST_ALGORITHMS,
  DEFAULT_SIGNATURE_ALGORITHMS,
  DIGEST_HASH,
  SIGNATURE_SCHEME,
} from '../xmldsig/algorithms.ts';
