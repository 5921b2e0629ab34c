// `npm run local -- [--env NAME=VALUE ...]`: the whole sign-up flow on this machine. Starts
// cognito-local on 127.0.0.1 with its PreSignUp trigger calling the built zip (unzipped, under the
// Lambda runtime client on Node 22, with the given settings), creates a user pool and an app
// client, prints how to reach them (secrets masked), and echoes the function's log lines until
// Ctrl-C, then stops everything and says so.
import { parseCommandLine, parsePairs, runTool, UsageError } from './cli.js';
import { startStack } from './local/stack.js';

const USAGE = 'npm run local -- [--env NAME=VALUE ...]';

// A secret is never printed, not even on the developer's own terminal: terminals get recorded.
const SECRET_SETTINGS = new Set(['INVITE_SECRET', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

/** The settings as NAME=VALUE, with secrets masked. */
function describeSettings(env: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(env).map(([name, value]) =>
    SECRET_SETTINGS.has(name) ? `${name}=(${String(value.length)} characters, not shown)` : `${name}=${value}`,
  );
  return pairs.length > 0 ? pairs.join(' ') : '(defaults)';
}

await runTool('local', async () => {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { env: { type: 'string', multiple: true } },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}\nUsage: ${USAGE}`);
  const env = parsePairs(values.env, '--env');

  const stack = await startStack();
  try {
    await stack.useSettings(env);
    // Listening before saying "Ctrl-C stops everything", and to every Ctrl-C, not only the first:
    // a second one while stopping must not kill the process and leave the servers behind.
    const stopRequested = new Promise<void>((resolve) => {
      process.on('SIGINT', () => resolve());
      process.on('SIGTERM', () => resolve());
    });
    const { userPoolId, clientId } = await stack.newPool();
    const endpoint = stack.cognitoEndpoint;
    console.log(`cognito-local   ${endpoint}
user pool       ${userPoolId}
app client      ${clientId}
settings        ${describeSettings(env)}

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
    await stopRequested;
    clearInterval(echo);
  } finally {
    // Whatever happened, nothing is left running: a failure here must not leave servers behind.
    await stack.stop();
  }
  console.log('Stopped: cognito-local and the function are shut down, and their data is removed.');
  return 0;
});
