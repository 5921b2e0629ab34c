// `npm run rules -- check FILE [--env NAME=VALUE ...]`: checks a rules document offline, with the
// function's own reader and messages, as the function would read it with these environment
// settings. Prints every problem and exits 1, or a one-line summary and exits 0.
//
// `npm run rules -- test --event FILE [--env FILE] [--document FILE] [--client ID] [--facts JSON] [--json]`:
// decides one event as the function would (tools/rule-tester/evaluate.ts), making no lookup, and
// prints every rule's verdict, what Cognito gets and the log line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeIssue } from '../src/model/config-issue.js';
import { loadContainerConfig, readTextFile } from '../src/config/document-config.js';
import { FACT_NAMES } from '../src/model/facts.js';
import { parseCommandLine, parsePairs, runTool, UsageError } from './cli.js';
import { evaluate, type TesterResult } from './rule-tester/evaluate.js';
import { FACT_SHAPES } from './rule-tester/tester-facts.js';

const USAGE =
  'npm run rules -- check FILE [--env NAME=VALUE ...]\n' +
  '       npm run rules -- test --event FILE [--env FILE] [--document FILE] [--client ID] [--facts JSON] [--json]';

const HELP = `check: checks a rules document offline, with the function's own reader and messages, as the function
would read it with these settings in its environment. Prints every problem and exits 1, or one line and exits 0.

  check FILE         the rules document (JSON) to check
  --env NAME=VALUE   a setting the function's environment would also have (repeatable)

test: decides one event as the function would, with its own code, and makes no lookup. Prints every rule in
order with its verdict (off, passed, refused with CODE, log-only with CODE, not reached, and the lookup
answers it assumed), then what Cognito gets (the three flags, or the refusal as the user sees it) and the
log line. Exits 0 whatever the verdict.

  --event FILE       the event, as a Lambda console test event (events/*.json)
  --env FILE         the environment: KEY=VALUE lines, as the Lambda console holds them (# comments)
  --document FILE    a rules document (JSON), as RULES_FILE would name it; with --env, both
  --client ID        the app client the sign-up comes through (callerContext.clientId)
  --facts JSON       the lookups' answers, a JSON object; a lookup it does not answer is assumed to
                     admit. Each is "transient-failure" or "permanent-failure", or:
${FACT_NAMES.map((name) => `                       ${name}: ${FACT_SHAPES[name]}`).join('\n')}
  --json             print one JSON object: { outcome, code?, message?, flags?, rules, log }

  -h, --help         print this and do nothing else`;

await runTool('rules', () => {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      env: { type: 'string', multiple: true },
      event: { type: 'string' },
      document: { type: 'string' },
      client: { type: 'string' },
      facts: { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
    HELP,
  );
  const [command, ...rest] = positionals;
  if (command === 'test' && rest.length === 0) return test(values);
  const [file, ...more] = rest;
  const testOnly = ['event', 'document', 'client', 'facts', 'json'] as const;
  if (command !== 'check' || file === undefined || more.length > 0 || testOnly.some((key) => key in values)) {
    throw new UsageError(`Usage: ${USAGE}`);
  }
  return check(file, values.env);
});

function check(file: string, pairs: string[] | undefined): number {
  const env = { ...parsePairs(pairs, '--env'), RULES_FILE: path.resolve(file) };
  const { loaded, byClient } = loadContainerConfig(env, { root: process.cwd(), read: readTextFile });
  for (const warning of loaded.warnings) process.stdout.write(`warning: ${warning}\n`);
  if (loaded.issues.length > 0) {
    for (const issue of loaded.issues) process.stdout.write(`${describeIssue(issue)}\n`);
    process.stdout.write(
      `${file}: ${String(loaded.issues.length)} problem(s): the function would refuse every sign-up with CONFIG_INVALID\n`,
    );
    return 1;
  }
  process.stdout.write(`${file}: ok (${String(byClient.size)} app client(s) with settings of their own)\n`);
  return 0;
}

function test(values: {
  env?: string[] | undefined;
  event?: string | undefined;
  document?: string | undefined;
  client?: string | undefined;
  facts?: string | undefined;
  json?: boolean | undefined;
}): number {
  if (values.event === undefined) throw new UsageError(`--event is required.\nUsage: ${USAGE}`);
  if ((values.env?.length ?? 0) > 1) throw new UsageError(`test takes one --env FILE.\nUsage: ${USAGE}`);
  const envFile = values.env?.[0];
  const settings = envFile === undefined ? '' : readText(envFile);
  const document = values.document === undefined ? undefined : readText(values.document);
  const result = evaluate({
    settings: envFile === undefined && document !== undefined ? document : settings,
    document: envFile === undefined ? undefined : document,
    event: parseJson(readText(values.event), values.event),
    clientId: values.client,
    facts: values.facts === undefined ? undefined : parseJson(values.facts, '--facts'),
  });
  process.stdout.write(values.json === true ? `${JSON.stringify(result)}\n` : describe(result));
  return 0;
}

/** The result in sentences: the rules, what Cognito gets, the log line. */
function describe(result: TesterResult): string {
  const width = Math.max(...result.rules.map((rule) => rule.rule.length));
  const lines = ['The rules, in the order the function runs them:'];
  for (const { rule, verdict, code, assumed } of result.rules) {
    const said =
      verdict === 'refused'
        ? `refused with ${code ?? ''}`
        : verdict === 'log-only'
          ? `log-only: would refuse with ${code ?? ''}`
          : verdict === 'not-reached'
            ? 'not reached (an earlier rule refused)'
            : verdict;
    const assuming =
      assumed === undefined
        ? ''
        : `, assuming ${Object.entries(assumed)
            .map(([name, answer]) => `${name}: ${JSON.stringify(answer)}`)
            .join(', ')} (no lookup is made: --facts answers it)`;
    lines.push(`  ${rule.padEnd(width)}  ${said}${assuming}`);
  }
  lines.push('', 'Cognito gets:');
  if (result.outcome === 'refused') lines.push(`  the refusal, as the user sees it: ${result.message ?? ''}`);
  else if (result.flags === undefined) {
    lines.push(`  the event as it came, no flag set (${result.outcome})`);
  } else {
    const flags = Object.entries(result.flags).map(([name, value]) => `${name}: ${String(value)}`);
    lines.push(`  ${flags.join(', ')} (${result.outcome})`);
  }
  lines.push('', 'The log line:', `  ${JSON.stringify(result.log)}`, '');
  return lines.join('\n');
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`${file} cannot be read (${typeof code === 'string' ? code : 'an error'}).`);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not JSON: ${(error as Error).message}.`);
  }
}
