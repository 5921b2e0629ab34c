// `npm run invoke -- <event.json | -> [--env NAME=VALUE ...]`: the Lambda console's Test button on
// the command line. Runs the built bundle (dist/lambda/index.mjs, the files the zip holds).
import { readFileSync } from 'node:fs';
import { COGNITO_TIMEOUT_MS } from '../src/limits.js';
import { parseCommandLine, parsePairs, runTool, UsageError } from './cli.js';
import { lambdaContext } from './local/lambda-context.mjs';

const USAGE = 'npm run invoke -- <event.json | -> [--env NAME=VALUE ...]';

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

await runTool('invoke', async () => {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { env: { type: 'string', multiple: true } },
    USAGE,
  );
  if (positionals.length !== 1)
    throw new UsageError(`expected one event file, or - for standard input\nUsage: ${USAGE}`);
  const event = readEvent(positionals[0] ?? '-');
  Object.assign(process.env, parsePairs(values.env, '--env'));

  // The function's log line goes to stderr, so stdout holds only the returned event.
  console.info = console.error;
  console.warn = console.error;
  const bundle = new URL('../lambda/index.mjs', import.meta.url).href;
  const { handler } = (await import(bundle)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  try {
    // Cognito waits this long for the function; the bundle plans its lookups inside it.
    const result = await handler(event, lambdaContext('local-invoke', COGNITO_TIMEOUT_MS));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    // Exactly what Cognito passes on to the app (it appends the period).
    process.stderr.write(`PreSignUp failed with error ${(error as Error).message}.\n`);
    return 1;
  }
});
