// Loaded on first use only: the lookups are a file of their own in the zip, which a cold start
// should read only when EXISTING_ACCOUNT_POLICY is on.
import { type AwsJsonService, callAwsJson } from './aws-json-client.js';

export const COGNITO: AwsJsonService = {
  signingName: 'cognito-idp',
  endpointVariable: 'COGNITO_IDENTITY_PROVIDER',
  contentType: 'application/x-amz-json-1.1',
  targetPrefix: 'AWSCognitoIdentityProviderService',
};

/**
 * Whether any user of the pool holds one of these values in the attribute. ListUsers filters are
 * case-sensitive, so callers pass every spelling worth checking; the lookups run in parallel.
 * AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER reaches an emulator, as it does for the AWS SDK.
 */
// Used through import() in gather-facts.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function hasExistingAccount(
  userPoolId: string,
  attribute: 'email' | 'phone_number',
  values: readonly string[],
  signal: AbortSignal,
): Promise<boolean> {
  // One user is enough to know.
  return (await usersWith(userPoolId, attribute, values, 1, signal)).length > 0;
}

/** A user as ListUsers describes it, as far as the lookups read it. */
export interface ListedUser {
  readonly Username?: unknown;
  readonly UserStatus?: unknown;
  readonly Attributes?: readonly { readonly Name?: unknown; readonly Value?: unknown }[];
}

/**
 * The users of the pool holding one of these values in the attribute (at most `limit` for each,
 * up to ListUsers' 60), each once. ListUsers filters are case-sensitive, so callers pass every
 * spelling worth checking; the lookups run in parallel.
 */
export async function usersWith(
  userPoolId: string,
  attribute: 'email' | 'phone_number',
  values: readonly string[],
  limit: number,
  signal: AbortSignal,
): Promise<ListedUser[]> {
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
  for (const page of pages) {
    for (const user of Array.isArray(page.Users) ? (page.Users as ListedUser[]) : []) byName.set(user.Username, user);
  }
  return [...byName.values()];
}

/** Escapes a value for a ListUsers filter string, where it stands between double quotes. */
export function escapeFilterValue(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
