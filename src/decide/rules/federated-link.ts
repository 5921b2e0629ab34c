import type { Config } from '../../config/load-config.js';
import { asciiLowerCase } from '../../read/email-address.js';
import type { SignUpInput } from '../../read/sign-up-event.js';
import { isFailure, type Facts, type LinkOutcome } from '../../model/facts.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/** The identity a federated sign-in brings: its provider, spelt as configured, and its id there. */
export interface FederatedIdentity {
  readonly provider: string;
  readonly subject: string;
}

/**
 * Why a federated sign-in under LINK_FEDERATED_USERS is not even looked up. Without the IdP's own
 * `email_verified: true` the address is only what the IdP let the user type: no link.
 */
type SkippedLink = 'provider-not-listed' | 'no-email' | 'provider-email-unverified';

/** What the log says about linking: the provider and the case, nothing personal. */
export interface FederatedLinkLog {
  readonly provider: string;
  readonly outcome: LinkOutcome | SkippedLink | 'transient-failure' | 'permanent-failure';
}

// What is logged of a provider that is not listed: its name, when it looks like one.
const LOGGABLE_PROVIDER = /^[A-Za-z0-9.-]{1,32}$/;

/**
 * The identity to link, or why there is none. Only a `PreSignUp_ExternalProvider` sign-up under
 * LINK_FEDERATED_USERS is a candidate. Cognito names such a user `<provider>_<id>`, with the
 * provider's name in any letter case (`Google_…` or `google_…`); the link needs the name as
 * configured, which is the listed spelling.
 */
function linkCaseOf(
  input: SignUpInput,
  config: Config,
): { readonly identity: FederatedIdentity } | { readonly skipped: SkippedLink; readonly provider: string } | undefined {
  const providers = config.linkFederatedUsers;
  if (providers === undefined || input.source !== 'PreSignUp_ExternalProvider') return undefined;
  const userName = input.userName ?? '';
  const separator = userName.indexOf('_');
  const prefix = separator > 0 ? userName.slice(0, separator) : '';
  const subject = userName.slice(separator + 1);
  const wanted = asciiLowerCase(prefix);
  const provider = providers.find((name) => asciiLowerCase(name) === wanted);
  if (provider === undefined || subject === '') {
    return { skipped: 'provider-not-listed', provider: LOGGABLE_PROVIDER.test(prefix) ? prefix : '(unreadable)' };
  }
  if (input.email === undefined || input.emailDomain === undefined) return { skipped: 'no-email', provider };
  if (!input.emailVerified) return { skipped: 'provider-email-unverified', provider };
  return { identity: { provider, subject } };
}

/** The identity to link for this sign-up, when LINK_FEDERATED_USERS applies to it. */
export function federatedIdentityOf(input: SignUpInput, config: Config): FederatedIdentity | undefined {
  const linkCase = linkCaseOf(input, config);
  return linkCase !== undefined && 'identity' in linkCase ? linkCase.identity : undefined;
}

/**
 * `LINK_FEDERATED_USERS`: a federated sign-in whose email the IdP says is verified, and belongs to
 * exactly one native user (not counting unconfirmed users with an unverified email, who hold
 * nothing), with that email verified and the user confirmed, is linked to that user instead of becoming a second
 * account, and this sign-up is refused with ACCOUNT_LINKED so that the app signs in again (into the
 * existing account). Any other case goes on to the other rules. A failed lookup or link refuses
 * with SERVICE_UNAVAILABLE whatever FAIL_OPEN says: the duplicate is never let through silently.
 */
function checkFederatedLink({ input, config, facts }: RuleContext): RuleVerdict {
  if (federatedIdentityOf(input, config) === undefined) return undefined;
  const outcome = facts.federatedLink;
  if (outcome === undefined) return { outcome: 'needs-facts', facts: ['federatedLink'] };
  if (isFailure(outcome)) return refuse('SERVICE_UNAVAILABLE', 'LINK_FEDERATED_USERS');
  if (outcome === 'linked' || outcome === 'would-link') return refuse('ACCOUNT_LINKED', 'LINK_FEDERATED_USERS');
  return undefined;
}

/** What the log line says about linking for this sign-up; undefined when linking does not apply. */
export function federatedLinkLogOf(input: SignUpInput, config: Config, facts: Facts): FederatedLinkLog | undefined {
  // Asked first, so that a function without linking never compiles linkCaseOf.
  if (config.linkFederatedUsers === undefined) return undefined;
  const linkCase = linkCaseOf(input, config);
  if (linkCase === undefined) return undefined;
  if ('skipped' in linkCase) return { provider: linkCase.provider, outcome: linkCase.skipped };
  const outcome = facts.federatedLink;
  return outcome === undefined ? undefined : { provider: linkCase.identity.provider, outcome };
}

export const federatedLinkRule = {
  name: 'LINK_FEDERATED_USERS',
  settings: ['LINK_FEDERATED_USERS'],
  isOn: (config) => config.linkFederatedUsers !== undefined,
  // It reads the address, but only one the IdP verified, to find its owner: it does not judge it.
  judges: { source: true, username: true },
  facts: ['federatedLink'],
  check: checkFederatedLink,
} as const satisfies RefusalRule;
