// Loaded on first use only: the AWS SDK costs tens of milliseconds to import, which a cold start
// should pay only when EXISTING_ACCOUNT_POLICY is on.
import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';

// One client per container: its connections and credentials are reused across invocations.
// The SDK's own settings apply, so AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER reaches an emulator.
let client: CognitoIdentityProviderClient | undefined;

/**
 * Whether any user of the pool holds one of these values in the attribute. ListUsers filters are
 * case-sensitive, so callers pass every spelling worth checking; the lookups run in parallel.
 */
/** The container's client, made on first need (or ahead of it, by prewarm). */
// ts-unused-exports:disable-next-line
export function cognitoClient(): CognitoIdentityProviderClient {
  client ??= new CognitoIdentityProviderClient({});
  return client;
}

// Used through import() in gather-facts.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function isAttributeHeld(
  userPoolId: string,
  attribute: 'email' | 'phone_number',
  values: readonly string[],
  signal: AbortSignal,
): Promise<boolean> {
  const cognito = cognitoClient();
  const pages = await Promise.all(
    values.map((value) =>
      cognito.send(
        new ListUsersCommand({
          UserPoolId: userPoolId,
          Filter: `${attribute} = "${escapeFilterValue(value)}"`,
          Limit: 1,
        }),
        { abortSignal: signal },
      ),
    ),
  );
  return pages.some((page) => (page.Users?.length ?? 0) > 0);
}

/** Escapes a value for a ListUsers filter string, where it stands between double quotes. */
export function escapeFilterValue(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
