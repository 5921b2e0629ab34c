// A small CDK app: a user pool with the pre sign-up trigger attached. Run `npx cdk synth` here, or
// `node app.ts` (Node 22.18 or later runs this TypeScript file as it is), or `npx cdk deploy`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { PreSignUpTrigger } from 'cognito-pre-signup-trigger/cdk';

// The CDK CLI says where it wants the template (CDK_OUTDIR); run alone, the app writes it to cdk.out/
// beside this file rather than to a new temporary folder each time.
const outdir = process.env.CDK_OUTDIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'cdk.out');
const app = new App({ outdir });
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

const assembly = app.synth();
const template = path.join(assembly.directory, stack.templateFile);
console.log(
  `Wrote the CloudFormation template of stack ${stack.stackName} to ${path.relative(process.cwd(), template)}.`,
);
