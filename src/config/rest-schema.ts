import { z } from 'zod';

/** One REST service of the platform, as its partner annex describes it. */
const RestApiSchema = z
  .object({
    headers: z
      .record(
        z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name'),
        z
          .string()
          .max(4096)
          .refine((v) => !/[\r\n\0]/.test(v), 'no line breaks')
          .describe('The header value, sent as written.'),
      )
      .optional()
      .describe(
        'Headers sent with every call of this service, e.g. the legal context its partner annex names (`Legal-Context: …`). Not for secrets: the configuration is not a secret store.',
      ),
    scope: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Token scopes asked for this service's calls, space-separated; default: the scopes the contract's operation requires.",
      ),
  })
  .strict()
  .describe('One REST service: the headers and scopes of its calls.');

/** `environments.<env>.rest`: partner-specific settings per KSZ-BCSS REST service. */
export const RestSchema = z
  .object({
    apis: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case API name'), RestApiSchema)
      .optional()
      .describe(
        "Settings per REST service, by the API name that replaces `{api}` in `cbss.rest` (the contract's `x-passerelle-api`, else its title in lower case with dashes).",
      ),
  })
  .strict()
  .describe('Partner-specific settings of the REST services.');
export type RestConfig = z.infer<typeof RestSchema>;
