import { parse as parseYaml } from 'yaml';
import { PasserelleError } from '../errors.ts';
import { readInputFile } from '../input-file.ts';
import { type OnboardAnswers, parseAnswers } from './answers.ts';

/** Reads and checks a YAML (or JSON) answers file: ERR_FILE_*, or ERR_ONBOARD_ANSWERS_INVALID naming the fields. */
export async function readAnswersFile(path: string, { setting = '--answers' } = {}): Promise<OnboardAnswers> {
  const bytes = await readInputFile(path, { what: 'answers file', setting });
  let raw: unknown;
  try {
    raw = parseYaml(bytes.toString('utf8'), { maxAliasCount: 50 });
  } catch (cause) {
    throw new PasserelleError('ERR_ONBOARD_ANSWERS_INVALID', `Answers file ${path} is not valid YAML`, {
      hint: 'Fix the YAML syntax (docs/onboarding-answers.example.yaml shows the layout).',
      details: { fields: ['(root)'], source: path },
      cause,
    });
  }
  return parseAnswers(raw, { source: path });
}
