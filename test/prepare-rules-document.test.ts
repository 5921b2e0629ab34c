import { describe, expect, it } from 'vitest';
import { prepareRulesDocument } from '../tools/prepare-rules-document.js';

describe('prepareRulesDocument (npm run build -- --rules)', () => {
  it('refuses the problems no environment can fix, naming each', () => {
    const prepared = prepareRulesDocument(
      JSON.stringify({
        BLOCKED_EMAIL_DOMAINS: ['spam.example', 'not a domain'],
        ALOWED_EMAILS: ['kim@example.com'],
        MIN_USERNAME_LENGTH: 2.5,
        clients: { admin: { BLOCKED_EMAILS: ['kim@example.com', 'no-at-sign'] } },
      }),
    );
    expect(prepared).toEqual({
      ok: false,
      problems: [
        // A bad entry of the top level is named once, not again for each client that inherits it.
        'BLOCKED_EMAIL_DOMAINS: expected domain names like "example.com" or "*.example.com"; received the entry "not a domain"',
        'RULES_FILE: MIN_USERNAME_LENGTH: expected a whole number (a JSON number, not a string); received a number that is not whole',
        'RULES_FILE: ALOWED_EMAILS: expected a setting name (did you mean ALLOWED_EMAILS?); received an unknown key',
        'RULES_FILE: clients.admin.BLOCKED_EMAILS: expected email addresses like "kim@example.com"; received the entry "no-at-sign"',
      ],
    });
  });

  it('leaves to `npm run rules -- check --env` what the environment may settle', () => {
    expect(prepareRulesDocument(JSON.stringify({ INVITE_REQUIRED: true }))).toEqual({
      ok: true,
      text: undefined,
      warnings: [],
    });
  });

  it('sorts the lists, in the top level and in each client, and keeps a sorted document as it is', () => {
    const prepared = prepareRulesDocument(
      JSON.stringify({
        BLOCKED_EMAILS: ['b@example.com', 'a@example.com'],
        DENY_MESSAGE_EMAIL_BLOCKED: 'Not, this, one',
        clients: { admin: { ALLOWED_EMAIL_DOMAINS: ['z.example', '*.b.example', 'a.example'] } },
      }),
    );
    expect(prepared.ok && JSON.parse(prepared.text ?? '')).toEqual({
      BLOCKED_EMAILS: ['a@example.com', 'b@example.com'],
      DENY_MESSAGE_EMAIL_BLOCKED: 'Not, this, one',
      clients: { admin: { ALLOWED_EMAIL_DOMAINS: ['*.b.example', 'a.example', 'z.example'] } },
    });
    expect(prepareRulesDocument('{"BLOCKED_EMAILS": ["a@example.com", "b@example.com"]}')).toEqual({
      ok: true,
      text: undefined,
      warnings: [],
    });
  });

  it('passes on the warning for a client that admits more than the top level', () => {
    const prepared = prepareRulesDocument(
      JSON.stringify({ AUTO_CONFIRM: false, clients: { tests: { AUTO_CONFIRM: true } } }),
    );
    expect(prepared).toMatchObject({ ok: true, warnings: [expect.stringContaining('clients.tests admits more')] });
  });
});
