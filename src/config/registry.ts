/**
 * Platform registry: the endpoints of the built-in environments (shared/PROTOCOLS.md §1).
 * Every URL here can be overridden per environment in the configuration file.
 */

export const ENDPOINT_NAMES = [
  'cbss.soap', // port 4520: SOAP web services / API gateway
  'cbss.mtom', // port 4522: SOAP with MTOM
  'cbss.ssdn', // port 4530: SSDN historic services
  'cbss.rest', // port 4543 REST base, `{api}` placeholder
  'oauth.token', // OAuth v5 token endpoint
  'oauth.metadata', // RFC 8414 metadata document
  'ehealth.soa', // eHealth SOA services base
  'ehealth.sts', // WS-Trust STS
  'ehealth.sts.saml', // legacy SAML-P STS
  'ebox.soap', // EBoxMessage v1
  'ebox.rest', // eBox REST message registry v2 (publishMessage)
  'sftp', // batch file exchange
] as const;

export type EndpointName = (typeof ENDPOINT_NAMES)[number];
export type Channel = 'extranet' | 'internet';
export const BUILTIN_ENVIRONMENTS = ['test', 'acpt', 'prod', 'sandbox'] as const;
export type BuiltinEnvironmentName = (typeof BUILTIN_ENVIRONMENTS)[number];

export interface Endpoint {
  readonly url: string;
  /** Where the value comes from: a seed document, official documentation, or inference. */
  readonly source: 'seed' | 'confirmed' | 'inferred' | 'config' | 'sandbox';
  /** A caveat worth showing to the user (e.g. the production REST erratum). */
  readonly note?: string;
}

export type EndpointTable = Partial<Record<EndpointName, Endpoint>>;

const seed = (url: string, note?: string): Endpoint =>
  note ? { url, source: 'seed', note } : { url, source: 'seed' };
const confirmed = (url: string): Endpoint => ({ url, source: 'confirmed' });
const inferred = (url: string, note: string): Endpoint => ({ url, source: 'inferred', note });

const KSZ_HOST = {
  test: 'b2b-test.ksz-bcss.fgov.be',
  acpt: 'b2b-acpt.ksz-bcss.fgov.be',
  prod: 'b2b.ksz-bcss.fgov.be',
};
const KSZ_API_HOST = {
  test: 'api.test.ksz-bcss.fgov.be',
  acpt: 'api.acpt.ksz-bcss.fgov.be',
  prod: 'api.ksz-bcss.fgov.be',
};
const SOCSEC_SUFFIX = { test: '-int', acpt: '-acpt', prod: '' };
const OAUTH_METADATA_HOST = {
  test: 'oauth-v5.int.socialsecurity.be',
  acpt: 'oauth-v5.acc.socialsecurity.be',
  prod: 'oauth-v5.socialsecurity.be',
};
const EHEALTH_SUFFIX = { test: '-int', acpt: '-acpt', prod: '' };

/** The published IP of each KSZ-BCSS entry point, for the firewall form. */
export const KSZ_ENTRY_IPS = { test: '85.91.184.96', acpt: '85.91.184.103', prod: '85.91.184.102' } as const;

const EBOX_REST_NOTE =
  'The eBox REST base path is inferred from the eBox documentation (…/REST/ebox/enterprise/messageRegistry/v2); override it with the URL the eBox team gives.';

const PROD_REST_NOTE =
  'The onboarding document repeats the acceptance hosts for production; this URL is inferred from the firewall form. Override it if the platform says otherwise.';

function platformEndpoints(env: 'test' | 'acpt' | 'prod', channel: Channel): EndpointTable {
  const ksz = KSZ_HOST[env];
  const socsec = SOCSEC_SUFFIX[env];
  const ehealth = `https://services${EHEALTH_SUFFIX[env]}.ehealth.fgov.be`;
  const table: Record<string, Endpoint> = {
    'cbss.soap': seed(`https://${ksz}:4520`),
    'cbss.mtom': seed(`https://${ksz}:4522`),
    'cbss.ssdn': seed(`https://${ksz}:4530`),
    'oauth.metadata': seed(`https://${OAUTH_METADATA_HOST[env]}/.well-known/oauth-authorization-server`),
    'ehealth.soa': confirmed(ehealth),
    'ehealth.sts': confirmed(`${ehealth}/IAM/SecurityTokenService/v1`),
    'ehealth.sts.saml': confirmed(`${ehealth}/IAM/Saml11TokenService/v1`),
    sftp: seed('sftp://stransferv2.extranetssz.be:22'),
  };
  if (channel === 'extranet') {
    table['cbss.rest'] =
      env === 'prod'
        ? inferred(`https://${ksz}:4543/{api}`, PROD_REST_NOTE)
        : seed(`https://${ksz}:4543/{api}`);
    table['oauth.token'] = seed(
      `https://professionalservices${socsec}.socialsecurity.be/REST/oauth/v5/token`,
    );
    table['ebox.soap'] = confirmed(`https://professionalservices${socsec}.socialsecurity.be/EBoxMessage/v1`);
    table['ebox.rest'] = inferred(
      `https://professionalservices${socsec}.socialsecurity.be/REST/ebox/enterprise/messageRegistry/v2`,
      EBOX_REST_NOTE,
    );
  } else {
    table['cbss.rest'] =
      env === 'prod'
        ? inferred(`https://${KSZ_API_HOST[env]}/{api}`, PROD_REST_NOTE)
        : seed(`https://${KSZ_API_HOST[env]}/{api}`);
    table['oauth.token'] = seed(`https://services${socsec}.socialsecurity.be/REST/oauth/v5/token`);
    // The internet eBox endpoint is published for acceptance and production only.
    if (env !== 'test')
      table['ebox.soap'] = confirmed(`https://services${socsec}.socialsecurity.be/EBoxMessage/v1`);
    table['ebox.rest'] = inferred(
      `https://services${socsec}.socialsecurity.be/REST/ebox/enterprise/messageRegistry/v2`,
      EBOX_REST_NOTE,
    );
  }
  return table as EndpointTable;
}

/** Endpoints of a built-in platform environment (the sandbox has none until it writes its config). */
export function builtinEndpoints(env: BuiltinEnvironmentName, channel: Channel): EndpointTable {
  return env === 'sandbox' ? {} : platformEndpoints(env, channel);
}

export function isBuiltinEnvironment(name: string): name is BuiltinEnvironmentName {
  return (BUILTIN_ENVIRONMENTS as readonly string[]).includes(name);
}
