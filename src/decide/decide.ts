import type { Config } from '../config/load-config.js';
import type { RuleSettingName } from '../config/settings.js';
import type { SignUpInput } from '../read/sign-up-event.js';
import type { Decision } from './decision.js';
import { decideBy } from './decide-by.js';
import type { Facts } from '../model/facts.js';
import { captchaRule } from './rules/captcha.js';
import { disposableEmailRule } from './rules/disposable-email.js';
import { blockedEmailRule, emailSubaddressRule } from './rules/email-addresses.js';
import { allowedEmailDomainRule, blockedEmailDomainRule } from './rules/email-domains.js';
import { emailReadableRule } from './rules/email-readable.js';
import { emailDeliverabilityRule, emailDomainTypoRule } from './rules/email-domain-checks.js';
import { existingAccountRule } from './rules/existing-account.js';
import { federatedLinkRule } from './rules/federated-link.js';
import { invitationRule, invitationUseRule } from './rules/invitation.js';
import { phonePrefixesRule } from './rules/phone-prefixes.js';
import { rateLimitRule } from './rules/rate-limit.js';
import type { RefusalRule } from './rules/rule.js';
import { usernameLengthRule } from './rules/username.js';
import { waitlistRule } from './rules/waitlist.js';

// Every rule but the readable-email check, which covers those of them that judge the address.
const RULES_AFTER_READING = [
  // Blocks before allows: a blocked address or domain is refused even when an allow list names it.
  blockedEmailRule,
  blockedEmailDomainRule,
  emailSubaddressRule,
  allowedEmailDomainRule,
  phonePrefixesRule,
  disposableEmailRule,
  // Local, like the rules above; before the DNS check: `gmial.com` may well have no mail server,
  // and "did you mean ...@gmail.com?" helps more than "cannot receive mail".
  emailDomainTypoRule,
  usernameLengthRule,
  // A bot's sign-up spends nothing after this: no invitation use, no count, no DNS query.
  captchaRule,
  // After CAPTCHA: its refusal tells whoever sends the sign-up whether the function's resolver
  // knows a domain (a private zone too), and each probe costs queries; its fact is never looked up
  // beside the CAPTCHA's (CAPTCHA_GATED_FACTS). Before the invitation: a waitlist records a
  // sign-up the invitation rule refuses, and an address that takes no mail belongs on none.
  emailDeliverabilityRule,
  // Before the invitation and the account guard: a person who already has an account needs
  // neither an invitation nor to be told that the account exists.
  federatedLinkRule,
  invitationRule,
  // In the invitation's place: a sign-up no invitation admits is recorded once every rule before
  // has passed, and learns nothing of any account (the guard comes after).
  waitlistRule,
  existingAccountRule,
  // An invitation's use is spent by a sign-up every rule before admits: concurrent sign-ups with
  // one code race here, and the losers are refused before any count is taken.
  invitationUseRule,
  // Last: only a sign-up every other rule admits is counted (one refused here gives its use back).
  rateLimitRule,
] as const satisfies readonly RefusalRule[];

/**
 * The refusal rules in the order they run; the first refusal wins. Cheap, local rules come first
 * so that a sign-up they refuse never costs an AWS call. They are a file of their own in the zip
 * (lazy/settings-and-rules.mjs); the handler runs only those that are on (see refusalRulesFor).
 */
export const REFUSAL_RULES = [
  emailReadableRule(RULES_AFTER_READING),
  ...RULES_AFTER_READING,
] as const satisfies readonly RefusalRule[];

/** A rule's name, as its unit declares it (see RefusalRule). */
export type RuleName = (typeof REFUSAL_RULES)[number]['name'];

// Every setting SETTING_REGISTRY marks as a rule's name (`refusalRule`) names one of REFUSAL_RULES:
// LOG_ONLY_RULES accepts exactly those names. A mark left behind by a removed or renamed rule fails here.
// (A type-level check: nothing reads the constant.)
const _everyMarkedSettingNamesARule: [Exclude<RuleSettingName, RuleName>] extends [never] ? true : false = true;

/**
 * Decides a sign-up with every refusal rule (see decideBy). The handler runs only the rules that
 * are on (refusalRulesFor), which decides the same: a property test shows it.
 */
export function decide(input: SignUpInput, config: Config, facts: Facts): Decision {
  return decideBy(REFUSAL_RULES, input, config, facts);
}
