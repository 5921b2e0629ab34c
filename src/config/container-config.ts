import { type ConfigIssue, describeIssue } from '../model/config-issue.js';
import type { Env } from './env-reader.js';
import { type LoadedConfig, loadConfig } from './load-config.js';

/** The settings of one cold start: for every sign-up, and for the app clients that override them. */
export interface ContainerConfig {
  readonly loaded: LoadedConfig;
  /** By `callerContext.clientId`: the settings with that client's overrides. */
  readonly byClient: ReadonlyMap<string, LoadedConfig>;
  /** The warnings about app clients that admit more than the top level (also in `loaded.warnings`). */
  readonly clientWarnings: readonly string[];
}

/** The settings of the environment alone, with no rules document. */
export function containerConfigOfEnvironment(env: Env): ContainerConfig {
  return { loaded: loadConfig(env), byClient: new Map(), clientWarnings: [] };
}

/** The environment's settings with a problem that refuses every sign-up (a document that could not be read). */
export function containerConfigWithIssue(env: Env, issue: ConfigIssue): ContainerConfig {
  return withIssues(loadConfig(env), [issue], new Map(), []);
}

/**
 * Every configuration carries every issue: a problem anywhere fails closed everywhere. An app
 * client's configuration also carries the top level's own problems, even for a setting it
 * overrides (a client must not work on while the document it comes from is broken). Each issue is
 * listed once per configuration.
 */
export function withIssues(
  loaded: LoadedConfig,
  extra: readonly ConfigIssue[],
  byClient: ReadonlyMap<string, LoadedConfig>,
  clientWarnings: readonly string[],
): ContainerConfig {
  const add = (one: LoadedConfig, more: readonly ConfigIssue[]): LoadedConfig => {
    const listed = new Set(one.issues.map(describeIssue));
    const added = more.filter((issue) => {
      const text = describeIssue(issue);
      if (listed.has(text)) return false;
      listed.add(text);
      return true;
    });
    return added.length === 0 ? one : { ...one, issues: [...one.issues, ...added] };
  };
  const forClients = [...loaded.issues, ...extra];
  return {
    loaded: add(loaded, extra),
    byClient: new Map([...byClient].map(([id, one]) => [id, add(one, forClients)])),
    clientWarnings,
  };
}
