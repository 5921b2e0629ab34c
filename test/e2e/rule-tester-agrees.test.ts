import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZIP_PATH } from '../../paths.mjs';
import { removeDir, startFunction, unzipToTemp } from '../../tools/local/function-host.js';
import { evaluate, type TesterResult } from '../../tools/rule-tester/evaluate.js';
import { EVENT_CASES } from '../helpers/event-cases.js';
import { eventFileNames, loadEvent } from '../helpers/events.js';
import { invocationLines } from '../helpers/function-logs.js';

// The rule tester (`npm run rules -- test`) against the built zip under AWS's runtime client (one
// runtime: the default), on every event of events/ under each configuration of the events table and
// a few with log-only rules, a dry run and a bad setting. A pair the tester answers with an assumed
// lookup is the one thing it cannot know; every other pair must agree on the flags, the refusal and
// the log line.

const LOCAL_RULES = {
  EXISTING_ACCOUNT_POLICY: 'ignore',
  BLOCKED_EMAIL_DOMAINS: 'blocked.example',
  EMAIL_SUBADDRESSES: 'block',
  ALLOWED_PHONE_PREFIXES: '+1',
  MIN_USERNAME_LENGTH: '6',
};
const CONFIGURATIONS: readonly Readonly<Record<string, string>>[] = [
  ...new Map(EVENT_CASES.map((eventCase) => [JSON.stringify(eventCase.env), eventCase.env])).values(),
  LOCAL_RULES,
  { ...LOCAL_RULES, LOG_ONLY_RULES: 'BLOCKED_EMAIL_DOMAINS,MIN_USERNAME_LENGTH' },
  {
    ...LOCAL_RULES,
    LOG_ONLY_RULES: 'BLOCKED_EMAIL_DOMAINS,EMAIL_SUBADDRESSES,ALLOWED_PHONE_PREFIXES,MIN_USERNAME_LENGTH',
  },
  { ...LOCAL_RULES, ALLOWED_EMAIL_DOMAINS: 'example.com', DRY_RUN: 'true', LOG_ONLY_RULES: 'MIN_USERNAME_LENGTH' },
  { LOG_ONLY_RULES: 'RATE_LIMIT' },
];

/** The line without what differs from one run to the next, or with the warnings (see below). */
function comparable(line: Record<string, unknown>): Record<string, unknown> {
  const { timestamp: _t, requestId: _r, function: _f, warnings: _w, level: _l, _aws, ...rest } = line;
  const metrics = _aws as { Timestamp?: number } | undefined;
  return { ...rest, ...(metrics === undefined ? {} : { _aws: { ...metrics, Timestamp: 0 } }) };
}

const envText = (env: Readonly<Record<string, string>>) =>
  Object.entries(env)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');

let unzipped: string;
beforeAll(() => {
  unzipped = unzipToTemp(readFileSync(ZIP_PATH));
});
afterAll(() => removeDir(unzipped));

describe('the rule tester agrees with the built zip', () => {
  let compared = 0;
  let skipped = 0;
  afterAll(() => {
    // Most pairs need no lookup: the comparison must not quietly shrink to nothing.
    expect(compared).toBeGreaterThan(100);
    expect(skipped).toBeLessThan(compared / 5);
  });

  it.each(CONFIGURATIONS.map((env) => [JSON.stringify(env), env] as const))(
    'on every event of events/ under %s',
    async (_, env) => {
      const running = await startFunction(unzipped, { ...env });
      let warningsSeen: unknown;
      try {
        for (const file of eventFileNames()) {
          const tested: TesterResult = evaluate({ settings: envText(env), event: loadEvent(file) });
          const before = running.logs.length;
          const { result, error } = await running.invoke(loadEvent(file));
          const [line = {}] = invocationLines(running.logs.slice(before));
          if (tested.rules.some((rule) => rule.assumed !== undefined)) {
            skipped++;
            continue;
          }
          compared++;
          const where = `${file} under ${JSON.stringify(env)}`;
          if (tested.outcome === 'refused') {
            expect(`PreSignUp failed with error ${error?.errorMessage ?? '(admitted)'}.`, where).toBe(tested.message);
          } else {
            expect(error, where).toBeUndefined();
            const response = (result as { response?: unknown } | undefined)?.response;
            if (tested.flags === undefined) expect(result, where).toEqual(loadEvent(file));
            else expect(response, where).toEqual(tested.flags);
          }
          expect(comparable(line), where).toEqual(comparable(tested.log));
          // The function logs the settings' warnings on its first sign-up only; the tester on each.
          if (line.warnings !== undefined) {
            expect(warningsSeen, where).toBeUndefined();
            warningsSeen = line.warnings;
            expect(line.warnings, where).toEqual(tested.log.warnings);
            expect(line.level, where).toBe(tested.log.level);
          } else if (tested.log.warnings === undefined) {
            expect(line.level, where).toBe(tested.log.level);
          }
        }
      } finally {
        await running.stop();
      }
    },
  );
});
