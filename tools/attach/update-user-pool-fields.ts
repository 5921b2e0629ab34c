import { UpdateUserPoolRequest$, type UpdateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider';

/**
 * Every field UpdateUserPool accepts, read from the AWS SDK's own schema of the request, so that a
 * field AWS adds reaches this tool with the next SDK update, not with someone's edit of a list.
 * The schema is an array whose member names are its first array of strings.
 */
export function updateUserPoolFields(schema: unknown = UpdateUserPoolRequest$): (keyof UpdateUserPoolCommandInput)[] {
  const members = Array.isArray(schema)
    ? (schema as unknown[]).find(
        (part): part is string[] =>
          Array.isArray(part) && part.length > 0 && part.every((item) => typeof item === 'string'),
      )
    : undefined;
  if (members === undefined || !members.includes('UserPoolId') || !members.includes('LambdaConfig')) {
    throw new Error(
      "the AWS SDK's UpdateUserPool schema has a shape this tool does not know: update tools/attach/update-user-pool-fields.ts",
    );
  }
  return members as (keyof UpdateUserPoolCommandInput)[];
}
