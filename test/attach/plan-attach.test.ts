import { describe, expect, it } from 'vitest';
import { planAttach } from '../../tools/attach/plan-attach.js';
import { updateUserPoolFields } from '../../tools/attach/update-user-pool-fields.js';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:pre-signup';
const FIELDS = updateUserPoolFields();

describe('updateUserPoolFields', () => {
  it('reads every field UpdateUserPool accepts from the SDK, the pool name included', () => {
    expect(FIELDS).toEqual(
      expect.arrayContaining(['UserPoolId', 'LambdaConfig', 'Policies', 'MfaConfiguration', 'PoolName']),
    );
  });

  it('refuses a schema it does not understand instead of sending a partial input', () => {
    expect(() => updateUserPoolFields([3, 'ns', 'UpdateUserPoolRequest', 0, ['Unrelated']])).toThrow(
      'tools/attach/update-user-pool-fields.ts',
    );
    expect(() => updateUserPoolFields('not a schema')).toThrow('a shape this tool does not know');
  });
});

describe('planAttach', () => {
  it('sends back every field the pool has, the pool name as PoolName, and only PreSignUp changed', () => {
    const plan = planAttach(
      {
        Id: 'eu-west-1_abc',
        Name: 'users',
        Arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc',
        SchemaAttributes: [{ Name: 'email' }],
        AutoVerifiedAttributes: ['email'],
        LambdaConfig: { PostConfirmation: 'arn:post' },
        MfaConfiguration: 'OFF',
      },
      { attach: ARN },
      FIELDS,
    );
    expect(plan).toEqual({
      kind: 'update',
      input: {
        UserPoolId: 'eu-west-1_abc',
        PoolName: 'users',
        AutoVerifiedAttributes: ['email'],
        MfaConfiguration: 'OFF',
        LambdaConfig: { PostConfirmation: 'arn:post', PreSignUp: ARN },
      },
      changes: [`LambdaConfig.PreSignUp: (none) -> ${ARN}`],
      kept: expect.arrayContaining([
        'PoolName',
        'AutoVerifiedAttributes',
        'MfaConfiguration',
        'LambdaConfig.PostConfirmation',
      ]),
      notes: [],
    });
  });

  it('has nothing to do when the trigger is already as asked', () => {
    expect(planAttach({ Id: 'p', LambdaConfig: { PreSignUp: ARN } }, { attach: ARN }, FIELDS)).toEqual({
      kind: 'unchanged',
      summary: 'the trigger is already attached',
    });
    expect(planAttach({ Id: 'p' }, { detach: true }, FIELDS)).toEqual({
      kind: 'unchanged',
      summary: 'no pre sign-up trigger is attached',
    });
  });

  it.each([
    [{ MfaConfiguration: 'ON' as const }, 'the pool has MFA ON without an SMS configuration'],
    [{ AutoVerifiedAttributes: ['phone_number' as const] }, 'verifies phone numbers but has no SMS configuration'],
  ])('refuses %j, which UpdateUserPool rejects', (settings, reason) => {
    const plan = planAttach({ Id: 'p', ...settings }, { attach: ARN }, FIELDS);
    expect(plan).toEqual({ kind: 'refused', reason: expect.stringContaining(reason) });
  });

  it('attaches to a pool with MFA when it has an SMS configuration', () => {
    const pool = { Id: 'p', MfaConfiguration: 'ON' as const, SmsConfiguration: { SnsCallerArn: 'arn:role' } };
    expect(planAttach(pool, { attach: ARN }, FIELDS).kind).toBe('update');
  });
});
