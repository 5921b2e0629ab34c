import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZIP_PATH } from '../../paths.mjs';
import {
  freePort,
  hasMotoServer,
  type LocalServer,
  startCognitoLocal,
  startMotoServer,
} from '../../tools/local/servers.js';
import { LOCAL_CREDENTIALS } from '../../tools/local/stack.js';
import { runTool } from '../helpers/run-tool.js';

// `npm run attach` end to end: the pools live in cognito-local, which implements DescribeUserPool
// and UpdateUserPool with the same reset-what-is-not-given behaviour as Cognito. The function and
// its resource policy live in moto_server (Lambda's AddPermission, GetPolicy, RemovePermission),
// when it is installed; without it the permission is skipped with --no-permission, and said so.
const teardown: (() => Promise<void>)[] = [];
let cognitoLocal: LocalServer;
let moto: LocalServer | undefined;
let cognito: CognitoIdentityProviderClient;
let lambda: LambdaClient | undefined;
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:pre-signup';
const POST_CONFIRMATION = 'arn:aws:lambda:us-east-1:123456789012:function:post-confirmation';

beforeAll(async () => {
  const deadLambda = `http://127.0.0.1:${String(await freePort())}`;
  const started = await Promise.allSettled([
    startCognitoLocal(deadLambda).then((server) => {
      teardown.push(() => server.stop());
      cognitoLocal = server;
    }),
    hasMotoServer()
      ? startMotoServer().then((server) => {
          teardown.push(() => server.stop());
          moto = server;
        })
      : undefined,
  ]);
  const failure = started.find((result) => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  const local = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
  cognito = new CognitoIdentityProviderClient({ ...local, endpoint: cognitoLocal.endpoint });
  if (moto !== undefined) {
    const iam = new IAMClient({ ...local, endpoint: moto.endpoint });
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'pre-signup-role', AssumeRolePolicyDocument: '{"Version":"2012-10-17"}' }),
    );
    iam.destroy();
    lambda = new LambdaClient({ ...local, endpoint: moto.endpoint });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'pre-signup',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role.Role?.Arn ?? '',
        Code: { ZipFile: readFileSync(ZIP_PATH) },
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  cognito.destroy();
  lambda?.destroy();
  await Promise.all(teardown.map((stop) => stop()));
});

/** A pool with settings that an UpdateUserPool without them would reset. */
const CUSTOMISED: CreateUserPoolCommandInput = {
  PoolName: 'customised',
  Policies: {
    PasswordPolicy: {
      MinimumLength: 14,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 3,
    },
  },
  AutoVerifiedAttributes: ['email'],
  Schema: [{ Name: 'tenant', AttributeDataType: 'String', Mutable: true }],
  LambdaConfig: { PostConfirmation: POST_CONFIRMATION },
  EmailVerificationSubject: 'Your code for Example',
  EmailVerificationMessage: 'Your code is {####}',
  DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
  UserPoolTags: { team: 'identity' },
  MfaConfiguration: 'OFF',
};

async function createPool(input: CreateUserPoolCommandInput): Promise<string> {
  const created = await cognito.send(new CreateUserPoolCommand(input));
  return created.UserPool?.Id ?? '';
}

async function describe_(userPoolId: string): Promise<UserPoolType> {
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  const { LastModifiedDate: _changesEveryTime, ...rest } = UserPool ?? {};
  return rest;
}

function attach(args: string[]) {
  return runTool('attach', [...args, ...(moto === undefined ? ['--no-permission'] : [])], {
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoLocal.endpoint,
      ...(moto === undefined ? {} : { AWS_ENDPOINT_URL_LAMBDA: moto.endpoint }),
    },
  });
}

async function statementIds(): Promise<string[]> {
  if (lambda === undefined) return [];
  try {
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: 'pre-signup' }));
    return ((JSON.parse(Policy ?? '{}') as { Statement?: { Sid: string }[] }).Statement ?? []).map((s) => s.Sid);
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return [];
    throw error;
  }
}

describe('npm run attach, against cognito-local' + (hasMotoServer() ? ' and moto_server' : ''), () => {
  it('attaches and detaches the trigger, keeping every other setting of the pool', async () => {
    const userPoolId = await createPool(CUSTOMISED);
    const described = await describe_(userPoolId);
    expect(described.LambdaConfig).toEqual({ PostConfirmation: POST_CONFIRMATION });
    // The emulator, like Cognito, reports the deprecated UnusedAccountValidityDays next to
    // TemporaryPasswordValidityDays, and UpdateUserPool refuses both: the tool leaves the first out.
    expect(described.AdminCreateUserConfig?.UnusedAccountValidityDays).toBe(7);
    const before = { ...described, AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } };

    const attached = await attach(['--user-pool-id', userPoolId, '--function-arn', FUNCTION_ARN]);
    expect(attached.stderr).not.toContain('attach:');
    expect(attached.status).toBe(0);
    expect(attached.stdout).toContain(`change  LambdaConfig.PreSignUp: (none) -> ${FUNCTION_ARN}`);
    expect(attached.stdout).toContain('LambdaConfig.PostConfirmation');
    expect(attached.stdout).toContain(
      'note    AdminCreateUserConfig.UnusedAccountValidityDays (deprecated) is left out',
    );
    expect(await describe_(userPoolId)).toEqual({
      ...before,
      LambdaConfig: { PostConfirmation: POST_CONFIRMATION, PreSignUp: FUNCTION_ARN },
    });
    if (moto !== undefined) expect(await statementIds()).toContain(`cognito-pre-signup-${userPoolId}`);

    const again = await attach(['--user-pool-id', userPoolId, '--function-arn', FUNCTION_ARN]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('the trigger is already attached');
    if (moto !== undefined) expect(again.stdout).toContain('already in place');

    const detached = await attach(['--user-pool-id', userPoolId, '--detach']);
    expect(detached.status).toBe(0);
    expect(detached.stdout).toContain(`change  LambdaConfig.PreSignUp: ${FUNCTION_ARN} -> (none)`);
    expect(await describe_(userPoolId)).toEqual(before);
    expect(await statementIds()).not.toContain(`cognito-pre-signup-${userPoolId}`);
  });

  it('changes nothing with --dry-run, and says what it would do', async () => {
    const userPoolId = await createPool({ ...CUSTOMISED, PoolName: 'dry-run' });
    const before = await describe_(userPoolId);
    const result = await attach(['--user-pool-id', userPoolId, '--function-arn', FUNCTION_ARN, '--dry-run']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`change  LambdaConfig.PreSignUp: (none) -> ${FUNCTION_ARN}`);
    expect(result.stdout).toContain('Dry run: nothing was changed.');
    expect(await describe_(userPoolId)).toEqual(before);
    expect(await statementIds()).not.toContain(`cognito-pre-signup-${userPoolId}`);
  });

  it('refuses a pool with MFA but no SMS configuration, which UpdateUserPool would reject, and changes nothing', async () => {
    const userPoolId = await createPool({ PoolName: 'totp-only', MfaConfiguration: 'OPTIONAL' });
    const before = await describe_(userPoolId);
    const result = await attach(['--user-pool-id', userPoolId, '--function-arn', FUNCTION_ARN]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('attach: refused: the pool has MFA OPTIONAL without an SMS configuration');
    expect(result.stderr).toContain('Cognito console');
    expect(await describe_(userPoolId)).toEqual(before);
  });

  it('explains, instead of a SyntaxError, that npm run local’s emulator has no Lambda API', async () => {
    const userPoolId = await createPool({ PoolName: 'emulator-only' });
    const before = await describe_(userPoolId);
    // As a user would try it against `npm run local`: one endpoint for both APIs.
    const result = await runTool(
      'attach',
      ['--user-pool-id', userPoolId, '--function-arn', FUNCTION_ARN, '--endpoint-url', cognitoLocal.endpoint],
      {
        env: {
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        },
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `attach: ${cognitoLocal.endpoint} answered a Lambda API call (GetPolicy, to read the function's permissions) ` +
        "with an HTML page (HTTP 404), not the Lambda API's JSON: it has no Lambda API.",
    );
    expect(result.stderr).toContain('run again with --no-permission');
    // Our words, not the SDK's.
    expect(result.stderr).not.toMatch(/^attach: SyntaxError/m);
    expect(result.stderr).not.toMatch(/Deserialization error|hidden field|Unexpected token/);
    expect(await describe_(userPoolId)).toEqual(before);
  });

  it('says in words when --endpoint-url is no Cognito endpoint', async () => {
    const result = await runTool(
      'attach',
      [
        '--user-pool-id',
        'us-east-1_x',
        '--function-arn',
        FUNCTION_ARN,
        '--endpoint-url',
        `${cognitoLocal.endpoint}/nothing-here`,
      ],
      { env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' } },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `attach: ${cognitoLocal.endpoint}/nothing-here answered DescribeUserPool with an HTML page (HTTP 404), not Cognito's JSON`,
    );
    expect(result.stderr).not.toMatch(/Deserialization error|hidden field/);
  });

  it('names what is wrong with the command line, and exits 2', async () => {
    const missing = await attach(['--user-pool-id', 'us-east-1_x']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--function-arn or --detach is required');
    const bad = await attach(['--user-pool-id', 'us-east-1_x', '--function-arn', 'pre-signup']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--function-arn must be a Lambda function ARN');
  });
});
