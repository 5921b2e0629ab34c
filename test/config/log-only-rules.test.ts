import { describe, expect, it } from 'vitest';
import { containerConfigWithDocument } from '../../src/config/document-config.js';
import { LOG_ONLY_RULE_NAMES, settingsOfRule } from '../../src/config/settings.js';
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
      (name) => !['UNREADABLE_EMAIL', 'INVITATION_USE', 'LINK_FEDERATED_USERS', 'WAITLIST_TABLE'].includes(name),
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
    const [issue] = issuesOf({ LOG_ONLY_RULES: 'NOT_A_RULE_AT_ALL' });
    expect(issue?.expected).toBe(`rule names, separated by commas, among ${LOG_ONLY_RULE_NAMES.join(', ')}`);
  });

  // Before: each got only the generic list, though the log's `rule` field gives these names.
  it.each([
    ['ALLOWED_EMAILS', 'ALLOWED_EMAIL_DOMAINS'],
    ['BLOCKED_PHONE_PREFIXES', 'ALLOWED_PHONE_PREFIXES'],
    ['INVITE_MATCH', 'INVITE_REQUIRED'],
    ['RATE_LIMIT_TABLE', 'RATE_LIMITS'],
  ])('names the rule that decides %s', (name, rule) => {
    const [issue] = issuesOf({ LOG_ONLY_RULES: name });
    expect(issue?.expected).toBe(`a rule's name: ${name} is decided by the rule ${rule}: name that`);
  });

  // Before: `constructor` read Object.prototype's and said "constructor cannot be, function Object()…".
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('reads %s as no rule, with the list', (name) => {
    const [issue] = issuesOf({ LOG_ONLY_RULES: name });
    expect(issue?.expected).toBe(`rule names, separated by commas, among ${LOG_ONLY_RULE_NAMES.join(', ')}`);
  });

  it.each([
    ['LINK_FEDERATED_USERS', 'its lookup links the accounts'],
    ['WAITLIST_TABLE', 'it follows INVITE_REQUIRED'],
    ['INVITATION_USE', 'part of INVITE_REQUIRED'],
    ['UNREADABLE_EMAIL', 'only logged when each of them is log-only'],
  ])('says why %s cannot be log-only', (name, why) => {
    const [issue] = issuesOf({ LOG_ONLY_RULES: name });
    expect(issue?.expected).toContain(`${name} cannot be`);
    expect(issue?.expected).toContain(why);
  });

  it('derives the settings a rule decides from marks its unit agrees with', () => {
    for (const rule of REFUSAL_RULES) {
      if (rule.name === 'UNREADABLE_EMAIL' || rule.name === 'INVITATION_USE') continue;
      expect(rule.settings).toEqual(expect.arrayContaining([...settingsOfRule(rule.name)]));
    }
    expect(settingsOfRule('ALLOWED_PHONE_PREFIXES')).toEqual(['ALLOWED_PHONE_PREFIXES', 'BLOCKED_PHONE_PREFIXES']);
    expect(settingsOfRule('BLOCK_DISPOSABLE_EMAILS')).toEqual(['BLOCK_DISPOSABLE_EMAILS']);
  });

  describe('per app client', () => {
    const clientWarnings = (document: object) =>
      containerConfigWithDocument({}, JSON.stringify(document), 'RULES_FILE').clientWarnings;

    const clientIssues = (document: object) =>
      containerConfigWithDocument({}, JSON.stringify(document), 'RULES_FILE').loaded.issues;

    it('warns about a client that makes a rule log-only whose settings a client may loosen', () => {
      const document = {
        EXISTING_ACCOUNT_POLICY: 'deny',
        clients: { app: { LOG_ONLY_RULES: ['EXISTING_ACCOUNT_POLICY'] } },
      };
      expect(clientIssues(document)).toEqual([]);
      expect(clientWarnings(document)).toEqual([
        expect.stringContaining('clients.app admits more than the top level through LOG_ONLY_RULES'),
      ]);
    });

    // The attacker's review: a client's LOG_ONLY_RULES let anyone who picks the client past the
    // top level's blocks, which turning the block off in the client could not (failed before: only warned).
    it('refuses a client that makes a top-level block log-only, as it refuses turning the block off', () => {
      const issues = clientIssues({
        BLOCK_DISPOSABLE_EMAILS: true,
        BLOCKED_EMAIL_DOMAINS: ['evil.example'],
        BLOCKED_EMAILS: ['someone@evil.example'],
        BLOCKED_PHONE_PREFIXES: ['+999'],
        EXISTING_ACCOUNT_POLICY: 'ignore',
        clients: {
          client1: {
            LOG_ONLY_RULES: [
              'BLOCK_DISPOSABLE_EMAILS',
              'BLOCKED_EMAIL_DOMAINS',
              'BLOCKED_EMAILS',
              'ALLOWED_PHONE_PREFIXES',
            ],
          },
        },
      });
      expect(issues.map((issue) => issue.variable)).toEqual(
        Array(4).fill('RULES_FILE: clients.client1.LOG_ONLY_RULES'),
      );
      expect(issues.map((issue) => issue.received).sort()).toEqual([
        'ALLOWED_PHONE_PREFIXES, which the top level enforces through BLOCKED_PHONE_PREFIXES',
        'BLOCKED_EMAILS, which the top level enforces through BLOCKED_EMAILS',
        'BLOCKED_EMAIL_DOMAINS, which the top level enforces through BLOCKED_EMAIL_DOMAINS',
        'BLOCK_DISPOSABLE_EMAILS, which the top level enforces through BLOCK_DISPOSABLE_EMAILS',
      ]);
      expect(issues.find((issue) => issue.received.startsWith('BLOCKED_EMAIL_DOMAINS'))?.expected).toContain(
        'a client may make BLOCKED_EMAIL_DOMAINS stricter, never looser',
      );
    });

    it('lets a client make a block log-only that the top level does not hold, or already logs only', () => {
      expect(
        clientIssues({
          BLOCKED_EMAIL_DOMAINS: ['evil.example'],
          LOG_ONLY_RULES: ['BLOCKED_EMAIL_DOMAINS'],
          clients: { app: { LOG_ONLY_RULES: ['BLOCKED_EMAIL_DOMAINS', 'BLOCK_DISPOSABLE_EMAILS'] } },
        }),
      ).toEqual([]);
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
