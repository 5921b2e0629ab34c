// Loaded on first use only: with no lookup rule configured, a cold start never reads this file.
import type { Config } from '../../config/load-config.js';
import type { AnyFactValue, FactName, Facts } from '../../decide/facts.js';
import { federatedIdentityOf } from '../../decide/rules/federated-link.js';
import { errorName } from '../../log/error-name.js';
import { asciiLowerCase } from '../../read/email-address.js';
import type { SignUpInput } from '../../read/sign-up-event.js';
import {
  failureKindOf,
  fixFor,
  type LookupFailure,
  LookupTimeoutError,
  ModuleLoadError,
  NoUserPoolIdError,
} from './lookup-failure.js';

interface GatheredFacts {
  readonly facts: Facts;
  readonly failures: readonly LookupFailure[];
  /** Things worth a WARN that did not stop a lookup (a malformed invitation row…); nothing personal. */
  readonly warnings: readonly string[];
}

/** Looks up facts for the decision within a time budget; never rejects. */
export type FactGatherer = (
  names: readonly FactName[],
  input: SignUpInput,
  config: Config,
  budgetMs: number,
) => Promise<GatheredFacts>;

/** One lookup's answer, with a warning when the data behind it was malformed. */
interface Answer {
  readonly value: AnyFactValue;
  readonly warning?: string | undefined;
}

/**
 * Runs the requested lookups in parallel. They share one deadline: a single timer that aborts
 * their signal, and also cuts off any lookup that ignored the signal, so nothing can hold the
 * sign-up past the budget. The timer is cleared when the lookups end: a burst of sign-ups leaves
 * no timers or signals behind.
 */
export const gatherFacts: FactGatherer = async (names, input, config, budgetMs) => {
  const controller = new AbortController();
  const deadline = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new LookupTimeoutError()), { once: true });
  });
  // Nobody may be waiting on the deadline when it fires after the last lookup lost a race.
  deadline.catch(() => undefined);
  const timer = setTimeout(() => controller.abort(), Math.max(budgetMs, 1));
  const failures: LookupFailure[] = [];
  const warnings: string[] = [];
  try {
    const entries = await Promise.all(
      names.map(async (name): Promise<[FactName, AnyFactValue]> => {
        try {
          const answer = await Promise.race([lookUp(name, input, config, controller.signal), deadline]);
          if (answer.warning !== undefined) warnings.push(answer.warning);
          return [name, answer.value];
        } catch (error) {
          const kind = failureKindOf(error);
          const thrown = errorName(error);
          const fix = kind === 'permanent-failure' ? fixFor(name, thrown, config.invite?.kind) : undefined;
          failures.push({ lookup: name, error: thrown, kind, fix });
          return [name, kind];
        }
      }),
    );
    return { facts: Object.fromEntries(entries), failures, warnings };
  } finally {
    clearTimeout(timer);
  }
};

async function lookUp(name: FactName, input: SignUpInput, config: Config, signal: AbortSignal): Promise<Answer> {
  const { email, phone, userPoolId, emailDomain, inviteCode } = input;
  switch (name) {
    case 'disposableEmail': {
      const { isDisposableDomain } = await disposableDomains();
      return { value: emailDomain !== undefined && isDisposableDomain(emailDomain) };
    }
    case 'invitationValid': {
      const source = config.invite;
      if (source === undefined || email === undefined || inviteCode === undefined) return { value: false };
      const now = Math.floor(Date.now() / 1000);
      if (source.kind === 'secret') {
        const { verifyInvitationCode } = await invitationSignature();
        return { value: verifyInvitationCode(source.secret, email, inviteCode, now) };
      }
      if (source.kind === 'secret-parameter') {
        const [{ inviteSecretFromParameter }, { verifyInvitationCode }] = await Promise.all([
          inviteSecretParameter(),
          invitationSignature(),
        ]);
        const secret = await inviteSecretFromParameter(source.parameter, signal);
        return { value: verifyInvitationCode(secret, email, inviteCode, now) };
      }
      const { checkInvitationRow } = await invitationTable();
      return checkInvitationRow(source.table, email, inviteCode, now, signal);
    }
    case 'federatedLink': {
      const identity = federatedIdentityOf(input, config);
      if (userPoolId === undefined) throw new NoUserPoolIdError();
      if (identity === undefined || email === undefined) return { value: 'no-match' };
      const { linkFederatedUser } = await federatedLink();
      return { value: await linkFederatedUser(userPoolId, email, identity, config.dryRun, signal) };
    }
    case 'existingAccountForEmail':
    case 'existingAccountForPhone': {
      if (userPoolId === undefined) throw new NoUserPoolIdError();
      const { hasExistingAccount } = await existingAccountLookup();
      if (name === 'existingAccountForPhone') {
        return {
          value: phone !== undefined && (await hasExistingAccount(userPoolId, 'phone_number', [phone], signal)),
        };
      }
      if (email === undefined) return { value: false };
      // ListUsers compares case-sensitively: also look for the spelling with A-Z lowercased.
      const spellings = [...new Set([email, asciiLowerCase(email)])];
      return { value: await hasExistingAccount(userPoolId, 'email', spellings, signal) };
    }
  }
}

/** Which lookups a configuration will need, as far as init can tell from the raw environment. */
interface LookupsAhead {
  readonly accounts: boolean;
  readonly federatedLink: boolean;
  readonly invitationTable: boolean;
  readonly inviteSecretParameter: boolean;
  readonly disposable: boolean;
}

/**
 * Loads the parts of the lookups a configuration will need (and the disposable list's set), so that the
 * first sign-up does not wait for it. Never rejects: whatever fails here fails again, and is
 * reported, on the sign-up that needs it.
 */
export async function prewarm(ahead: LookupsAhead): Promise<void> {
  await Promise.allSettled([
    ahead.accounts ? existingAccountLookup() : undefined,
    ahead.federatedLink ? federatedLink() : undefined,
    ahead.invitationTable ? invitationTable() : undefined,
    ahead.inviteSecretParameter ? Promise.all([inviteSecretParameter(), invitationSignature()]) : undefined,
    ahead.disposable ? disposableDomains().then((module) => module.isDisposableDomain('example.com')) : undefined,
  ]);
}

/**
 * Each lazily loaded part is imported once per container and kept. A failed import is forgotten, so
 * the next sign-up tries again, and reported as ModuleLoadError (a permanent failure).
 */
function importOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch(() => {
      loading = undefined;
      throw new ModuleLoadError();
    });
    return loading;
  };
}

const disposableDomains = importOnce(() => import('./disposable-domains.js'));
const invitationSignature = importOnce(() => import('./invitation-signature.js'));
const invitationTable = importOnce(() => import('./invitation-table.js'));
const inviteSecretParameter = importOnce(() => import('./invite-secret-parameter.js'));
const existingAccountLookup = importOnce(() => import('./existing-account-lookup.js'));
const federatedLink = importOnce(() => import('./federated-link.js'));
