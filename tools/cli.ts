import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A mistake in how a tool was called or in what it was given: one line, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--help` or `-h` was given: the usage goes to stdout and the tool ends with 0. */
class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super(usage);
    this.name = 'HelpRequested';
  }
}

/**
 * Parses the command line, turning node's own parse errors into a UsageError. Every tool takes
 * `--help` (or `-h`): it prints the usage line and `help` (what the tool does, its options) and
 * does nothing else. A mistake shows the usage line alone.
 */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  usage: string,
  help?: string,
) {
  if (args.includes('--help') || args.includes('-h')) {
    throw new HelpRequested(help === undefined ? usage : `${usage}\n\n${help.trim()}`);
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${asSentence((error as Error).message)}\nUsage: ${usage}`);
  }
}

/** A message ending with a full stop, once. */
function asSentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/** `NAME=VALUE` pairs into an object; the value may itself contain `=`. */
export function parsePairs(pairs: readonly string[] | undefined, option: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`${option} expects NAME=VALUE, not ${JSON.stringify(pair)}.`);
    result[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return result;
}

/** A required string option, or a UsageError naming it. */
export function required(value: string | boolean | undefined, option: string, usage: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${option} is required.\nUsage: ${usage}`);
  return value;
}

/**
 * Runs a tool's main function: a UsageError prints its message alone and exits 2; any other
 * failure is the tool's own to report, so it prints the message and exits 1.
 */
export async function runTool(name: string, main: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`Usage: ${error.usage}\n`);
      process.exitCode = 0;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${name}: ${message}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
