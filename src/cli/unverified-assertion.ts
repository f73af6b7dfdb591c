/**
 * What every output showing a token or call made with an unverified STS assertion says (a
 * `WARNING:` line, and `warning` in `--json`): the opt-out `trust.stsUnverified` is never silent.
 */
export function unverifiedAssertionWarning(env: string): string {
  return `the STS assertion was NOT verified (environments.${env}.trust.stsUnverified is true): its issuer and content are not authenticated`;
}
