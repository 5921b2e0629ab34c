// `npm run rules -- check FILE [--env NAME=VALUE ...]`: checks a rules document offline, with the
// function's own reader and messages, as the function would read it with these environment
// settings. Prints every problem and exits 1, or a one-line summary and exits 0.
import path from 'node:path';
import { describeIssue } from '../src/model/config-issue.js';
import { loadContainerConfig, readTextFile } from '../src/config/document-config.js';
import { parseCommandLine, parsePairs, runTool, UsageError } from './cli.js';

const USAGE = 'npm run rules -- check FILE [--env NAME=VALUE ...]';

const HELP = `Checks a rules document offline, with the function's own reader and messages, as the function would
read it with these settings in its environment. Prints every problem and exits 1, or one line and exits 0.

  check FILE         the rules document (JSON) to check
  --env NAME=VALUE   a setting the function's environment would also have (repeatable)
  -h, --help         print this and do nothing else`;

await runTool('rules', () => {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { env: { type: 'string', multiple: true } },
    USAGE,
    HELP,
  );
  const [command, file, ...rest] = positionals;
  if (command !== 'check' || file === undefined || rest.length > 0) throw new UsageError(`Usage: ${USAGE}`);
  const env = { ...parsePairs(values.env, '--env'), RULES_FILE: path.resolve(file) };
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
});
