import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { FinalDecision } from '../../src/decide/decision.js';
import type { LookupFailure } from '../../src/model/lookup-failure.js';
import { readSignUpEvent } from '../../src/read/sign-up-event.js';
import { type Decided, outcomeOf, planResponse, planUnexpectedFailure } from '../../src/respond/plan-response.js';
import { loadEvent } from '../helpers/events.js';

const signUp = readSignUpEvent(loadEvent('sign-up.json'));
const valid = loadConfig({});
const ALL = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true };
const NONE = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

function decided(decision: FinalDecision, failures: LookupFailure[] = [], warnings: string[] = []): Decided {
  return { decision, failures, warnings };
}
const accepted = (flags = ALL) => decided({ outcome: 'accepted', flags, rule: 'AUTO_CONFIRM' });
const refused = decided({ outcome: 'refused', code: 'EMAIL_DOMAIN_BLOCKED', rule: 'BLOCKED_EMAIL_DOMAINS' });
const adminCreated = decided({ outcome: 'unchanged', rule: 'AdminCreateUser' });

describe('planResponse', () => {
  it('sets the flags of an accepted sign-up, and logs it confirmed at INFO with the labels read', () => {
    expect(planResponse(signUp, valid, accepted(), [])).toEqual({
      action: 'set-flags',
      flags: ALL,
      log: {
        level: 'INFO',
        message: 'Sign-up accepted',
        outcome: 'confirmed',
        code: undefined,
        rule: 'AUTO_CONFIRM',
        triggerSource: 'PreSignUp_SignUp',
        userPoolId: 'us-east-1_EXAMPLE',
        clientId: '1example23456789',
        emailDomain: 'example.com',
        flags: ALL,
        dryRun: undefined,
        lookupFailures: undefined,
        federatedLink: undefined,
        configProblems: undefined,
        warnings: undefined,
      },
    });
  });

  it('logs an accepted sign-up that stays unconfirmed as unconfirmed', () => {
    expect(planResponse(signUp, valid, accepted(NONE), []).log.outcome).toBe('unconfirmed');
  });

  it('refuses with the code and its text, overrides applied', () => {
    const loaded = loadConfig({ DENY_MESSAGE_EMAIL_DOMAIN_BLOCKED: 'Use your work email' });
    expect(planResponse(signUp, loaded, refused, [])).toMatchObject({
      action: 'refuse',
      code: 'EMAIL_DOMAIN_BLOCKED',
      text: 'Use your work email',
      log: { level: 'INFO', outcome: 'refused', code: 'EMAIL_DOMAIN_BLOCKED', rule: 'BLOCKED_EMAIL_DOMAINS' },
    });
  });

  it('returns an AdminCreateUser event unchanged, and says why', () => {
    expect(planResponse(signUp, valid, adminCreated, [])).toMatchObject({
      action: 'return-unchanged',
      log: { outcome: 'unchanged', rule: 'AdminCreateUser', message: expect.stringContaining('ignores') },
    });
  });

  it.each([
    ['would-refuse', refused],
    ['would-confirm', accepted()],
    ['would-leave-unconfirmed', accepted(NONE)],
    ['unchanged', adminCreated],
  ] as const)('in a dry run, changes nothing and logs %s', (outcome, decision) => {
    expect(planResponse(signUp, loadConfig({ DRY_RUN: 'true' }), decision, [])).toMatchObject({
      action: 'return-unchanged',
      log: { outcome, dryRun: true, message: 'Dry run: nothing was changed' },
    });
  });

  it('refuses an event that is not an object with EVENT_INVALID at ERROR', () => {
    expect(planResponse(readSignUpEvent('text'), valid, undefined, [])).toMatchObject({
      action: 'refuse',
      code: 'EVENT_INVALID',
      log: { level: 'ERROR', outcome: 'refused', triggerSource: undefined },
    });
  });

  it('refuses an event whose getters threw with SERVICE_UNAVAILABLE, naming only the error', () => {
    const hostile = readSignUpEvent(
      new Proxy(
        {},
        {
          get: () => {
            throw new RangeError('a@example.com');
          },
        },
      ),
    );
    expect(planResponse(hostile, valid, undefined, [])).toMatchObject({
      action: 'refuse',
      code: 'SERVICE_UNAVAILABLE',
      log: { level: 'ERROR', message: 'Reading the event threw RangeError' },
    });
  });

  it('returns another trigger’s event unchanged, at WARN', () => {
    const other = readSignUpEvent(loadEvent('wrong-trigger-post-confirmation.json'));
    expect(planResponse(other, valid, undefined, [])).toMatchObject({
      action: 'return-unchanged',
      log: { level: 'WARN', outcome: 'unchanged', triggerSource: 'PostConfirmation_ConfirmSignUp' },
    });
  });

  it('refuses with CONFIG_INVALID on bad settings, listing every problem, unless DRY_RUN is on', () => {
    const bad = loadConfig({ AUTO_CONFIRM: 'yes', MIN_USERNAME_LENGTH: 'x' });
    expect(planResponse(signUp, bad, undefined, [])).toMatchObject({
      action: 'refuse',
      code: 'CONFIG_INVALID',
      log: { level: 'ERROR', configProblems: bad.issues },
    });
    expect(planResponse(signUp, loadConfig({ DRY_RUN: 'true', AUTO_CONFIRM: 'yes' }), undefined, [])).toMatchObject({
      action: 'return-unchanged',
      log: { level: 'ERROR', outcome: 'unchanged', dryRun: true },
    });
  });

  it('refuses a readable sign-up under valid settings that reached it without a decision', () => {
    expect(planResponse(signUp, valid, undefined, [])).toMatchObject({
      action: 'refuse',
      code: 'SERVICE_UNAVAILABLE',
      log: { level: 'ERROR', message: 'Unexpected NoDecision: refused as SERVICE_UNAVAILABLE' },
    });
  });

  it.each([
    ['INFO', [], []],
    ['WARN', [], ['AUTO_CONFIM is set but not read: did you mean AUTO_CONFIRM?']],
    ['WARN', [{ lookup: 'existingAccountForEmail', error: 'TimeoutError', kind: 'transient-failure' }], []],
    [
      'ERROR',
      [
        { lookup: 'existingAccountForEmail', error: 'TimeoutError', kind: 'transient-failure' },
        { lookup: 'existingAccountForPhone', error: 'AccessDeniedException', kind: 'permanent-failure', fix: 'a fix' },
      ],
      [],
    ],
  ] as const)('logs at %s for failures %j and warnings %j', (level, failures, warnings) => {
    const plan = planResponse(signUp, valid, decided(refused.decision, [...failures], []), warnings);
    expect(plan.log.level).toBe(level);
    expect(plan.log.lookupFailures).toEqual(failures.length > 0 ? failures : undefined);
  });

  it('logs the cold start’s warnings and the lookups’ warnings together', () => {
    const plan = planResponse(signUp, valid, decided(refused.decision, [], ['row malformed']), ['misspelt']);
    expect(plan.log.warnings).toEqual(['misspelt', 'row malformed']);
  });
});

describe('planUnexpectedFailure', () => {
  it('refuses with SERVICE_UNAVAILABLE in the configured text, logging the error’s name and the labels', () => {
    const loaded = loadConfig({ DENY_MESSAGE_SERVICE_UNAVAILABLE: 'Try again in a minute' });
    expect(planUnexpectedFailure(signUp, loaded, [], 'TypeError')).toMatchObject({
      action: 'refuse',
      code: 'SERVICE_UNAVAILABLE',
      text: 'Try again in a minute',
      log: {
        level: 'ERROR',
        message: 'Unexpected TypeError: refused as SERVICE_UNAVAILABLE',
        userPoolId: 'us-east-1_EXAMPLE',
      },
    });
  });
});

describe('outcomeOf', () => {
  it.each([
    [refused.decision, false, 'refused'],
    [refused.decision, true, 'would-refuse'],
    [accepted().decision, false, 'confirmed'],
    [accepted().decision, true, 'would-confirm'],
    [accepted(NONE).decision, false, 'unconfirmed'],
    [accepted(NONE).decision, true, 'would-leave-unconfirmed'],
    [adminCreated.decision, false, 'unchanged'],
    [adminCreated.decision, true, 'unchanged'],
  ] as const)('gives %j, dry run %s, the outcome %s', (decision, dryRun, outcome) => {
    expect(outcomeOf(decision, dryRun)).toBe(outcome);
  });
});
