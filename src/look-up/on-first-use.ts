import { MODULE_LOAD_FIX } from './module-load-fix.js';
import type { FactGatherer } from './lazy/gather-facts.js';

// Everything under ./lazy/ is built into files of its own and loaded with import() only when a
// rule first needs a lookup, so a configuration without lookup rules never pays for it. The
// import is made once per container and kept; a failed one is forgotten so the next sign-up
// tries again, and counts as a permanent failure of every lookup asked for.
let lookups: Promise<typeof import('./lazy/gather-facts.js')> | undefined;

function loadLookups(): Promise<typeof import('./lazy/gather-facts.js')> {
  lookups ??= import('./lazy/gather-facts.js');
  return lookups;
}

/**
 * Starts loading the lookups a configuration will need during init, without waiting for it: under
 * provisioned concurrency, or when the first sign-up comes a moment after init, the AWS SDK is then
 * already loaded and its client made. It reads only whether a lookup rule is on; the settings are
 * checked, as always, on the first invocation. Never throws and never rejects.
 */
export function prewarmLookups(env: Readonly<Record<string, string | undefined>>): void {
  const on = (key: string, value: string) => env[key]?.trim().toLowerCase() === value;
  const ahead = {
    accounts: on('EXISTING_ACCOUNT_POLICY', 'deny') || on('EXISTING_ACCOUNT_POLICY', 'no-verify'),
    federatedLink: (env.LINK_FEDERATED_USERS?.trim() ?? '') !== '',
    invitationTable: on('INVITE_REQUIRED', 'true') && (env.INVITE_TABLE?.trim() ?? '') !== '',
    inviteSecretParameter: on('INVITE_REQUIRED', 'true') && (env.INVITE_SECRET_PARAMETER?.trim() ?? '') !== '',
    disposable: on('BLOCK_DISPOSABLE_EMAILS', 'true'),
  };
  if (!Object.values(ahead).includes(true)) return;
  loadLookups().then(
    (module) => module.prewarm(ahead),
    () => {
      lookups = undefined;
    },
  );
}

/** The FactGatherer the handler uses: the lazy lookups, loaded on first use. */
export const gatherFactsOnFirstUse: FactGatherer = async (names, input, config, budgetMs) => {
  let module: typeof import('./lazy/gather-facts.js');
  try {
    module = await loadLookups();
  } catch {
    lookups = undefined;
    return {
      facts: Object.fromEntries(names.map((name) => [name, 'permanent-failure'])),
      failures: names.map((lookup) => ({
        lookup,
        error: 'ModuleLoadError',
        kind: 'permanent-failure',
        fix: MODULE_LOAD_FIX,
      })),
      warnings: [],
    };
  }
  return module.gatherFacts(names, input, config, budgetMs);
};
