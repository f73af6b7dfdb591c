import type { FormLanguage, FormPdfOptions } from './_fields.ts';

/** The form language of the options; anything else is the caller's mistake (a TypeError). */
export function formLanguage(options: FormPdfOptions): FormLanguage {
  const language = options?.language;
  if (language !== 'fr' && language !== 'nl' && language !== 'en')
    throw new TypeError(`options.language must be 'fr', 'nl' or 'en', got ${String(language)}`);
  return language;
}
