// Loaded on first use only: the lookups are a file of their own in the zip, which a cold start
// should read only when EXISTING_ACCOUNT_POLICY is on.
import { AwsServiceError, type AwsJsonService, callAwsJson } from './aws-json-client.js';

export const COGNITO: AwsJsonService = {
  signingName: 'cognito-idp',
  endpointVariable: 'COGNITO_IDENTITY_PROVIDER',
  contentType: 'application/x-amz-json-1.1',
  targetPrefix: 'AWSCognitoIdentityProviderService',
};

// ListUsers' largest page. Squatters (see holdsAttribute) are skipped, so one user is not enough to know.
const MAX_LISTED = 60;

/**
 * Whether any user of the pool holds one of these values in the attribute (see holdsAttribute).
 * ListUsers filters are case-sensitive, so callers pass every spelling worth checking; the lookups
 * run in parallel. AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER reaches an emulator, as it does for
 * the AWS SDK. A page full of squatters with more behind it counts as held: what could not be
 * checked is never treated as free.
 */
// Used through import() in gather-facts.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function hasExistingAccount(
  userPoolId: string,
  attribute: 'email' | 'phone_number',
  values: readonly string[],
  signal: AbortSignal,
): Promise<boolean> {
  const { users, more } = await usersWith(userPoolId, attribute, values, MAX_LISTED, signal);
  return more || users.some((user) => holdsAttribute(user, attribute));
}

/**
 * Whether a user of the pool holds one of these values as a sign-in alias: AdminGetUser with the
 * value as `Username`, which Cognito resolves to the one user holding that alias (one call per
 * value, in parallel, in the `UserRead` quota category rather than ListUsers' smaller `UserList`).
 * Only for an attribute that is a sign-in alias of the pool (SIGN_IN_ALIASES): there a verified
 * address is the alias, which Cognito keeps unique, so the holder is the only user holdsAttribute
 * could count; an unverified address is no alias, so squatters are not found, as they hold nothing.
 * A user found by another name (a user name or preferred_username spelled as the address) could
 * hide the holder: then ListUsers answers for that value.
 */
// Used through import() in lookups.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function holdsAlias(
  userPoolId: string,
  attribute: 'email' | 'phone_number',
  values: readonly string[],
  signal: AbortSignal,
): Promise<boolean> {
  const answers = await Promise.all(
    values.map(async (value) => {
      const user = await userByAlias(userPoolId, value, signal);
      if (user === undefined) return false;
      if (holdsAttribute(user, attribute) && sameAddress(attributeOf(user, attribute), value)) return true;
      return hasExistingAccount(userPoolId, attribute, [value], signal);
    }),
  );
  return answers.some(Boolean);
}

/** The user AdminGetUser finds under this name, in ListUsers' shape; undefined when there is none. */
async function userByAlias(userPoolId: string, name: string, signal: AbortSignal): Promise<ListedUser | undefined> {
  try {
    const user = await callAwsJson(COGNITO, 'AdminGetUser', { UserPoolId: userPoolId, Username: name }, signal);
    const attributes = Array.isArray(user.UserAttributes) ? user.UserAttributes : [];
    return {
      Username: user.Username,
      UserStatus: user.UserStatus,
      Attributes: attributes as NonNullable<ListedUser['Attributes']>,
    };
  } catch (error) {
    if (error instanceof AwsServiceError && error.name === 'UserNotFoundException') return undefined;
    throw error;
  }
}

// A pool whose names are case-insensitive (the default for new pools) finds an alias in any letter
// case. Unicode's folding, wider than A-Z, errs towards "held": never towards a takeover.
const sameAddress = (held: unknown, asked: string): boolean =>
  typeof held === 'string' && held.toLowerCase() === asked.toLowerCase();

/** A user as ListUsers describes it, as far as the lookups read it. */
interface ListedUser {
  readonly Username?: unknown;
  readonly UserStatus?: unknown;
  readonly Attributes?: readonly { readonly Name?: unknown; readonly Value?: unknown }[];
}

/** The value of one of a listed user's attributes. */
const attributeOf = (user: ListedUser, name: string): unknown =>
  user.Attributes?.find((attribute) => attribute.Name === name)?.Value;

/**
 * Whether a listed user holds the value of this attribute: only when it is verified. Anyone can
 * create a user with someone else's email, and under AUTO_VERIFY_EMAIL=false (which linking
 * requires) even a confirmed one; an address nobody proved is no sign-in alias in Cognito, and it
 * must neither block the owner's sign-up nor receive the owner's federated sign-in.
 */
export function holdsAttribute(user: ListedUser, attribute: 'email' | 'phone_number'): boolean {
  return attributeOf(user, `${attribute}_verified`) === 'true';
}

/**
 * The users of the pool holding one of these values in the attribute (at most `limit` for each,
 * up to ListUsers' 60), each once, and whether any value had more users than one page. ListUsers
 * filters are case-sensitive, so callers pass every spelling worth checking; the lookups run in
 * parallel.
 */
export async function usersWith(
  userPoolId: string,
  attribute: 'email' | 'phone_number',
  values: readonly string[],
  limit: number,
  signal: AbortSignal,
): Promise<{ readonly users: ListedUser[]; readonly more: boolean }> {
  const pages = await Promise.all(
    values.map((value) =>
      callAwsJson(
        COGNITO,
        'ListUsers',
        { UserPoolId: userPoolId, Filter: `${attribute} = "${escapeFilterValue(value)}"`, Limit: limit },
        signal,
      ),
    ),
  );
  const byName = new Map<unknown, ListedUser>();
  let more = false;
  for (const page of pages) {
    if (typeof page.PaginationToken === 'string' && page.PaginationToken !== '') more = true;
    for (const user of Array.isArray(page.Users) ? (page.Users as ListedUser[]) : []) byName.set(user.Username, user);
  }
  return { users: [...byName.values()], more };
}

/** Escapes a value for a ListUsers filter string, where it stands between double quotes. */
export function escapeFilterValue(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
