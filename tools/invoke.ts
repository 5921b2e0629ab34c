// `npm run invoke -- <event.json | -> [--env NAME=VALUE ...] [--rules FILE] [--runtime 22|24|host] [--log-format JSON|Text]`:
// the Lambda console's Test button on the command line. Runs the built function (dist/lambda/, the
// files the zip holds) as Lambda does: AWS's runtime interface client, on Node 22 unless told
// otherwise (fetched with npm on first use), polling a local Runtime API.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LAMBDA_DIR } from '../paths.mjs';
import { COGNITO_TIMEOUT_MS } from '../src/model/limits.js';
import { parseCommandLine, parsePairs, runTool, UsageError } from './cli.js';
import { DEFAULT_RUNTIME, startFunction } from './local/function-host.js';
import type { LookupFailure } from '../src/model/lookup-failure.js';
import { awsVariablesOf, describeAwsAccess, describeLookupFailure, HOW_TO_REACH_AWS } from './aws-access.js';
import {
  checkRuntimeClientCanBeBuilt,
  nodeBinaryFor,
  RUNTIME_CHOICES,
  type RuntimeChoice,
} from './local/lambda-runtimes.js';
import { checkSettings, describeProblems } from './settings-check.js';

const USAGE =
  'npm run invoke -- <event.json | -> [--env NAME=VALUE ...] [--rules FILE] [--runtime 22|24|host] [--log-format JSON|Text]';

const HELP = `The Lambda console's Test button on the command line: runs the built function (dist/lambda/, the
files of dist/pre-signup.zip) with one event, as Lambda does: AWS's runtime interface client on Node 22
(fetched from npm into .cache/ on first use, with the runtime client built there: 2 to 12 minutes, once).
Prints the returned event on stdout, the function's log lines on stderr; a refusal exits 1 with the error
as Cognito shows it.

  <event.json | ->        the event, from a file (events/ has samples) or standard input
  --env NAME=VALUE        a setting, as the function's environment has it (repeatable)
  --rules FILE            a rules document, read by the function as RULES_FILE
  --runtime 22|24|host    the Node.js to run on (default 22; host is this machine's Node)
  --log-format JSON|Text  Lambda's log format (default JSON)
  -h, --help              print this and do nothing else

Bad settings are named first, one sentence each, as npm run rules -- check names them; the function
then refuses with CONFIG_INVALID, as it would in Lambda.

Lookups (EXISTING_ACCOUNT_POLICY, INVITE_TABLE, RATE_LIMITS, SSM parameters...) call AWS as the
function does in Lambda, with the AWS variables of this shell only: AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION (or AWS_DEFAULT_REGION), and AWS_ENDPOINT_URL or
AWS_ENDPOINT_URL_<SERVICE>. No profile or ~/.aws is read. Without credentials it uses made-up ones
(local), which only the local emulators accept; without a region, us-east-1. --env wins over them.
${HOW_TO_REACH_AWS}
A failed lookup is explained after the run, with what was used.`;

function readEvent(source: string): unknown {
  const name = source === '-' ? 'standard input' : source;
  let text: string;
  try {
    text = readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${name}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Node 22, Lambda's runtime, when it can be had from npm; else this machine's Node, said so on stderr. */
async function defaultRuntime(): Promise<RuntimeChoice> {
  try {
    await nodeBinaryFor(DEFAULT_RUNTIME.node);
    return DEFAULT_RUNTIME.node;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(
      `invoke: Node ${DEFAULT_RUNTIME.node} is not available (${reason}); running on this machine's Node\n`,
    );
    return 'host';
  }
}

function isRuntimeChoice(value: string): value is RuntimeChoice {
  return (RUNTIME_CHOICES as readonly string[]).includes(value);
}

await runTool('invoke', async () => {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      env: { type: 'string', multiple: true },
      rules: { type: 'string' },
      runtime: { type: 'string' },
      'log-format': { type: 'string', default: DEFAULT_RUNTIME.logFormat },
    },
    USAGE,
    HELP,
  );
  if (positionals.length !== 1) throw new UsageError(`Give one event file, or - for standard input.\nUsage: ${USAGE}`);
  const logFormat = values['log-format'];
  if (logFormat !== 'JSON' && logFormat !== 'Text') {
    throw new UsageError(`--log-format must be JSON or Text, not ${logFormat}.`);
  }
  if (values.runtime !== undefined && !isRuntimeChoice(values.runtime)) {
    throw new UsageError(`--runtime must be 22, 24 or host, not ${values.runtime}.`);
  }
  const event = readEvent(positionals[0] ?? '-');
  const settings = parsePairs(values.env, '--env');
  // A rules document is read by the function itself, as RULES_FILE, from wherever it is.
  if (values.rules !== undefined) settings.RULES_FILE = path.resolve(values.rules);
  // Said before anything is fetched or started: the reason, not only CONFIG_INVALID at the end.
  const { problems } = checkSettings(settings);
  if (problems.length > 0) {
    process.stderr.write(
      `invoke: ${describeProblems(problems, 'so the function refuses every sign-up with CONFIG_INVALID')}\n`,
    );
  }
  const fromShell = awsVariablesOf(process.env);
  const env = { ...fromShell, ...settings };
  if (Object.keys(fromShell).length > 0) process.stderr.write(`invoke: AWS calls use ${describeAwsAccess(env)}.\n`);
  // No build tools: said now, not after Node.js has been fetched.
  checkRuntimeClientCanBeBuilt();
  // --runtime was checked above.
  const runtime = values.runtime ?? (await defaultRuntime());

  const running = await startFunction(LAMBDA_DIR, env, { node: runtime, logFormat });
  let invocation;
  try {
    // Cognito waits this long for the function; the function plans its lookups inside it.
    invocation = await running.invoke(event, COGNITO_TIMEOUT_MS);
  } finally {
    await running.stop();
  }
  // The function's log goes to stderr, so stdout holds only the returned event.
  for (const line of running.logs) process.stderr.write(`${line}\n`);
  const failures = lookupFailuresIn(running.logs);
  if (failures.length > 0) {
    process.stderr.write(
      `invoke: ${failures.length === 1 ? 'a lookup' : `${String(failures.length)} lookups`} failed:\n` +
        failures.map((failure) => `  ${describeLookupFailure(failure)}\n`).join('') +
        `The function's AWS calls used ${describeAwsAccess(env)}.\n${HOW_TO_REACH_AWS}\n`,
    );
  }
  if (invocation.error !== undefined) {
    // Exactly what Cognito passes on to the app (it appends the period).
    process.stderr.write(`PreSignUp failed with error ${invocation.error.errorMessage}.\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(invocation.result, null, 2)}\n`);
  return 0;
});

/** The lookups that failed, from the function's own log line (JSON under either log format). */
function lookupFailuresIn(logs: readonly string[]): LookupFailure[] {
  return logs.flatMap((line) => {
    if (!line.startsWith('{') || !line.includes('"lookupFailures"')) return [];
    try {
      const record = JSON.parse(line) as {
        lookupFailures?: LookupFailure[];
        message?: { lookupFailures?: LookupFailure[] };
      };
      return record.lookupFailures ?? record.message?.lookupFailures ?? [];
    } catch {
      return [];
    }
  });
}
