import type { UpdateUserPoolCommandInput, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';

/** Attach this function as the pre sign-up trigger, or detach whatever is attached. */
type TriggerChange = { readonly attach: string } | { readonly detach: true };

/** What UpdateUserPool would be sent, and why; or why it must not be. */
type AttachPlan =
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'unchanged'; readonly summary: string }
  | {
      readonly kind: 'update';
      readonly input: UpdateUserPoolCommandInput;
      /** One line per changed value: `LambdaConfig.PreSignUp: (none) -> arn…`. */
      readonly changes: readonly string[];
      /** The pool's fields passed back unchanged, so UpdateUserPool does not reset them. */
      readonly kept: readonly string[];
      /** Anything adjusted on the way, and why. */
      readonly notes: readonly string[];
    };

// UpdateUserPool names one field differently from DescribeUserPool's UserPoolType.
const DESCRIBED_AS: Partial<Record<keyof UpdateUserPoolCommandInput, keyof UserPoolType>> = { PoolName: 'Name' };

const CONSOLE_INSTEAD =
  'attach the trigger in the Cognito console (User pool > Extensions > Lambda triggers), or in the ' +
  'CloudFormation or CDK code that manages the pool';

/**
 * The UpdateUserPool input that changes only the pre sign-up trigger. UpdateUserPool resets every
 * field it is not given, so the input carries back every field the pool has that UpdateUserPool
 * accepts (`fields`, from the SDK's schema). Pure: the caller reads the pool and sends the input.
 */
export function planAttach(
  pool: UserPoolType,
  change: TriggerChange,
  fields: readonly (keyof UpdateUserPoolCommandInput)[],
): AttachPlan {
  const refusal = refusalFor(pool);
  if (refusal !== undefined) return { kind: 'refused', reason: refusal };

  const before = pool.LambdaConfig?.PreSignUp;
  const after = 'attach' in change ? change.attach : undefined;
  if (before === after) {
    return {
      kind: 'unchanged',
      summary: after === undefined ? 'no pre sign-up trigger is attached' : 'the trigger is already attached',
    };
  }

  const input: Record<string, unknown> = { UserPoolId: pool.Id };
  const kept: string[] = [];
  for (const field of fields) {
    if (field === 'UserPoolId' || field === 'LambdaConfig') continue;
    const value = pool[DESCRIBED_AS[field] ?? (field as keyof UserPoolType)];
    if (value === undefined) continue;
    input[field] = value;
    kept.push(field);
  }
  const { PreSignUp: _previous, ...otherTriggers } = pool.LambdaConfig ?? {};
  input.LambdaConfig = after === undefined ? otherTriggers : { ...otherTriggers, PreSignUp: after };
  kept.push(...Object.keys(otherTriggers).map((trigger) => `LambdaConfig.${trigger}`));

  const notes: string[] = [];
  const temporaryDays = pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays;
  const adminConfig = pool.AdminCreateUserConfig;
  if (temporaryDays !== undefined && adminConfig?.UnusedAccountValidityDays !== undefined) {
    // UpdateUserPool refuses both at once ("Please use TemporaryPasswordValidityDays in
    // PasswordPolicy instead of UnusedAccountValidityDays"); the first is the one Cognito uses.
    const { UnusedAccountValidityDays: _deprecated, ...rest } = adminConfig;
    input.AdminCreateUserConfig = rest;
    notes.push(
      'AdminCreateUserConfig.UnusedAccountValidityDays (deprecated) is left out: Cognito uses ' +
        `Policies.PasswordPolicy.TemporaryPasswordValidityDays (${String(temporaryDays)}) instead`,
    );
  }

  return {
    kind: 'update',
    input: input as unknown as UpdateUserPoolCommandInput,
    changes: [`LambdaConfig.PreSignUp: ${before ?? '(none)'} -> ${after ?? '(none)'}`],
    kept,
    notes,
  };
}

/** Pools UpdateUserPool rejects whatever is sent back: say so instead of half-applying. */
function refusalFor(pool: UserPoolType): string | undefined {
  const mfa = pool.MfaConfiguration;
  const hasSms = pool.SmsConfiguration !== undefined;
  if ((mfa === 'ON' || mfa === 'OPTIONAL') && !hasSms) {
    return (
      `the pool has MFA ${mfa} without an SMS configuration. UpdateUserPool rejects that combination ` +
      '("SMS configuration and Auto verification for phone_number are required when MFA is required/optional"), ' +
      `even for authenticator-app MFA, so nothing was changed: ${CONSOLE_INSTEAD}`
    );
  }
  if (pool.AutoVerifiedAttributes?.includes('phone_number') === true && !hasSms) {
    return (
      'the pool verifies phone numbers but has no SMS configuration. UpdateUserPool rejects that ' +
      `("SMS configuration is required when phone_number is selected for auto verification"), so nothing was changed: ${CONSOLE_INSTEAD}`
    );
  }
  return undefined;
}
