import { describe, expect, it } from 'vitest';
import { FACT_NAMES } from '../../src/model/facts.js';
import { FACT_ANSWERS } from '../../tools/playground/fact-answers.js';
import { readTesterFacts } from '../../tools/rule-tester/tester-facts.js';

describe('FACT_ANSWERS', () => {
  it('offers answers for every fact, in the order of FACT_NAMES', () => {
    expect(Object.keys(FACT_ANSWERS)).toEqual([...FACT_NAMES]);
  });

  it('offers only answers the rule tester takes, each labelled once, with both failures for every fact', () => {
    for (const name of FACT_NAMES) {
      const answers = FACT_ANSWERS[name];
      for (const { value } of answers) expect(readTesterFacts({ [name]: value })).toEqual({ [name]: value });
      const labels = answers.map(({ label }) => label);
      expect(new Set(labels).size, name).toBe(labels.length);
      const values = answers.map(({ value }) => value);
      expect(values, name).toEqual(expect.arrayContaining(['transient-failure', 'permanent-failure']));
    }
  });

  it('is refused where the rule tester refuses a shape, so the check above can fail', () => {
    expect(() => readTesterFacts({ captcha: { passed: 'yes' } })).toThrow(/The fact captcha is/);
  });
});
