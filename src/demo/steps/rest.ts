import { systemClock } from '../../clock.ts';
import { isPasserelleError } from '../../errors.ts';
import { createHttpClient } from '../../oauth/create-http-client.ts';
import { createRestService, type RestService } from '../../services/rest/create-rest-service.ts';
import { demoExpect } from '../_expect.ts';
import type { DemoContext, DemoStep } from '../step.ts';

const SSIN = '85073003328';
const tokenRequests = (ctx: DemoContext): number =>
  ctx.sandbox.modules['oauth']?.stats?.()['tokenRequests'] ?? 0;

async function _setHealth(ctx: DemoContext, status: string): Promise<void> {
  const http = createHttpClient({ ca: ctx.sandbox.pki.ca.certPem, credential: ctx.sandbox.pki.partner.tls });
  try {
    const res = await http.request(ctx.sandbox.endpoints['rest.control'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });
    demoExpect(res.status === 200, `the sandbox health switch accepted ${status}`);
  } finally {
    await http.close();
  }
}

/**
 * Flow "REST with OAuth v5" (issue 5): a client_credentials token with a private_key_jwt
 * assertion from the sandbox authorization server, `/demo/health` (UP, then DOWN as a result),
 * and the demo person resource — all on that one token. oidc-provider judges assertion times
 * on real time, so this flow signs with the system clock whatever the demo clock.
 */
export function restSteps(): DemoStep[] {
  let service: RestService | undefined;
  const close = async () => {
    await service?.close();
    service = undefined;
  };
  return [
    {
      id: 'rest.token',
      title: 'Get an OAuth v5 access token (client_credentials, private_key_jwt)',
      async run(ctx) {
        demoExpect(
          ctx.sandbox.modules['oauth'] && ctx.sandbox.modules['rest'],
          'the sandbox runs the oauth and rest modules',
        );
        service = await createRestService(ctx.environment, { clock: systemClock, processEnv: {} });
        const before = tokenRequests(ctx);
        const token = await service.oauth.getToken().catch(async (error: unknown) => {
          await close();
          throw error;
        });
        demoExpect(tokenRequests(ctx) === before + 1, 'one token request was made');
        demoExpect(token.tokenType === 'Bearer', 'the token type is Bearer');
        demoExpect(
          (token.scope ?? '').includes('scope:demo:consult'),
          'the default scopes include scope:demo:consult',
        );
        return {
          checks: [
            `client ${service.oauth.clientId}, assertion signed with the partner OAuth certificate`,
            `scope ${token.scope}; expires ${new Date(token.expiresAt).toISOString()}`,
            `token ${token.fingerprint} (the token itself is never printed)`,
          ],
        };
      },
    },
    {
      id: 'rest.health',
      title: 'GET /demo/health with the bearer token (UP; DOWN is reported, not thrown)',
      dependsOn: ['rest.token'],
      async run(ctx) {
        demoExpect(service, 'the REST service is open');
        const up = await service.health('demo');
        demoExpect(up.status === 'UP' && up.httpStatus === 200, 'the API is UP');
        await _setHealth(ctx, 'DOWN');
        try {
          const down = await service.health('demo');
          demoExpect(down.status === 'DOWN' && down.httpStatus === 503, 'a 503 is reported as DOWN');
        } finally {
          await _setHealth(ctx, 'UP');
        }
        return {
          checks: ['UP (HTTP 200)', 'switched DOWN: reported DOWN (HTTP 503) as a result, then UP again'],
        };
      },
    },
    {
      id: 'rest.resource',
      title: 'GET /demo/v1/persons/{ssin}: fake data, scope checked, one token for every call',
      dependsOn: ['rest.token'],
      async run(ctx) {
        demoExpect(service, 'the REST service is open');
        try {
          const res = await service.get(`/v1/persons/${SSIN}`, { api: 'demo' });
          const body = res.body as { ssin?: string; birthDate?: string };
          demoExpect(res.status === 200 && body.ssin === SSIN, 'the person resource answers for the SSIN');
          const forbidden = await service
            .rest()
            .get(`/v1/persons/${SSIN}`, { api: 'demo', scope: 'scope:demo:health' })
            .then(
              () => undefined,
              (error: unknown) => error,
            );
          demoExpect(
            isPasserelleError(forbidden, 'ERR_REST_FORBIDDEN'),
            'a token without scope:demo:consult gets 403',
          );
          const requests = tokenRequests(ctx);
          return {
            checks: [
              `person ${body.ssin}, born ${body.birthDate} (fake data)`,
              'a token scoped scope:demo:health only is refused: ERR_REST_FORBIDDEN (403 insufficient_scope)',
              `${requests} token requests in all, one per scope: the cache served every other call`,
            ],
          };
        } finally {
          await close();
        }
      },
    },
  ];
}
