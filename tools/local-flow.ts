// `npm run local -- [--port N] [--state DIR] [--fresh] [--env NAME=VALUE ...]`: the whole sign-up
// flow on this machine. Starts cognito-local on 127.0.0.1 with its PreSignUp trigger calling the
// built zip (unzipped, under the Lambda runtime client on Node 22, with the given settings), keeps
// its data and the pool's and client's ids in a state folder so that they stay the same across
// restarts, prints how to reach them (secrets masked), and echoes the function's log lines until
// Ctrl-C, then stops everything and says so.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.mjs';
import { parseCommandLine, parsePairs, runTool, UsageError } from './cli.js';
import { DEFAULT_RUNTIME } from './local/function-host.js';
import { startStack } from './local/stack.js';

const USAGE = 'npm run local -- [--port N] [--state DIR] [--fresh] [--env NAME=VALUE ...]';
// Ignored by git; `--fresh` empties it.
const DEFAULT_STATE_DIR = path.join(PROJECT_ROOT, '.local-cognito');

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
    {
      env: { type: 'string', multiple: true },
      port: { type: 'string' },
      state: { type: 'string' },
      fresh: { type: 'boolean' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}\nUsage: ${USAGE}`);
  const env = parsePairs(values.env, '--env');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new UsageError(`--port expects a port number from 1 to 65535, received ${JSON.stringify(values.port)}`);
  }
  const stateDir = path.resolve(values.state ?? DEFAULT_STATE_DIR);
  if (values.fresh === true) rmSync(stateDir, { recursive: true, force: true });

  const stack = await startStack(DEFAULT_RUNTIME, { port, stateDir });
  try {
    await stack.useSettings(env);
    // Listening before saying "Ctrl-C stops everything", and to every Ctrl-C, not only the first:
    // a second one while stopping must not kill the process and leave the servers behind.
    const stopRequested = new Promise<void>((resolve) => {
      process.on('SIGINT', () => resolve());
      process.on('SIGTERM', () => resolve());
    });
    const { userPoolId, clientId, reused } = await stack.keptPool();
    const endpoint = stack.cognitoEndpoint;
    const kept = reused ? 'kept from the last start' : 'new';
    console.log(`cognito-local   ${endpoint}
user pool       ${userPoolId} (${kept})
app client      ${clientId} (${kept})
state folder    ${stateDir} (--fresh empties it)
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
  console.log(`Stopped: cognito-local and the function are shut down; the pool and its users stay in ${stateDir}.`);
  return 0;
});
