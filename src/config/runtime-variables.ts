import type { Env } from './env-reader.js';

// What the Node.js runtime sets besides its AWS_, LAMBDA_ and _ names (see Lambda's "Defined runtime
// environment variables"), and NODE_OPTIONS.
const RUNTIME_NAMES: ReadonlySet<string> = new Set([
  'LANG',
  'PATH',
  'LD_LIBRARY_PATH',
  'NODE_PATH',
  'NODE_EXTRA_CA_CERTS',
  'NODE_OPTIONS',
  'SHLVL',
]);

/**
 * Lambda sets 30-odd variables of its own (AWS_*, LAMBDA_*, _HANDLER, _X_AMZN_TRACE_ID, TZ, PATH…),
 * given here in upper case. None is a setting of ours or can be a misspelling of one (a test checks
 * every setting's name against this).
 */
export function isRuntimeVariable(upper: string): boolean {
  return (
    upper.startsWith('AWS_') ||
    upper.startsWith('LAMBDA_') ||
    upper.startsWith('_') ||
    upper.length < 4 ||
    RUNTIME_NAMES.has(upper)
  );
}

/**
 * The first variable of this environment that the settings reader would look at: one that is not
 * the runtime's own, so a setting, a refusal text, or something that may be a misspelling of one.
 * With none, the settings are the defaults (see default-config.ts), and the reader, a file
 * of its own in the zip, is never loaded.
 */
export function firstVariableToRead(env: Env): string | undefined {
  for (const name of Object.keys(env)) {
    if (!isRuntimeVariable(name.toUpperCase())) return name;
  }
  return undefined;
}
