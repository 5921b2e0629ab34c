// Loaded on first use only: a cold start reads it only when LINK_FEDERATED_USERS is set.
import type { LinkOutcome } from '../../model/facts.js';
import type { FederatedIdentity } from '../../decide/rules/federated-link.js';
import { asciiLowerCase } from '../../read/email-address.js';
import { callAwsJson } from './aws-json-client.js';
import { COGNITO, holdsAttribute, usersWith } from './existing-account-lookup.js';

// ListUsers' largest page: federated users holding the email are skipped, and two native ones
// are enough to know there is more than one.
const MAX_LISTED = 60;

/**
 * Links a federated identity to the one native user of the pool holding this email, when that
 * user's email is verified and the user is confirmed; otherwise says why not. Federated users
 * (status EXTERNAL_PROVIDER) are never link targets, and neither is an unverified email: whoever
 * signed up with someone else's address and never proved it must not receive that person's
 * Google sign-in. Users whose email is not verified hold nothing (see holdsAttribute) and are not
 * counted at all, so a squatter cannot turn the owner's link into `several-matches`; a page full of
 * them with more behind counts as several. Under DRY_RUN it calls nothing but ListUsers and answers `would-link`.
 *
 * AdminLinkProviderForUser's errors reach the caller as they are (LimitExceededException at five
 * linked identities, InvalidParameterException when the identity is already linked or an
 * immutable attribute differs…): they are permanent, and the sign-up is refused.
 */
// Used through import() in gather-facts.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function linkFederatedUser(
  userPoolId: string,
  email: string,
  identity: FederatedIdentity,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<LinkOutcome> {
  // The same case-aware lookup as the account guard: as given, and with A-Z lowercased.
  const spellings = [...new Set([email, asciiLowerCase(email)])];
  const { users, more } = await usersWith(userPoolId, 'email', spellings, MAX_LISTED, signal);
  const native = users.filter((user) => user.UserStatus !== 'EXTERNAL_PROVIDER' && holdsAttribute(user, 'email'));
  const [target, ...others] = native;
  if (others.length > 0 || more) return 'several-matches';
  if (target === undefined) return 'no-match';
  if (target.UserStatus !== 'CONFIRMED') return 'unconfirmed';
  if (dryRun) return 'would-link';
  await callAwsJson(
    COGNITO,
    'AdminLinkProviderForUser',
    {
      UserPoolId: userPoolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: target.Username },
      SourceUser: {
        ProviderName: identity.provider,
        ProviderAttributeName: 'Cognito_Subject',
        ProviderAttributeValue: identity.subject,
      },
    },
    signal,
  );
  return 'linked';
}
