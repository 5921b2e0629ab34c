import { describe, expect, it } from 'vitest';
import { evaluate, TesterInputError } from '../../tools/rule-tester/evaluate.js';
import { loadEvent } from '../helpers/events.js';

describe('evaluate', () => {
  it('admits a sign-up under no settings and gives the flags and the log line', () => {
    const result = evaluate({ settings: '', event: loadEvent('sign-up.json') });
    expect(result.outcome).toBe('confirmed');
    expect(result.flags).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true });
    expect(result.rules.every((rule) => rule.verdict === 'off')).toBe(true);
    // The first sign-up of a cold start carries the settings' warnings, as the function's does.
    expect(result.log).toMatchObject({ outcome: 'confirmed', rule: 'AUTO_CONFIRM', level: 'WARN' });
    expect(result.log.warnings).toEqual([expect.stringContaining('EXISTING_ACCOUNT_POLICY is not set')]);
  });

  it('refuses as the user sees it, and says which rule refused', () => {
    const result = evaluate({
      settings: 'BLOCKED_EMAIL_DOMAINS=blocked.example\n',
      event: loadEvent('sign-up-blocked-domain.json'),
    });
    expect(result).toMatchObject({
      outcome: 'refused',
      code: 'EMAIL_DOMAIN_BLOCKED',
      message: 'PreSignUp failed with error EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.',
    });
    expect(result.rules.find((rule) => rule.rule === 'BLOCKED_EMAIL_DOMAINS')).toEqual({
      rule: 'BLOCKED_EMAIL_DOMAINS',
      verdict: 'refused',
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
  });

  it('assumes the answer that admits for a lookup the facts do not answer, and says so', () => {
    const result = evaluate({ settings: 'BLOCK_DISPOSABLE_EMAILS=true', event: loadEvent('sign-up.json') });
    expect(result.outcome).toBe('confirmed');
    expect(result.rules.find((rule) => rule.rule === 'BLOCK_DISPOSABLE_EMAILS')).toEqual({
      rule: 'BLOCK_DISPOSABLE_EMAILS',
      verdict: 'passed',
      assumed: { disposableEmail: false },
    });
  });

  it('uses the facts given', () => {
    const result = evaluate({
      settings: 'BLOCK_DISPOSABLE_EMAILS=true',
      event: loadEvent('sign-up.json'),
      facts: { disposableEmail: true },
    });
    expect(result).toMatchObject({ outcome: 'refused', code: 'DISPOSABLE_EMAIL' });
  });

  it('reads a rules document and picks the client', () => {
    const document = JSON.stringify({ clients: { abc123: { BLOCKED_EMAIL_DOMAINS: ['example.com'] } } });
    expect(evaluate({ settings: document, event: loadEvent('sign-up.json') }).outcome).toBe('confirmed');
    expect(evaluate({ settings: document, event: loadEvent('sign-up.json'), clientId: 'abc123' })).toMatchObject({
      outcome: 'refused',
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
  });

  it('refuses with CONFIG_INVALID under a bad setting', () => {
    const result = evaluate({ settings: 'AUTO_CONFIRM=yes', event: loadEvent('sign-up.json') });
    expect(result).toMatchObject({ outcome: 'refused', code: 'CONFIG_INVALID' });
  });

  it('names a settings line that is not KEY=VALUE, by its number', () => {
    expect(() => evaluate({ settings: 'AUTO_CONFIRM=true\nnot a setting', event: {} })).toThrow(
      new TesterInputError(
        "Line 2 of the settings is not KEY=VALUE (a variable's name: a letter, then letters, digits and _)",
      ),
    );
  });
});

describe('evaluate under LOG_ONLY_RULES', () => {
  it('marks a log-only rule’s refusal, admits the sign-up and shows wouldRefuse in the log line', () => {
    const result = evaluate({
      settings: 'BLOCK_DISPOSABLE_EMAILS=true\nLOG_ONLY_RULES=BLOCK_DISPOSABLE_EMAILS\nEXISTING_ACCOUNT_POLICY=ignore',
      event: loadEvent('sign-up-disposable-email.json'),
      facts: { disposableEmail: true },
    });
    expect(result.outcome).toBe('confirmed');
    expect(result.rules.find((rule) => rule.rule === 'BLOCK_DISPOSABLE_EMAILS')).toEqual({
      rule: 'BLOCK_DISPOSABLE_EMAILS',
      verdict: 'log-only',
      code: 'DISPOSABLE_EMAIL',
    });
    expect(result.log).toMatchObject({ wouldRefuse: ['DISPOSABLE_EMAIL'], WouldRefuse: 1 });
  });
});
