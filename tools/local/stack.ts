import { readFileSync } from 'node:fs';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DEFAULT_RUNTIME,
  type FunctionRuntime,
  type RunningFunction,
  removeDir,
  startFunction,
  unzipToTemp,
} from './function-host.js';
import { ZIP_PATH } from '../../paths.mjs';
import { type LocalServer, startCognitoLocal, startLambdaService } from './servers.js';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * cognito-local calling the built zip (unzipped outside the repository) through a local Lambda
 * Invoke endpoint. `useSettings` restarts the function process with a case's environment.
 */
export interface Stack {
  readonly cognito: CognitoIdentityProviderClient;
  readonly cognitoEndpoint: string;
  /** The current function process, for reading its log lines. */
  current(): RunningFunction | undefined;
  useSettings(env: Record<string, string>): Promise<void>;
  /** A new user pool and an app client that may sign in with USER_PASSWORD_AUTH. */
  newPool(): Promise<{ userPoolId: string; clientId: string }>;
  stop(): Promise<void>;
}

export async function startStack(runtime: FunctionRuntime = DEFAULT_RUNTIME): Promise<Stack> {
  const stoppers: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne();
  };
  try {
    const dir = unzipToTemp(readFileSync(ZIP_PATH));
    stoppers.push(() => removeDir(dir));
    const lambda = await startLambdaService();
    stoppers.push(() => lambda.stop());
    const cognitoLocal: LocalServer = await startCognitoLocal(lambda.endpoint);
    stoppers.push(() => cognitoLocal.stop());
    const cognito = new CognitoIdentityProviderClient({
      endpoint: cognitoLocal.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    stoppers.push(() => cognito.destroy());
    let running: RunningFunction | undefined;
    stoppers.push(() => running?.stop());

    return {
      cognito,
      cognitoEndpoint: cognitoLocal.endpoint,
      current: () => running,
      async useSettings(env) {
        await running?.stop();
        running = await startFunction(
          dir,
          {
            // The function's own AWS calls reach the emulator through the SDK's standard variable.
            AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoLocal.endpoint,
            ...env,
          },
          runtime,
        );
        lambda.use(running);
      },
      async newPool() {
        const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: `pool-${Date.now()}` }));
        const userPoolId = UserPool?.Id ?? '';
        const { UserPoolClient } = await cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId: userPoolId,
            ClientName: 'app',
            ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          }),
        );
        return { userPoolId, clientId: UserPoolClient?.ClientId ?? '' };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
