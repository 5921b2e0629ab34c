// `npm run attach -- --user-pool-id ID --function-arn ARN [--region R] [--endpoint-url URL] [--dry-run] [--no-permission]`
// `npm run attach -- --user-pool-id ID --detach [...]`
// Attaches the function as a pool's pre sign-up trigger without resetting anything else:
// UpdateUserPool resets every field it is not given, so every field the pool has is sent back.
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AddPermissionCommand, GetPolicyCommand, LambdaClient, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { planAttach } from './attach/plan-attach.js';
import { updateUserPoolFields } from './attach/update-user-pool-fields.js';
import { parseCommandLine, required, runTool, UsageError } from './cli.js';

const USAGE =
  'npm run attach -- --user-pool-id ID (--function-arn ARN | --detach) [--region R] [--endpoint-url URL] ' +
  '[--dry-run] [--no-permission]';
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?$/;
const COGNITO = 'cognito-idp.amazonaws.com';

await runTool('attach', async () => {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      'user-pool-id': { type: 'string' },
      'function-arn': { type: 'string' },
      detach: { type: 'boolean' },
      region: { type: 'string' },
      'endpoint-url': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-permission': { type: 'boolean' },
    },
    USAGE,
  );
  const userPoolId = required(values['user-pool-id'], '--user-pool-id', USAGE);
  const detach = values.detach === true;
  const functionArn = values['function-arn'];
  if (!detach && functionArn === undefined)
    throw new UsageError(`--function-arn or --detach is required\nUsage: ${USAGE}`);
  if (functionArn !== undefined && !detach && !FUNCTION_ARN.test(functionArn)) {
    throw new UsageError(`--function-arn must be a Lambda function ARN, received ${JSON.stringify(functionArn)}`);
  }
  const dryRun = values['dry-run'] === true;
  const region =
    values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? /^([a-z0-9-]+)_/.exec(userPoolId)?.[1];
  if (region === undefined) throw new UsageError(`--region is required (no AWS_REGION is set)\nUsage: ${USAGE}`);
  const endpoint = values['endpoint-url'] === undefined ? {} : { endpoint: values['endpoint-url'] };
  const cognito = new CognitoIdentityProviderClient({ region, ...endpoint });
  const lambda = new LambdaClient({ region, ...endpoint });
  const out = (line: string) => process.stdout.write(`${line}\n`);

  try {
    const described = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    const pool = described.UserPool;
    if (pool === undefined) throw new Error(`DescribeUserPool returned no pool for ${userPoolId}`);
    const plan = planAttach(pool, detach ? { detach: true } : { attach: functionArn ?? '' }, updateUserPoolFields());
    out(`User pool ${userPoolId}${pool.Name === undefined ? '' : ` (${pool.Name})`}`);
    if (plan.kind === 'refused') {
      process.stderr.write(`attach: refused: ${plan.reason}\n`);
      return 1;
    }

    // The permission goes on the function being attached, or comes off the one being detached.
    const permissionTarget = detach ? (functionArn ?? pool.LambdaConfig?.PreSignUp) : functionArn;
    const statementId = `cognito-pre-signup-${userPoolId}`;
    const sourceArn = pool.Arn;
    const sourceAccount = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:(\d{12}):/.exec(sourceArn ?? '')?.[1];
    const permission =
      values['no-permission'] === true || permissionTarget === undefined
        ? undefined
        : { target: permissionTarget, present: await hasStatement(lambda, permissionTarget, statementId) };

    if (plan.kind === 'unchanged') out(`  ${plan.summary}`);
    else {
      for (const line of plan.changes) out(`  change  ${line}`);
      out(`  keep    ${plan.kept.length === 0 ? '(nothing else is set)' : plan.kept.join(', ')}`);
      for (const note of plan.notes) out(`  note    ${note}`);
    }
    if (permission !== undefined) {
      const action = detach
        ? permission.present
          ? 'remove'
          : 'none to remove:'
        : permission.present
          ? 'already in place:'
          : 'add';
      out(
        `  permission  ${action} ${statementId} on ${permission.target} (lambda:InvokeFunction for ${COGNITO}, ` +
          `SourceArn ${sourceArn ?? '(unknown)'}${sourceAccount === undefined ? '' : `, SourceAccount ${sourceAccount}`})`,
      );
    }
    if (dryRun) {
      out('Dry run: nothing was changed.');
      return 0;
    }

    // Attach: permission first, so the trigger can be invoked the moment it is attached.
    // Detach: trigger first, so no sign-up meets a trigger it may not invoke.
    if (!detach && permission !== undefined && !permission.present) {
      if (sourceArn === undefined) throw new Error('DescribeUserPool returned no Arn for the pool');
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: permission.target,
          StatementId: statementId,
          Action: 'lambda:InvokeFunction',
          Principal: COGNITO,
          SourceArn: sourceArn,
          ...(sourceAccount === undefined ? {} : { SourceAccount: sourceAccount }),
        }),
      );
    }
    if (plan.kind === 'update') await cognito.send(new UpdateUserPoolCommand(plan.input));
    if (detach && permission?.present === true) {
      await lambda.send(new RemovePermissionCommand({ FunctionName: permission.target, StatementId: statementId }));
    }
    out(detach ? 'Detached.' : 'Attached.');
    return 0;
  } catch (error) {
    const { name, message } = error as Error;
    process.stderr.write(`attach: ${name}: ${message}\n`);
    return 1;
  } finally {
    cognito.destroy();
    lambda.destroy();
  }
});

/** Whether the function's resource policy already has this statement (GetPolicy answers 404 when it has none). */
async function hasStatement(lambda: LambdaClient, functionName: string, statementId: string): Promise<boolean> {
  try {
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: functionName }));
    const statements = (JSON.parse(Policy ?? '{}') as { Statement?: { Sid?: string }[] }).Statement ?? [];
    return statements.some((statement) => statement.Sid === statementId);
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}
