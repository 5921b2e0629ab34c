// A small CDK app: a user pool with the pre sign-up trigger attached. Run `npx cdk synth` here
// (Node 22.18 or later runs this TypeScript file as it is), or `npx cdk deploy`.
import { App, Stack } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { PreSignUpTrigger } from 'cognito-pre-signup-trigger/cdk';

const app = new App();
const stack = new Stack(app, 'PreSignUpExample');

const userPool = new UserPool(stack, 'Users', { selfSignUpEnabled: true, signInAliases: { email: true } });

new PreSignUpTrigger(stack, 'PreSignUp', {
  userPool,
  allowedEmailDomains: ['example.com', '*.example.com'],
  blockDisposableEmails: true,
  existingAccountPolicy: 'deny',
  inviteRequired: true,
  // The secret stays in SSM: create it first with `aws ssm put-parameter --type SecureString`.
  inviteSecret: {
    parameter: StringParameter.fromSecureStringParameterAttributes(stack, 'InviteSecret', {
      parameterName: '/pre-signup/invite-secret',
    }),
  },
  denyMessages: { EMAIL_DOMAIN_NOT_ALLOWED: 'Please sign up with your work email' },
});

app.synth();
