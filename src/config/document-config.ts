// The rules documents' part of reading the settings (RULES_FILE, RULES_PARAMETER, app clients): in
// the zip, part of the file a function with settings loads (src/look-up/lazy/settings-and-rules.ts).
import { looseningWarnings, settingsForClient } from './client-overrides.js';
import { type ConfigIssue, describeIssue, nameForLog } from '../model/config-issue.js';
import type { Env, SettingValues } from './env-reader.js';
import {
  type ContainerConfig,
  containerConfigOfEnvironment,
  containerConfigWithIssue,
  withIssues,
} from './container-config.js';
import {
  LINKING_WHILE_VERIFYING,
  type LoadedConfig,
  loadConfig,
  verifiesNativeEmailsWithoutCode,
} from './load-config.js';
import { readRulesDocument } from './rules-document.js';

/** How the document is found: the function's root folder, and a way to read a file. */
export interface RulesFileAccess {
  readonly root: string;
  readonly read: (path: string) => string;
}

/**
 * A UTF-8 file's text. An all-ASCII file, as most rules documents are, is decoded as Latin-1: the
 * same characters, decoded sooner (the bench measures it). node:fs and node:buffer are loaded only
 * here, when a rules document is named: top-level imports would cost every cold start.
 */
export function readTextFile(path: string): string {
  const bytes = process.getBuiltinModule('node:fs').readFileSync(path);
  return process.getBuiltinModule('node:buffer').isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * The environment's settings, merged with the rules document RULES_FILE names (a path relative to the
 * function's root, LAMBDA_TASK_ROOT, or an absolute one such as a layer's `/opt/rules.json`). A
 * document in SSM (RULES_PARAMETER) is read later, by the handler, with containerConfigWithDocument.
 */
export function loadContainerConfig(env: Env, files: RulesFileAccess): ContainerConfig {
  const rulesFile = env.RULES_FILE?.trim() ?? '';
  if (rulesFile === '') return containerConfigOfEnvironment(env);
  const path = rulesFile.startsWith('/') ? rulesFile : `${files.root.replace(/\/+$/, '')}/${rulesFile}`;
  let text: string;
  try {
    text = files.read(path);
  } catch (error) {
    return containerConfigWithIssue(env, {
      variable: 'RULES_FILE',
      received: JSON.stringify(rulesFile),
      expected: `a readable file (${errorCode(error)} reading ${path})`,
      kind: 'value',
    });
  }
  return containerConfigWithDocument(env, text, 'RULES_FILE');
}

/**
 * The environment merged with a rules document. A setting given in both places, and every problem
 * in the document or in a client's overrides, is an issue of every configuration: one bad part
 * refuses every sign-up with CONFIG_INVALID, as a bad environment variable does, and all problems
 * are named at once.
 */
export function containerConfigWithDocument(
  env: Env,
  text: string,
  origin: 'RULES_FILE' | 'RULES_PARAMETER',
): ContainerConfig {
  const document = readRulesDocument(text, origin);
  const issues: ConfigIssue[] = [...document.issues];
  const merged: Record<string, SettingValues[string]> = { ...env };
  for (const [key, value] of Object.entries(document.settings)) {
    if ((env[key]?.trim() ?? '') !== '') {
      issues.push({
        variable: key,
        received: `a value in the environment and another in ${origin}`,
        expected: 'one place for it',
        kind: 'combination',
      });
    }
    merged[key] = value;
  }
  const forEveryClient = loadConfig(merged);
  // A client's problem that the top level has too (a bad entry in a list it does not override) is named once.
  const named = new Set(forEveryClient.issues.map(describeIssue));
  const byClient = new Map<string, LoadedConfig>();
  const warnings: string[] = [];
  for (const [clientId, overrides] of document.clients) {
    const where = `${origin}: clients.${nameForLog(clientId)}`;
    const forClient = loadConfig(settingsForClient(merged, overrides, forEveryClient.config, where, issues));
    issues.push(
      ...forClient.issues
        .filter((issue) => !named.has(describeIssue(issue)))
        .map((issue) => ({ ...issue, variable: `${where}.${issue.variable}` })),
    );
    warnings.push(...looseningWarnings(forEveryClient.config, forClient.config, overrides, clientId));
    byClient.set(clientId, forClient);
  }
  const linking = linkingWhileAnotherClientVerifies(forEveryClient, byClient);
  if (linking !== undefined) issues.push(linking);
  const loaded =
    warnings.length > 0 ? { ...forEveryClient, warnings: [...forEveryClient.warnings, ...warnings] } : forEveryClient;
  return withIssues(loaded, issues, byClient, warnings);
}

/**
 * Linking in one configuration while another verifies self sign-ups' emails without a code: the
 * takeover works across clients, since a federated sign-in may be linked to a user who signed up
 * through any client. (Both in one configuration is already that configuration's issue.)
 */
function linkingWhileAnotherClientVerifies(
  forEveryClient: LoadedConfig,
  byClient: ReadonlyMap<string, LoadedConfig>,
): ConfigIssue | undefined {
  const all: [string, LoadedConfig][] = [
    ['the top level', forEveryClient],
    ...[...byClient].map(([id, one]): [string, LoadedConfig] => [`clients.${nameForLog(id)}`, one]),
  ];
  const linkers = all.filter(([, one]) => one.config.linkFederatedUsers !== undefined);
  const verifiers = all.filter(([, one]) => verifiesNativeEmailsWithoutCode(one.config));
  if (linkers.length === 0 || verifiers.length === 0) return undefined;
  if (linkers.some(([, one]) => verifiesNativeEmailsWithoutCode(one.config))) return undefined;
  const names = verifiers.slice(0, 3).map(([name]) => name);
  const more = verifiers.length > 3 ? ` and ${String(verifiers.length - 3)} more` : '';
  return {
    variable: 'LINK_FEDERATED_USERS',
    received: `set while ${names.join(', ')}${more} ${verifiers.length === 1 ? 'verifies' : 'verify'} self sign-ups' emails without a code (AUTO_CONFIRM and AUTO_VERIFY_EMAIL true)`,
    expected: LINKING_WHILE_VERIFYING.expected,
    kind: 'combination',
  };
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'an error';
}
