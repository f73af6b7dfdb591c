import { z } from 'zod';
import { isSoaCode } from '../../soap/soa-codes.ts';

/** Longest regular expression of a `matches` condition, characters. */
export const _MAX_REGEX = 200;
/** Longest delay a scenario may ask for, ms. */
export const _MAX_DELAY_MS = 60_000;

const name = z.string().min(1).max(200);
const expected = z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]);

const tests = {
  equals: expected.optional(),
  matches: z.string().min(1).max(_MAX_REGEX).optional(),
  exists: z.boolean().optional(),
};
const oneTest = (c: { equals?: unknown; matches?: string | undefined; exists?: boolean | undefined }) =>
  [c.equals !== undefined, c.matches !== undefined, c.exists !== undefined].filter(Boolean).length === 1;
const ONE_TEST = { message: 'give exactly one of equals, matches, exists' };

/** REST: a JSONPath over { path, query, headers, body }. */
const pathCondition = z
  .object({ path: z.string().min(1).max(500), ...tests })
  .strict()
  .refine(oneTest, ONE_TEST);
/** SOAP: local-name steps from the payload element. */
const xpathCondition = z
  .object({ xpath: z.string().min(1).max(500), ...tests })
  .strict()
  .refine(oneTest, ONE_TEST);

const common = {
  name,
  operation: z.string().min(1).max(200),
  delayMs: z.number().int().min(0).max(_MAX_DELAY_MS).optional(),
};

const restScenario = z
  .object({
    ...common,
    when: z.array(pathCondition).max(32).optional(),
    reply: z
      .object({
        status: z.number().int().min(100).max(599),
        headers: z
          .record(
            z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'an HTTP header name'),
            z.string().max(4096),
          )
          .optional(),
        contentType: z.string().min(1).max(200).optional(),
        body: z.unknown().optional(),
      })
      .strict(),
  })
  .strict();

const soapScenario = z
  .object({
    ...common,
    when: z.array(xpathCondition).max(32).optional(),
    reply: z
      .object({
        xml: z
          .string()
          .min(1)
          .max(1024 * 1024),
      })
      .strict()
      .optional(),
    fault: z.string().refine(isSoaCode, { message: 'a platform code such as SOA-02002' }).optional(),
    businessFault: z
      .object({
        faultcode: z.string().regex(/^[A-Za-z_][A-Za-z0-9._-]*$/, 'a local name (Client, Server)'),
        faultstring: z.string().min(1).max(4096),
        detail: z
          .string()
          .min(1)
          .max(256 * 1024)
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => [s.reply, s.fault, s.businessFault].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of reply, fault, businessFault',
  });

const file = <S extends z.ZodType>(scenario: S) =>
  z.object({ contract: name, scenarios: z.array(scenario).max(1000) }).strict();

/** A scenario file of a REST (OpenAPI) contract. */
export const _RestScenarioFile = file(restScenario);
/** A scenario file of a SOAP (WSDL) contract. */
export const _SoapScenarioFile = file(soapScenario);

export type _RestScenarioInput = z.infer<typeof restScenario>;
export type _SoapScenarioInput = z.infer<typeof soapScenario>;
export type _PathConditionInput = z.infer<typeof pathCondition>;
export type _XpathConditionInput = z.infer<typeof xpathCondition>;
