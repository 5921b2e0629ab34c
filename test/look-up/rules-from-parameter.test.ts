import { describe, expect, it } from 'vitest';
import { containerConfigWithIssue } from '../../src/config/container-config.js';
import { containerConfigWithDocument } from '../../src/config/document-config.js';
import { rulesFromParameter } from '../../src/look-up/rules-from-parameter.js';

// The reader is a plain function standing in for the SSM call, to step the clock and the answers one
// by one; the SSM call itself runs against moto_server in test/e2e/lookups.e2e.test.ts.
function scripted(answers: (string | Error)[]) {
  const calls: number[] = [];
  const read = (_name: string, budgetMs: number) => {
    calls.push(budgetMs);
    const answer = answers.shift();
    return answer instanceof Error || answer === undefined
      ? Promise.reject(answer ?? new Error('no more answers'))
      : Promise.resolve(answer);
  };
  return { read, calls };
}

// The rules documents' reader, as init hands it over once loaded.
const documents = { containerConfigWithDocument, containerConfigWithIssue };

const blocking = (address: string) => JSON.stringify({ BLOCKED_EMAILS: [address] });

describe('rulesFromParameter', () => {
  it('reads on the first sign-up, keeps the document for the refresh time, then reads again', async () => {
    let clock = 1_000;
    const { read, calls } = scripted([blocking('a@example.com'), blocking('b@example.com')]);
    const current = rulesFromParameter({}, '/rules', 300_000, documents, read, () => clock);
    expect((await current(2000)).loaded.config.blockedEmails).toEqual(new Set(['a@example.com']));
    clock += 299_999;
    expect((await current(2000)).loaded.config.blockedEmails).toEqual(new Set(['a@example.com']));
    clock += 1;
    expect((await current(1500)).loaded.config.blockedEmails).toEqual(new Set(['b@example.com']));
    expect(calls).toEqual([2000, 1500]);
  });

  it('refuses with CONFIG_INVALID, naming the parameter and the error, until a first read succeeds', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    const { read } = scripted([denied, blocking('a@example.com')]);
    const current = rulesFromParameter({}, '/rules', 300_000, documents, read);
    expect((await current(2000)).loaded.issues).toMatchObject([
      {
        variable: 'RULES_PARAMETER',
        received: '"/rules"',
        expected: 'a parameter the function can read (AccessDeniedException)',
      },
    ]);
    expect((await current(2000)).loaded.issues).toEqual([]);
  });

  it('keeps the last document when a refresh fails or is too large', async () => {
    let clock = 0;
    const { read } = scripted([blocking('a@example.com'), new Error('down'), 'x'.repeat(8193)]);
    const current = rulesFromParameter({}, '/rules', 1000, documents, read, () => clock);
    await current(2000);
    for (let refresh = 0; refresh < 2; refresh++) {
      clock += 1000;
      const { loaded } = await current(2000);
      expect(loaded.issues).toEqual([]);
      expect(loaded.config.blockedEmails).toEqual(new Set(['a@example.com']));
    }
  });

  it.each([
    [
      'over 8 KB, saying where a larger one goes',
      'x'.repeat(8193),
      "at most 8192 characters (SSM's limit): put a larger document in RULES_FILE",
    ],
    ['that is not JSON', '{"BLOCKED_EMAILS": [', 'a JSON object of settings'],
  ])('refuses a first document %s, naming the parameter', async (_, text, expected) => {
    const { read } = scripted([text]);
    const { loaded } = await rulesFromParameter({}, '/rules', 1000, documents, read)(2000);
    expect(loaded.issues[0]).toMatchObject({ variable: 'RULES_PARAMETER', expected });
  });
});
