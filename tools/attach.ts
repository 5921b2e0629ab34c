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
const HELP = `Attaches a Lambda function as a user pool's pre sign-up trigger, or detaches it, without resetting
anything else: UpdateUserPool resets every setting it is not given, so every setting the pool has is sent
back. Also adds (or removes) the function's permission for Cognito to invoke it, limited to this pool.
Prints what changes and what is kept first.

  --user-pool-id ID     the pool, e.g. eu-west-1_AbCdEf123
  --function-arn ARN    the function to attach (with --detach: whose permission to remove)
  --detach              remove the pre sign-up trigger instead
  --region R            default AWS_REGION, else the pool id's region
  --endpoint-url URL    another endpoint than AWS's, for Cognito and Lambda alike
                        (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER and AWS_ENDPOINT_URL_LAMBDA set each)
  --dry-run             say what would change, and change nothing
  --no-permission       leave the function's permission alone
  -h, --help            print this and do nothing else

npm run local's emulator (cognito-local) needs none of this: it calls its function for every pool, and it
has no Lambda API for the permission (use --no-permission to rehearse the pool update against it).`;
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
    HELP,
  );
  const userPoolId = required(values['user-pool-id'], '--user-pool-id', USAGE);
  const detach = values.detach === true;
  const functionArn = values['function-arn'];
  if (!detach && functionArn === undefined)
    throw new UsageError(`--function-arn or --detach is required.\nUsage: ${USAGE}`);
  if (functionArn !== undefined && !detach && !FUNCTION_ARN.test(functionArn)) {
    throw new UsageError(`--function-arn must be a Lambda function ARN, not ${JSON.stringify(functionArn)}.`);
  }
  const dryRun = values['dry-run'] === true;
  const region =
    values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? /^([a-z0-9-]+)_/.exec(userPoolId)?.[1];
  if (region === undefined) throw new UsageError(`--region is required, as no AWS_REGION is set.\nUsage: ${USAGE}`);
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
    process.stderr.write(`attach: ${describeFailure(error, values['endpoint-url'])}\n`);
    return 1;
  } finally {
    cognito.destroy();
    lambda.destroy();
  }
});

/**
 * What went wrong, as a sentence. An endpoint that answers with something other than JSON (an HTML
 * page) makes the SDK throw "Deserialization error: … inspect the hidden field {error}.$response";
 * that is said in our words instead, from that hidden response (its status and content type), and
 * for the Lambda API, why npm run local's emulator cannot answer it.
 */
function describeFailure(error: unknown, endpointUrl: string | undefined): string {
  const { name, message } = error as Error;
  const notJson = name === 'SyntaxError' || /Unexpected token|is not valid JSON|Deserialization error/.test(message);
  if (!notJson) return `${name}: ${message}`;
  const service = (error as { $service?: string }).$service === 'Lambda' ? 'Lambda' : 'Cognito';
  const variable = service === 'Lambda' ? 'AWS_ENDPOINT_URL_LAMBDA' : 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER';
  const fromEnv = process.env[variable] ?? process.env.AWS_ENDPOINT_URL;
  const where = endpointUrl ?? (fromEnv === undefined ? `AWS's ${service} endpoint` : `${fromEnv} (${variable})`);
  const answer = describeAnswer((error as { $response?: unknown }).$response);
  if (service === 'Lambda') {
    return (
      `${where} answered a Lambda API call (GetPolicy, to read the function's permissions) with ${answer}, ` +
      "not the Lambda API's JSON: it has no Lambda API. npm run local's emulator (cognito-local) serves Cognito only, " +
      'and it calls its function for every pool, so there is no permission to add there: run again with --no-permission ' +
      'to attach the trigger to the pool alone, or point AWS_ENDPOINT_URL_LAMBDA at an endpoint that serves the Lambda API.'
    );
  }
  return (
    `${where} answered DescribeUserPool with ${answer}, not Cognito's JSON: it does not look like a Cognito endpoint. ` +
    'Check --endpoint-url (npm run local prints its endpoint), or leave it out to reach AWS.'
  );
}

/** What an endpoint sent back instead of JSON, from the SDK's response: `an HTML page (HTTP 404)`. */
function describeAnswer(response: unknown): string {
  const { statusCode, headers } = (response ?? {}) as { statusCode?: number; headers?: Record<string, string> };
  const type = Object.entries(headers ?? {}).find(([header]) => header.toLowerCase() === 'content-type')?.[1] ?? '';
  const what = /html/i.test(type)
    ? 'an HTML page'
    : type === ''
      ? 'an answer'
      : `an answer of type ${type.split(';')[0] ?? type}`;
  return statusCode === undefined ? what : `${what} (HTTP ${String(statusCode)})`;
}

/** Whether the function's resource policy already has this statement (GetPolicy answers 404 when it has none). */
async function hasStatement(lambda: LambdaClient, functionName: string, statementId: string): Promise<boolean> {
  try {
    const { Policy } = await lambda
      .send(new GetPolicyCommand({ FunctionName: functionName }))
      .catch((error: unknown) => {
        // Marked, so that a failure can say which API the endpoint could not answer.
        if (error instanceof Error) Object.assign(error, { $service: 'Lambda' });
        throw error;
      });
    const statements = (JSON.parse(Policy ?? '{}') as { Statement?: { Sid?: string }[] }).Statement ?? [];
    return statements.some((statement) => statement.Sid === statementId);
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}
