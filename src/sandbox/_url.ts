/**
 * The base URL of a sandbox listener. A wildcard bind address is published as `localhost`,
 * which the sandbox server certificate names; IPv6 literals get their brackets.
 */
export function listenerUrl(
  scheme: 'https' | 'http' | 'sftp' | 'imaps' | 'imap' | 'smtps' | 'smtp',
  host: string,
  port: number,
  path = '',
): string {
  const name =
    host === '0.0.0.0' || host === '::' || host === ''
      ? 'localhost'
      : host.includes(':')
        ? `[${host}]`
        : host;
  return `${scheme}://${name}:${port}${path}`;
}
