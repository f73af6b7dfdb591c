import { PasserelleError } from '../errors.ts';

/**
 * Refuses to run when certificate verification has been switched off process-wide. Checked at
 * `createTransport` and again before every request (the variable can change at run time).
 */
export function assertSecureEnvironment(): void {
  if (process.env['NODE_TLS_REJECT_UNAUTHORIZED'] === '0') {
    throw new PasserelleError(
      'ERR_TRANSPORT_INSECURE',
      'NODE_TLS_REJECT_UNAUTHORIZED=0 disables certificate verification',
      {
        hint: 'Unset NODE_TLS_REJECT_UNAUTHORIZED; to trust a private CA, give it as the CA bundle instead.',
        details: { variable: 'NODE_TLS_REJECT_UNAUTHORIZED' },
      },
    );
  }
}
