// `npm run local -- [--env NAME=VALUE ...]`: the whole sign-up flow on this machine. Starts
// cognito-local on 127.0.0.1 with its PreSignUp trigger calling the built zip (unzipped, in a
// process of its own, with the given settings), creates a user pool and an app client, prints
// how to reach them, and echoes the function's log lines until Ctrl-C.
import { parseCommandLine, parsePairs, runTool, UsageError } from './cli.js';
import { startStack } from './local/stack.js';

const USAGE = 'npm run local -- [--env NAME=VALUE ...]';

await runTool('local', async () => {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { env: { type: 'string', multiple: true } },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}\nUsage: ${USAGE}`);
  const env = parsePairs(values.env, '--env');

  const stack = await startStack();
  await stack.useSettings(env);
  const { userPoolId, clientId } = await stack.newPool();
  const endpoint = stack.cognitoEndpoint;
  console.log(`cognito-local   ${endpoint}
user pool       ${userPoolId}
app client      ${clientId}
settings        ${
    Object.keys(env).length > 0
      ? Object.entries(env)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
      : '(defaults)'
  }

In another terminal:
  npm run sign-up -- --endpoint-url ${endpoint} --client-id ${clientId} \\
    --username alice --password 'Correct-horse-9' --attribute email=alice@example.com
  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws cognito-idp admin-get-user \\
    --endpoint-url ${endpoint} --region us-east-1 --user-pool-id ${userPoolId} --username alice

The function's log lines follow. Ctrl-C stops everything.`);

  let shown = 0;
  const echo = setInterval(() => {
    const logs = stack.current()?.logs ?? [];
    for (; shown < logs.length; shown++) console.log(`[PreSignUp] ${logs[shown]}`);
  }, 200);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(echo);
  await stack.stop();
  return 0;
});
