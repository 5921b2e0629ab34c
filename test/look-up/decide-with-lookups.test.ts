import { describe, expect, it } from 'vitest';
import type { FactName, Facts } from '../../src/model/facts.js';
import { REFUSAL_RULES } from '../../src/decide/decide.js';
import { decideWithLookups, lookupBudget, MAX_LOOKUP_ROUNDS } from '../../src/look-up/decide-with-lookups.js';
import type { FactGatherer } from '../../src/look-up/lazy/gather-facts.js';
import { LOOKUP_CAP_MS, LOOKUP_SAFETY_MARGIN_MS } from '../../src/model/limits.js';
import { configOf, inputOf } from '../helpers/fixtures.js';

/** A gatherer that answers from a table and records what it was asked, round by round. */
function recording(answers: Facts) {
  const rounds: { names: readonly FactName[]; budgetMs: number }[] = [];
  const gather: FactGatherer = async (names, _input, _config, budgetMs) => {
    rounds.push({ names, budgetMs });
    return {
      facts: Object.fromEntries(names.map((name) => [name, answers[name] ?? false])),
      failures: [],
      warnings: [],
    };
  };
  return { gather, rounds };
}

describe('decideWithLookups', () => {
  it('looks up the read-only facts of two rules in one round: the disposable list and the account guard', async () => {
    const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true', EXISTING_ACCOUNT_POLICY: 'deny' });
    const { gather, rounds } = recording({ disposableEmail: false, existingAccountForEmail: true });
    const decided = await decideWithLookups(REFUSAL_RULES, inputOf({ email: 'a@example.com' }), config, gather, 2000);
    expect(rounds.map((round) => round.names)).toEqual([['disposableEmail', 'existingAccountForEmail']]);
    expect(decided.decision).toEqual({ outcome: 'refused', code: 'ACCOUNT_EXISTS', rule: 'EXISTING_ACCOUNT_POLICY' });
  });

  it('names the limit that fired, for the log', async () => {
    const config = configOf({ RATE_LIMITS: 'pool:1/h', RATE_LIMIT_TABLE: 'counts', EXISTING_ACCOUNT_POLICY: 'ignore' });
    const { gather } = recording({ rateLimit: { exceeded: 'pool:1/h' } });
    const decided = await decideWithLookups(REFUSAL_RULES, inputOf({ email: 'a@example.com' }), config, gather, 2000);
    expect(decided).toMatchObject({ decision: { code: 'RATE_LIMITED' }, rateLimit: 'pool:1/h' });
  });

  it('adds up the throttled calls of every round, by operation, for the log line and the Throttled metric', async () => {
    const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true', INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' });
    const throttledByRound = [{ AdminGetUser: 2 }, undefined, { AdminGetUser: 1, GetItem: 3 }];
    let round = 0;
    const gather: FactGatherer = async (names) => ({
      facts: Object.fromEntries(
        names.map((name) => [
          name,
          // Two rounds: the list and the invitation read together, then the invitation's use.
          name === 'invitation' ? { proven: 'code', spendsUse: true } : name === 'invitationUse' ? 'spent' : false,
        ]),
      ),
      failures: [],
      warnings: [],
      throttled: throttledByRound[round++],
    });
    const input = inputOf({ email: 'a@example.com', inviteCode: 'X' });
    const decided = await decideWithLookups(REFUSAL_RULES, input, config, gather, 2000);
    expect(round).toBe(2);
    expect(decided.throttled).toEqual({ AdminGetUser: 2 });
    // A first round with none, a second with two operations.
    round = 1;
    const second = await decideWithLookups(REFUSAL_RULES, input, config, gather, 2000);
    expect(second).toMatchObject({ throttled: { AdminGetUser: 1, GetItem: 3 } });
    const { gather: quiet } = recording({});
    expect((await decideWithLookups(REFUSAL_RULES, input, config, quiet, 2000)).throttled).toBeUndefined();
  });

  it('keeps the first refusal when facts come back together: the disposable list before the account guard', async () => {
    const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true', EXISTING_ACCOUNT_POLICY: 'deny' });
    const { gather } = recording({ disposableEmail: true, existingAccountForEmail: true });
    const decided = await decideWithLookups(REFUSAL_RULES, inputOf({ email: 'a@example.com' }), config, gather, 2000);
    expect(decided.decision).toEqual({ outcome: 'refused', code: 'DISPOSABLE_EMAIL', rule: 'BLOCK_DISPOSABLE_EMAILS' });
  });

  it('spends nothing on a sign-up a rule refuses: the invitation is read beside the disposable list, its use never spent', async () => {
    const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true', INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' });
    const { gather, rounds } = recording({
      disposableEmail: true,
      invitation: { proven: 'code', spendsUse: true },
      invitationUse: 'spent',
    });
    const decided = await decideWithLookups(
      REFUSAL_RULES,
      inputOf({ email: 'a@example.com', inviteCode: 'X' }),
      config,
      gather,
      2000,
    );
    expect(rounds.map((round) => round.names)).toEqual([['disposableEmail', 'invitation']]);
    expect(decided.decision).toMatchObject({ code: 'DISPOSABLE_EMAIL' });
  });

  it('stops at the first rule that refuses, looking nothing more up', async () => {
    const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true', EXISTING_ACCOUNT_POLICY: 'deny' });
    const { gather, rounds } = recording({ disposableEmail: true });
    const decided = await decideWithLookups(
      REFUSAL_RULES,
      inputOf({ email: 'a@mailinator.com' }),
      config,
      gather,
      2000,
    );
    expect(rounds).toHaveLength(1);
    expect(decided.decision).toMatchObject({ code: 'DISPOSABLE_EMAIL' });
  });

  it('gives later rounds only what is left of the budget', async () => {
    const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true', EXISTING_ACCOUNT_POLICY: 'deny' });
    const rounds: number[] = [];
    const slow: FactGatherer = async (names, _input, _config, budgetMs) => {
      rounds.push(budgetMs);
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { facts: Object.fromEntries(names.map((name) => [name, false])), failures: [], warnings: [] };
    };
    await decideWithLookups(REFUSAL_RULES, inputOf({ email: 'a@example.com' }), config, slow, 1000);
    const [first = 0, second = 0] = rounds;
    expect(first).toBeLessThanOrEqual(1000);
    expect(first).toBeGreaterThan(950);
    // The first round slept 30 ms: the second gets at least that much less.
    expect(second).toBeLessThanOrEqual(first - 25);
  });

  it(`refuses with SERVICE_UNAVAILABLE (rule "lookups") after ${MAX_LOOKUP_ROUNDS} rounds that answer nothing`, async () => {
    const config = configOf({ EXISTING_ACCOUNT_POLICY: 'deny' });
    let calls = 0;
    const answersNothing: FactGatherer = async () => {
      calls++;
      return { facts: {}, failures: [], warnings: [] };
    };
    const decided = await decideWithLookups(
      REFUSAL_RULES,
      inputOf({ email: 'a@example.com' }),
      config,
      answersNothing,
      1000,
    );
    expect(decided.decision).toEqual({ outcome: 'refused', code: 'SERVICE_UNAVAILABLE', rule: 'lookups' });
    expect(calls).toBe(MAX_LOOKUP_ROUNDS);
  });

  it('passes on the lookups’ failures and warnings', async () => {
    const config = configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' });
    const gather: FactGatherer = async () => ({
      facts: { invitation: 'none' },
      failures: [],
      warnings: ['An invitation row in INVITE_TABLE has a malformed "expiresAt"'],
    });
    const decided = await decideWithLookups(
      REFUSAL_RULES,
      inputOf({ email: 'a@example.com', inviteCode: 'CODE' }),
      config,
      gather,
      1000,
    );
    expect(decided).toEqual({
      decision: { outcome: 'refused', code: 'INVITE_INVALID', rule: 'INVITE_REQUIRED' },
      failures: [],
      warnings: ['An invitation row in INVITE_TABLE has a malformed "expiresAt"'],
    });
  });
});

describe('lookupBudget', () => {
  it('keeps a safety margin inside the time left, never more than the cap, never less than zero', () => {
    expect(lookupBudget({ getRemainingTimeInMillis: () => 1500 })).toBe(1500 - LOOKUP_SAFETY_MARGIN_MS);
    expect(lookupBudget({ getRemainingTimeInMillis: () => 60_000 })).toBe(LOOKUP_CAP_MS);
    expect(lookupBudget({ getRemainingTimeInMillis: () => 100 })).toBe(0);
  });

  it('uses the cap when the context cannot say how much time is left', () => {
    expect(lookupBudget(undefined)).toBe(LOOKUP_CAP_MS);
    expect(lookupBudget({ getRemainingTimeInMillis: () => Number.NaN })).toBe(LOOKUP_CAP_MS);
  });
});
