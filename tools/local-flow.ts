// `npm run local -- [--port N] [--state DIR] [--fresh] [--env NAME=VALUE ...]`: the whole sign-up
// flow on this machine. Starts cognito-local on 127.0.0.1 with its PreSignUp trigger calling the
// built zip (unzipped, under the Lambda runtime client on Node 22, with the given settings), keeps
// its data and the pool's and client's ids in a state folder so that they stay the same across
// restarts, prints how to reach them (secrets masked), and echoes the function's log lines until
// Ctrl-C or SIGTERM, then stops everything and says so.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.mjs';
import { parseCommandLine, parsePairs, runTool, UsageError } from './cli.js';
import { DEFAULT_RUNTIME } from './local/function-host.js';
import { startStack } from './local/stack.js';
import { checkSettings, describeProblems } from './settings-check.js';

const USAGE = 'npm run local -- [--port N] [--state DIR] [--fresh] [--env NAME=VALUE ...]';
// Ignored by git; `--fresh` empties it.
const DEFAULT_STATE_DIR = path.join(PROJECT_ROOT, '.local-cognito');
const HELP = `The whole sign-up flow on this machine: starts cognito-local (a Cognito emulator from npm) on
127.0.0.1, with its PreSignUp trigger calling the built zip under AWS's runtime interface client on
Node 22, prints its endpoint, a user pool and an app client, and echoes the function's log lines until
Ctrl-C or SIGTERM, which stop everything.

  --port N           cognito-local's port (default: a free one); keep it to keep the same endpoint
  --state DIR        the state folder (default .local-cognito/, ignored by git): the emulator's data,
                     its users included, and the ids of the pool and app client, so that they stay the
                     same across restarts
  --fresh            empty the state folder first: a new pool, client and users
  --env NAME=VALUE   a setting of the function (repeatable), e.g. --env ALLOWED_EMAIL_DOMAINS=example.com;
                     a bad setting is named, one sentence each, and nothing starts (exit 2)
  -h, --help         print this and do nothing else

The emulator calls the function for every pool (no npm run attach needed), and has no Lambda API.
It does not pass ValidationData, nor run the trigger for AdminCreateUser or federated sign-ups.`;

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
    HELP,
  );
  if (positionals.length > 0) throw new UsageError(`Unexpected ${positionals.join(' ')}.\nUsage: ${USAGE}`);
  const env = parsePairs(values.env, '--env');
  // Before anything starts: a function with bad settings would refuse every sign-up, and the
  // reason would only show in a log line at the first one.
  const { problems } = checkSettings(env);
  if (problems.length > 0) {
    throw new UsageError(
      describeProblems(problems, 'so the function would refuse every sign-up with CONFIG_INVALID; nothing was started'),
    );
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new UsageError(`--port expects a port number from 1 to 65535, received ${JSON.stringify(values.port)}.`);
  }
  const stateDir = path.resolve(values.state ?? DEFAULT_STATE_DIR);
  if (values.fresh === true) rmSync(stateDir, { recursive: true, force: true });

  // Listening before anything starts, and to every Ctrl-C or SIGTERM, not only the first: one that
  // comes while starting or stopping must not kill the process and leave the servers behind.
  const signals = { received: false };
  const stopRequested = new Promise<void>((resolve) => {
    const onSignal = () => {
      signals.received = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
    // `npm run local` runs this through sh, and npm passes SIGTERM to sh alone, which ends without
    // passing it on: losing the parent process counts as a stop too.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) onSignal();
    }, 250).unref();
  });
  const stack = await startStack(DEFAULT_RUNTIME, { port, stateDir });
  try {
    await stack.useSettings(env);
    // A stop asked for while starting: straight to stopping.
    if (!signals.received) await serveUntil(stopRequested);
  } finally {
    // Whatever happened, nothing is left running: a failure here must not leave servers behind.
    await stack.stop();
  }
  console.log(`Stopped: cognito-local and the function are shut down; the pool and its users stay in ${stateDir}.`);
  return 0;

  /** Prints how to reach the emulator, then echoes the function's log lines until `stop`. */
  async function serveUntil(stop: Promise<void>): Promise<void> {
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

The function's log lines follow. Ctrl-C or SIGTERM stops everything.`);

    let shown = 0;
    const echo = setInterval(() => {
      const logs = stack.current()?.logs ?? [];
      for (; shown < logs.length; shown++) console.log(`[PreSignUp] ${logs[shown]}`);
    }, 200);
    await stop;
    clearInterval(echo);
  }
});
