// The answers the playground offers for each fact a lookup would give. The list of facts and the
// shape of each answer are src/model/facts.ts's: the mapped type below does not compile without an
// entry for every fact, or with an answer its type does not allow, and the records over the unions
// (CAPTCHA reasons, link outcomes, failure kinds) do not compile without every member.
import type {
  CaptchaFailure,
  FactName,
  Facts,
  LinkOutcome,
  LookupFailureKind,
  MailDomainAnswer,
} from '../../src/model/facts.js';

/** One choice of a fact's switch: what it is called on the page, and the answer given to the tester. */
interface FactAnswer<Name extends FactName> {
  readonly label: string;
  readonly value: NonNullable<Facts[Name]>;
}

type FactAnswers = { readonly [Name in FactName]: readonly FactAnswer<Name>[] };

const FAILURES: Readonly<Record<LookupFailureKind, string>> = {
  'transient-failure': 'lookup failed: transient (time-out, throttling)',
  'permanent-failure': 'lookup failed: permanent (access denied, missing table)',
};
// Every fact's type allows both failures: an entry of FACT_ANSWERS that could not take them would not compile.
const FAILURE_ANSWERS: readonly { label: string; value: LookupFailureKind }[] = Object.entries(FAILURES).map(
  ([value, label]) => ({ label, value: value as LookupFailureKind }),
);

const CAPTCHA_REASONS: Readonly<Record<CaptchaFailure, string>> = {
  refused: 'refused by the provider',
  'low-score': 'score under CAPTCHA_MIN_SCORE',
  'wrong-hostname': 'solved on another hostname',
  'wrong-action': 'solved for another action',
};

const LINK_OUTCOMES: Readonly<Record<LinkOutcome, string>> = {
  linked: 'linked to the one native user',
  'would-link': 'would link (DRY_RUN)',
  'no-match': 'no native user holds the email',
  'several-matches': 'several native users hold it',
  unconfirmed: 'the native user is unconfirmed',
};

const MAIL_ANSWERS: Readonly<Record<MailDomainAnswer, string>> = {
  'has-mail-server': 'DNS: a mail server (MX, or A/AAAA)',
  'no-such-domain': 'DNS: no such domain (NXDOMAIN)',
  'null-mx': 'DNS: a null MX (accepts no mail)',
  'no-mail-server': 'DNS: neither MX nor A/AAAA',
  unknown: 'DNS: no usable answer (error or silence)',
};

const yesNo = (yes: string, no: string): { label: string; value: boolean }[] => [
  { label: yes, value: true },
  { label: no, value: false },
];

/** Every fact, in src/model/facts.ts's order, with the answers a lookup could give. */
export const FACT_ANSWERS: FactAnswers = {
  disposableEmail: [...yesNo('a throwaway domain', 'not a throwaway domain'), ...FAILURE_ANSWERS],
  emailDomainTypo: [
    { label: 'no likely typo', value: { suggestion: undefined } },
    { label: 'a likely typo of gmail.com', value: { suggestion: 'gmail.com' } },
    ...FAILURE_ANSWERS,
  ],
  emailDomainMail: [
    ...Object.entries(MAIL_ANSWERS).map(([value, label]) => ({ label, value: value as MailDomainAnswer })),
    ...FAILURE_ANSWERS,
  ],
  invitation: [
    { label: 'a code matched', value: { proven: 'code', spendsUse: false } },
    { label: 'a code matched (a use to spend)', value: { proven: 'code', spendsUse: true } },
    { label: 'a row for the address (no code)', value: { proven: 'address', spendsUse: false } },
    { label: 'no invitation admits it', value: 'none' },
    { label: 'its uses are spent', value: 'used' },
    ...FAILURE_ANSWERS,
  ],
  invitationUse: [
    { label: 'the use was spent', value: 'spent' },
    { label: 'others spent the uses meanwhile', value: 'used' },
    { label: 'the row no longer admits it', value: 'none' },
    ...FAILURE_ANSWERS,
  ],
  waitlist: [
    { label: 'recorded on the waitlist', value: 'recorded' },
    { label: 'a retry, already recorded', value: 'retry' },
    { label: 'not written (DRY_RUN)', value: 'dry-run' },
    ...FAILURE_ANSWERS,
  ],
  captcha: [
    { label: 'passed', value: { passed: true } },
    ...Object.entries(CAPTCHA_REASONS).map(([reason, label]) => ({
      label: `failed: ${label}`,
      value: { passed: false, reason: reason as CaptchaFailure },
    })),
    ...FAILURE_ANSWERS,
  ],
  rateLimit: [
    { label: 'counted, under every limit', value: { exceeded: undefined } },
    { label: 'over a limit (email-domain:20/h)', value: { exceeded: 'email-domain:20/h' } },
    ...FAILURE_ANSWERS,
  ],
  existingAccountForEmail: [...yesNo('another user holds the email', 'no other user holds it'), ...FAILURE_ANSWERS],
  existingAccountForPhone: [...yesNo('another user holds the phone', 'no other user holds it'), ...FAILURE_ANSWERS],
  federatedLink: [
    ...Object.entries(LINK_OUTCOMES).map(([value, label]) => ({ label, value: value as LinkOutcome })),
    ...FAILURE_ANSWERS,
  ],
};
