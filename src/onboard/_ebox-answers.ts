import { z } from 'zod';

/**
 * The eBox part of the answers (seed 003 §1–3): what the eBox request forms need beyond the
 * institution and contacts: the application (its URN is `applications.ebox`) and the document
 * types it will publish. Required when the ebox service is wanted.
 */

const text = (max: number) =>
  z
    .string({ error: 'a text is required' })
    .trim()
    .min(1, { error: 'empty' })
    .max(max, { error: `longer than ${max} characters` });

const count = (max: number) =>
  z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).min(0).max(max);

export const EboxAnswersSchema = z
  .object({
    /** True when the institution is already a registered eBox sender (seed 003 §1). */
    institutionRegistered: z.boolean({ error: 'true or false' }).optional(),
    application: z
      .object({
        name: text(100),
        description: text(300),
        /** The online service whose citizens' requests lead to publications, if any. */
        onlineServiceUrl: z.url({ protocol: /^https$/, error: 'not an https URL' }).optional(),
        alreadyRegistered: z.boolean({ error: 'true or false' }).optional(),
      })
      .strict(),
    documentTypes: z
      .array(
        z
          .object({
            /** The message type, when already agreed with the eBox team (6–80 characters). */
            messageType: text(80).min(6, { error: 'at least 6 characters' }).optional(),
            names: z
              .object({ fr: text(100), nl: text(100), de: text(100), en: text(100).optional() })
              .strict(),
            description: text(300),
            trigger: z.enum(['citizen', 'institution'], {
              error: (iss) => `unknown trigger "${String(iss.input)}" (one of citizen, institution)`,
            }),
            retentionMonths: count(600).optional(),
            volumePerYear: count(1e9).optional(),
          })
          .strict(),
        { error: 'a list of document types' },
      )
      .min(1, { error: 'at least one' }),
  })
  .strict();
