import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { z } from 'zod';
import {
  CONFIGURATION_DOC,
  END_MARKER,
  expectedConfigurationDoc,
  renderReference,
  START_MARKER,
  withReference,
} from '../../scripts/gen-config-docs.ts';
import { parseConfigText } from '../../src/config/parse-config.ts';

test('docs/configuration.md holds the reference generated from the schema', () => {
  const actual = readFileSync(CONFIGURATION_DOC, 'utf8');
  assert.ok(
    actual === expectedConfigurationDoc(),
    'docs/configuration.md differs from the configuration schema: run `npm run docs:config`',
  );
});

test('the reference names every key with its type, requirement, default and description', () => {
  const reference = renderReference(
    z
      .object({
        mode: z.enum(['a', 'b']).optional().meta({ default: 'a', description: 'The mode.' }),
        things: z
          .record(
            z.string().regex(/^[a-z]+$/),
            z.object({ n: z.number().describe('A count.') }).describe('A thing.'),
          )
          .describe('Things by name.'),
      })
      .strict()
      .describe('A test schema.'),
  );
  assert.match(reference, /\| `mode` \| `a` \\\| `b` \| optional \| `a` \| The mode\. \|/);
  assert.match(
    reference,
    /\| `things` \| map \| required \| — \| Things by name\. Names: \(`\^\[a-z\]\+\$`\)\. \|/,
  );
  assert.match(reference, /\| `things\.<name>\.n` \| number \| required \| — \| A count\. \|/);
});

test('a key without a description is refused, naming its path', () => {
  assert.throws(
    () =>
      renderReference(
        z.object({ outer: z.object({ inner: z.string() }).describe('Outer.') }).describe('Root.'),
      ),
    /outer\.inner has no description/,
  );
});

test('the reference goes between the markers, and their absence is an error', () => {
  const doc = `# T\n\nhand-written\n\n${START_MARKER}\nold\n${END_MARKER}\n\nafter\n`;
  assert.equal(
    withReference(doc, 'new\n'),
    `# T\n\nhand-written\n\n${START_MARKER}\n\nnew\n\n${END_MARKER}\n\nafter\n`,
  );
  assert.throws(() => withReference('# T\n', 'new\n'), /markers are missing/);
});

test('the example configuration of docs/configuration.md is valid', () => {
  const doc = readFileSync(CONFIGURATION_DOC, 'utf8');
  const examples = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  assert.ok(examples.length > 0, 'no yaml example found');
  for (const text of examples) {
    const config = parseConfigText(text, 'docs/configuration.md (example).yaml');
    assert.ok(config.environments && Object.keys(config.environments).length > 0);
  }
});
