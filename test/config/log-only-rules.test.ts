import { describe, expect, it } from 'vitest';
import { containerConfigWithDocument } from '../../src/config/document-config.js';
import { LOG_ONLY_RULE_NAMES } from '../../src/config/settings.js';
import { REFUSAL_RULES } from '../../src/decide/decide.js';
import { configOf, issuesOf } from '../helpers/fixtures.js';

describe('LOG_ONLY_RULES', () => {
  it('accepts the names of the rules, as their units give them, from the environment and a document', () => {
    expect(configOf({ LOG_ONLY_RULES: ' BLOCK_DISPOSABLE_EMAILS, RATE_LIMITS,CAPTCHA ' }).logOnlyRules).toEqual(
      new Set(['BLOCK_DISPOSABLE_EMAILS', 'RATE_LIMITS', 'CAPTCHA']),
    );
    const { loaded } = containerConfigWithDocument(
      {},
      JSON.stringify({ LOG_ONLY_RULES: ['CAPTCHA', 'INVITE_REQUIRED'] }),
      'RULES_FILE',
    );
    expect(loaded.issues).toEqual([]);
    expect(loaded.config.logOnlyRules).toEqual(new Set(['CAPTCHA', 'INVITE_REQUIRED']));
    expect(configOf({ LOG_ONLY_RULES: ' , ' }).logOnlyRules).toBeUndefined();
  });

  it('takes every rule that refuses in its own name, and no other name', () => {
    const own = REFUSAL_RULES.map((rule) => rule.name).filter(
      (name) => !['UNREADABLE_EMAIL', 'INVITATION_USE', 'LINK_FEDERATED_USERS'].includes(name),
    );
    expect([...LOG_ONLY_RULE_NAMES].sort()).toEqual(own.sort());
  });

  it('names a misspelt rule with the one meant', () => {
    expect(issuesOf({ LOG_ONLY_RULES: 'CAPTCHA,RATE_LIMIT' })).toEqual([
      {
        variable: 'LOG_ONLY_RULES',
        received: 'the entry "RATE_LIMIT"',
        expected: "a rule's name: did you mean RATE_LIMITS?",
        kind: 'entry',
      },
    ]);
    expect(issuesOf({ LOG_ONLY_RULES: 'block_disposable_emails' })[0]?.expected).toBe(
      "a rule's name: did you mean BLOCK_DISPOSABLE_EMAILS?",
    );
  });

  it('lists the rules for a name far from any', () => {
    const [issue] = issuesOf({ LOG_ONLY_RULES: 'ALLOWED_EMAILS' });
    expect(issue?.expected).toBe(`rule names, separated by commas, among ${LOG_ONLY_RULE_NAMES.join(', ')}`);
  });

  it.each([
    ['LINK_FEDERATED_USERS', 'its lookup links the accounts'],
    ['INVITATION_USE', 'part of INVITE_REQUIRED'],
    ['UNREADABLE_EMAIL', 'only logged when each of them is log-only'],
  ])('says why %s cannot be log-only', (name, why) => {
    const [issue] = issuesOf({ LOG_ONLY_RULES: name });
    expect(issue?.expected).toContain(`${name} cannot be`);
    expect(issue?.expected).toContain(why);
  });

  describe('per app client', () => {
    const clientWarnings = (document: object) =>
      containerConfigWithDocument({}, JSON.stringify(document), 'RULES_FILE').clientWarnings;

    it('warns about a client that makes a rule log-only, as about any override that admits more', () => {
      expect(
        clientWarnings({
          BLOCK_DISPOSABLE_EMAILS: true,
          clients: { app: { LOG_ONLY_RULES: ['BLOCK_DISPOSABLE_EMAILS'] } },
        }),
      ).toEqual([expect.stringContaining('clients.app admits more than the top level through LOG_ONLY_RULES')]);
    });

    it('does not warn about a client that enforces a rule the top level only logs', () => {
      expect(
        clientWarnings({
          BLOCK_DISPOSABLE_EMAILS: true,
          LOG_ONLY_RULES: ['BLOCK_DISPOSABLE_EMAILS', 'CAPTCHA'],
          clients: { app: { LOG_ONLY_RULES: ['CAPTCHA'] }, other: { LOG_ONLY_RULES: [] } },
        }),
      ).toEqual([]);
    });

    it('uses the client’s list for the client', () => {
      const configuration = containerConfigWithDocument(
        {},
        JSON.stringify({ LOG_ONLY_RULES: ['CAPTCHA'], clients: { app: { LOG_ONLY_RULES: ['RATE_LIMITS'] } } }),
        'RULES_FILE',
      );
      expect(configuration.byClient.get('app')?.config.logOnlyRules).toEqual(new Set(['RATE_LIMITS']));
      expect(configuration.loaded.config.logOnlyRules).toEqual(new Set(['CAPTCHA']));
    });
  });
});
