// The answers the rule tester gives in place of lookups: what `--facts` may say (the shape of Facts,
// src/model/facts.ts, as JSON), and the answer that admits when it says nothing. Browser-safe.
import type { SignUpInput } from '../../src/read/sign-up-event.js';
import { FACT_NAMES, type FactName, type Facts } from '../../src/model/facts.js';

/** A mistake in what the tester was given (a settings line, the facts): one sentence naming it. */
export class TesterInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TesterInputError';
  }
}

const FAILURES = ['transient-failure', 'permanent-failure'] as const;
const CAPTCHA_REASONS = ['refused', 'low-score', 'wrong-hostname', 'wrong-action'] as const;
const LINK_OUTCOMES = ['linked', 'would-link', 'no-match', 'several-matches', 'unconfirmed'] as const;
const INVITATION_USES = ['spent', 'used', 'none'] as const;
const WAITLIST_RECORDS = ['recorded', 'retry', 'dry-run'] as const;
const MAIL_ANSWERS = ['has-mail-server', 'no-such-domain', 'null-mx', 'no-mail-server', 'unknown'] as const;

/** What each fact accepts in `--facts`, for the error that names it and for --help. */
export const FACT_SHAPES: Readonly<Record<FactName, string>> = {
  disposableEmail: 'true or false',
  emailDomainTypo: '{"suggestion": "gmail.com"} (a likely typo of it) or {} (no typo)',
  emailDomainMail: MAIL_ANSWERS.map((a) => `"${a}"`).join(', '),
  invitation: '{"proven": "code" | "address", "spendsUse": true | false}, "none" or "used"',
  invitationUse: '"spent", "used" or "none"',
  waitlist: WAITLIST_RECORDS.map((o) => `"${o}"`).join(', '),
  captcha: `{"passed": true | false, "reason"?: ${CAPTCHA_REASONS.map((r) => `"${r}"`).join(' | ')}, "score"?: number}`,
  rateLimit: '{"exceeded": "email-domain:20/h"} (a limit it went over) or {} (under every limit)',
  existingAccountForEmail: 'true or false',
  existingAccountForPhone: 'true or false',
  federatedLink: LINK_OUTCOMES.map((o) => `"${o}"`).join(', '),
};

/**
 * Reads `--facts`: a JSON object with some of the facts (FACT_NAMES), each as Facts has it, or
 * `"transient-failure"` / `"permanent-failure"` for a lookup that failed. Throws TesterInputError
 * naming the first key that is wrong.
 */
export function readTesterFacts(value: unknown): Partial<Facts> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TesterInputError('The facts must be a JSON object, such as {"disposableEmail": true}');
  }
  const facts: Record<string, unknown> = {};
  for (const [key, answer] of Object.entries(value)) {
    if (!(FACT_NAMES as readonly string[]).includes(key)) {
      throw new TesterInputError(`The facts name ${JSON.stringify(key)}, which is none of ${FACT_NAMES.join(', ')}`);
    }
    const name = key as FactName;
    if (!isFailure(answer) && !fits(name, answer)) {
      throw new TesterInputError(
        `The fact ${name} is ${JSON.stringify(answer)}: expected ${FACT_SHAPES[name]}, or "transient-failure" / "permanent-failure"`,
      );
    }
    facts[name] = answer;
  }
  return facts;
}

function isFailure(answer: unknown): boolean {
  return (FAILURES as readonly unknown[]).includes(answer);
}

function fits(name: FactName, answer: unknown): boolean {
  const object = typeof answer === 'object' && answer !== null && !Array.isArray(answer);
  const fields = object ? (answer as Record<string, unknown>) : {};
  switch (name) {
    case 'disposableEmail':
    case 'existingAccountForEmail':
    case 'existingAccountForPhone':
      return typeof answer === 'boolean';
    case 'invitation':
      return (
        answer === 'none' ||
        answer === 'used' ||
        (object &&
          (fields.proven === 'code' || fields.proven === 'address') &&
          typeof fields.spendsUse === 'boolean' &&
          Object.keys(fields).every((key) => key === 'proven' || key === 'spendsUse'))
      );
    case 'emailDomainTypo':
      return (
        object &&
        (fields.suggestion === undefined || typeof fields.suggestion === 'string') &&
        Object.keys(fields).every((key) => key === 'suggestion')
      );
    case 'emailDomainMail':
      return (MAIL_ANSWERS as readonly unknown[]).includes(answer);
    case 'invitationUse':
      return (INVITATION_USES as readonly unknown[]).includes(answer);
    case 'captcha':
      return (
        object &&
        typeof fields.passed === 'boolean' &&
        (fields.reason === undefined || (CAPTCHA_REASONS as readonly unknown[]).includes(fields.reason)) &&
        (fields.score === undefined || typeof fields.score === 'number') &&
        (fields.hostname === undefined || typeof fields.hostname === 'string') &&
        (fields.errorCodes === undefined ||
          (Array.isArray(fields.errorCodes) && fields.errorCodes.every((code) => typeof code === 'string')))
      );
    case 'rateLimit':
      return (
        object &&
        (fields.exceeded === undefined || typeof fields.exceeded === 'string') &&
        Object.keys(fields).every((key) => key === 'exceeded')
      );
    case 'federatedLink':
      return (LINK_OUTCOMES as readonly unknown[]).includes(answer);
    case 'waitlist':
      return (WAITLIST_RECORDS as readonly unknown[]).includes(answer);
  }
}

/**
 * The answer that admits, assumed for a fact `--facts` does not give: no throwaway domain, no typo, a
 * domain with a mail server, no other
 * account, a passing CAPTCHA, a count under every limit, no account to link, an invitation use
 * recorded, and an invitation that proves what the sign-up offers (its code, or without one its
 * address: an address alone never confirms a self sign-up, see invitationProvesNoOwner). The
 * waitlist has no admitting answer (it refuses whatever it recorded): the address is assumed recorded.
 */
export function admittingAnswer<Name extends FactName>(name: Name, input: SignUpInput): NonNullable<Facts[Name]> {
  const answers: { readonly [N in FactName]: NonNullable<Facts[N]> } = {
    disposableEmail: false,
    emailDomainTypo: { suggestion: undefined },
    emailDomainMail: 'has-mail-server',
    invitation: { proven: (input.inviteCode?.trim() ?? '') === '' ? 'address' : 'code', spendsUse: false },
    invitationUse: 'spent',
    waitlist: 'recorded',
    captcha: { passed: true },
    rateLimit: { exceeded: undefined },
    existingAccountForEmail: false,
    existingAccountForPhone: false,
    federatedLink: 'no-match',
  };
  return answers[name];
}
