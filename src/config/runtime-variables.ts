import { SETTING_NAMES } from './setting-names.js';
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
 * One of our settings behind a runtime variable's prefix (`AWS_AUTO_CONFIRM`, `_BLOCKED_EMAILS`,
 * `LAMBDA_DRY_RUN`), given in upper case: a name the reader does not read, and warns about.
 */
export function settingBehindRuntimePrefix(upper: string): string | undefined {
  // Prefixes may stack (`AWS_LAMBDA_BLOCKED_EMAIL_DOMAINS`, `_AWS_DRY_RUN`): strip them all.
  let rest = upper;
  for (let prefix = runtimePrefixOf(rest); prefix !== undefined; prefix = runtimePrefixOf(rest)) {
    rest = rest.slice(prefix.length);
  }
  if (rest === upper) return undefined;
  settingNames ??= new Set(SETTING_NAMES);
  return settingNames.has(rest) ? rest : undefined;
}

function runtimePrefixOf(upper: string): string | undefined {
  return RUNTIME_PREFIXES.find((prefix) => upper.startsWith(prefix));
}

const RUNTIME_PREFIXES = ['AWS_', 'LAMBDA_', '_'];
let settingNames: ReadonlySet<string> | undefined;

/**
 * The first variable of this environment that the settings reader would look at: one that is not
 * the runtime's own, so a setting, a refusal text, or something that may be a misspelling of one
 * (one of ours behind a runtime prefix too). With none, the settings are the defaults (see
 * default-config.ts), and the reader, a file of its own in the zip, is never loaded.
 */
export function firstVariableToRead(env: Env): string | undefined {
  for (const name of Object.keys(env)) {
    const upper = name.toUpperCase();
    if (!isRuntimeVariable(upper) || settingBehindRuntimePrefix(upper) !== undefined) return name;
  }
  return undefined;
}
