import { defineFunction } from '@aws-amplify/backend';

export const preSignUp = defineFunction({
  name: 'pre-sign-up',
  entry: './handler.ts',
  runtime: 22,
  timeoutSeconds: 4,
  // In the auth stack, like the pool it is a trigger of: granting it access to the pool (below)
  // then makes no dependency cycle between stacks.
  resourceGroupName: 'auth',
  // The settings, exactly as the README's configuration table names them.
  environment: {
    ALLOWED_EMAIL_DOMAINS: 'example.com,*.example.com',
    BLOCK_DISPOSABLE_EMAILS: 'true',
    DENY_MESSAGE_EMAIL_DOMAIN_NOT_ALLOWED: 'Please sign up with your work email',
  },
});
