import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/** The messages of the layer rule for a snippet linted as if it were this file of src/. */
async function layerMessages(filePath: string, code: string): Promise<string[]> {
  // The type-aware rules need the file in the project; the layer rule does not.
  const eslint = new ESLint({ overrideConfig: [tseslint.configs.disableTypeChecked] });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layers of src/ (eslint.config.mjs)', () => {
  it.each([
    ['src/config/example.ts', "import type { Decision } from '../decide/decision.js';"],
    ['src/model/example.ts', "import type { Config } from '../config/load-config.js';"],
    ['src/read/example.ts', "import { planResponse } from '../respond/plan-response.js';"],
    ['src/decide/rules/example.ts', "import { gatherFactsOnFirstUse } from '../../look-up/on-first-use.js';"],
    ['src/look-up/example.ts', "import { handler } from '../handler.js';"],
    ['src/client/example.ts', "import { FACT_NAMES } from '../model/facts.js';"],
    ['src/client/example.ts', "import { readDomain } from '../read/email-address.js';"],
  ])('refuses an import upwards from %s', async (filePath, code) => {
    expect(await layerMessages(filePath, code)).toEqual([
      expect.stringContaining('may import only the layers below it'),
    ]);
  });

  it.each([
    ['src/config/example.ts', "import { readDomain } from '../read/email-address.js';"],
    ['src/look-up/example.ts', "import { decide } from '../decide/decide.js';"],
    ['src/model/example.ts', "import type { Facts } from './facts.js';"],
    ['src/client/example.ts', "import { REFUSAL_TEXTS } from '../model/refusal-codes.js';"],
  ])('allows an import downwards from %s', async (filePath, code) => {
    expect(await layerMessages(filePath, code)).toEqual([]);
  });
});
