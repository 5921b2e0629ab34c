import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZIP_PATH } from '../paths.mjs';
import {
  removeDir,
  type RunningFunction,
  runtimeFromEnvironment,
  startFunction,
  unzipToTemp,
} from '../tools/local/function-host.js';
import { invocationLines } from './helpers/function-logs.js';
import { loadEvent } from './helpers/events.js';
import {
  ALLOWED_SETTINGS,
  BLOCKED_SETTINGS,
  EMPTY_LIST_VALUES,
  HOSTILE_EMAILS,
  HOSTILE_LIST_ENTRIES,
} from './fixtures/hostile-emails.js';

// The hostile corpus, run by the built zip unzipped outside the repository: what ships is what is tested.
let unzipped: string;
beforeAll(() => {
  unzipped = unzipToTemp(readFileSync(ZIP_PATH));
});
afterAll(() => removeDir(unzipped));

function signUpWith(email: string): Record<string, unknown> {
  const event = loadEvent<{ request: { userAttributes: Record<string, string> } }>('sign-up.json');
  event.request.userAttributes = { email };
  return event;
}

async function withFunction(env: Record<string, string>, run: (fn: RunningFunction) => Promise<void>): Promise<void> {
  const running = await startFunction(unzipped, env, runtimeFromEnvironment());
  try {
    await run(running);
  } finally {
    await running.stop();
  }
}

describe('the zip on hostile emails', () => {
  it.each([
    ['ALLOWED_SETTINGS', ALLOWED_SETTINGS, 'allowed'],
    ['BLOCKED_SETTINGS', BLOCKED_SETTINGS, 'blocked'],
  ] as const)('decides every email of the corpus as expected under %s', async (_, env, column) => {
    await withFunction(env, async (running) => {
      const seen: Record<string, string> = {};
      for (const entry of HOSTILE_EMAILS) {
        const { result, error } = await running.invoke(signUpWith(entry.email));
        const outcome =
          error !== undefined
            ? (error.errorMessage.split(':')[0] ?? '')
            : (result as { response: { autoConfirmUser: boolean } }).response.autoConfirmUser
              ? 'confirmed'
              : 'unconfirmed';
        seen[entry.email] = outcome;
      }
      expect(seen).toEqual(Object.fromEntries(HOSTILE_EMAILS.map((entry) => [entry.email, entry[column]])));
      // Nothing of the email's local part reaches the log.
      expect(running.logs.join('\n')).not.toMatch(/"a@|\ba@/);
    });
  });

  it('accepts every email without a domain rule, verifying only the readable ones', async () => {
    await withFunction({}, async (running) => {
      const verified: Record<string, boolean> = {};
      for (const entry of HOSTILE_EMAILS) {
        const { result } = await running.invoke(signUpWith(entry.email));
        verified[entry.email] = (result as { response: { autoVerifyEmail: boolean } }).response.autoVerifyEmail;
      }
      expect(verified).toEqual(
        Object.fromEntries(HOSTILE_EMAILS.map((entry) => [entry.email, entry.domain !== undefined])),
      );
    });
  });
});

describe('the zip on hostile domain-list entries', () => {
  it.each([...HOSTILE_LIST_ENTRIES, ...EMPTY_LIST_VALUES].map((entry) => [JSON.stringify(entry), entry] as const))(
    'refuses sign-ups with CONFIG_INVALID for ALLOWED_EMAIL_DOMAINS=%s, naming the variable',
    async (_, entry) => {
      await withFunction({ ALLOWED_EMAIL_DOMAINS: entry }, async (running) => {
        const { error } = await running.invoke(loadEvent('sign-up.json'));
        expect(error?.errorMessage).toMatch(/^CONFIG_INVALID: /);
        const [line] = invocationLines(running.logs) as { configProblems?: { variable: string; received: string }[] }[];
        expect(line?.configProblems).toMatchObject([
          expect.objectContaining({
            variable: 'ALLOWED_EMAIL_DOMAINS',
            received: expect.stringContaining(JSON.stringify(entry.trim()).slice(1, -1).slice(0, 8)),
          }),
        ]);
      });
    },
  );
});
