import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
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
  newPool(): Promise<LocalPool>;
  /**
   * The pool and client kept in the state folder from an earlier start, if they are still in the
   * emulator's data; otherwise a new pair, saved there. Without a state folder, a new pair.
   */
  keptPool(): Promise<LocalPool & { reused: boolean }>;
  stop(): Promise<void>;
}

interface LocalPool {
  readonly userPoolId: string;
  readonly clientId: string;
}

/** How `npm run local` keeps the same endpoint and ids across restarts. */
interface StackOptions {
  /** cognito-local's port on 127.0.0.1; a free one when not given. */
  readonly port?: number | undefined;
  /** A folder for cognito-local's data and the ids of the pool and client, kept after stop. */
  readonly stateDir?: string | undefined;
}

export async function startStack(
  runtime: FunctionRuntime = DEFAULT_RUNTIME,
  options: StackOptions = {},
): Promise<Stack> {
  const stoppers: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne();
  };
  try {
    const dir = unzipToTemp(readFileSync(ZIP_PATH));
    stoppers.push(() => removeDir(dir));
    const lambda = await startLambdaService();
    stoppers.push(() => lambda.stop());
    const { stateDir } = options;
    if (stateDir !== undefined) mkdirSync(stateDir, { recursive: true });
    const cognitoLocal: LocalServer = await startCognitoLocal(lambda.endpoint, {
      port: options.port,
      dataDir: stateDir,
    });
    stoppers.push(() => cognitoLocal.stop());
    const cognito = new CognitoIdentityProviderClient({
      endpoint: cognitoLocal.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    stoppers.push(() => cognito.destroy());
    let running: RunningFunction | undefined;
    stoppers.push(() => running?.stop());

    const newPool = async (): Promise<LocalPool> => {
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
    };

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
      newPool,
      async keptPool() {
        const idsFile = stateDir === undefined ? undefined : path.join(stateDir, 'ids.json');
        if (idsFile !== undefined && existsSync(idsFile)) {
          const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as LocalPool;
          try {
            await cognito.send(
              new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.clientId }),
            );
            return { ...ids, reused: true };
          } catch {
            // The emulator's data was removed or replaced: make a new pair below.
          }
        }
        const created = await newPool();
        if (idsFile !== undefined) writeFileSync(idsFile, `${JSON.stringify(created, null, 2)}\n`);
        return { ...created, reused: false };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
