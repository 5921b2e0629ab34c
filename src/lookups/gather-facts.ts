// Loaded on first use only: with no lookup rule configured, a cold start never reads this file.
import type { Config } from '../config/config.js';
import type { FactName, Facts } from '../facts.js';
import type { SignUpInput } from '../sign-up-input.js';

/** A lookup that failed: which fact, and the error's name (never its message, which may quote the email). */
export interface LookupFailure {
  readonly lookup: FactName;
  readonly error: string;
}

export interface GatheredFacts {
  readonly facts: Facts;
  readonly failures: readonly LookupFailure[];
}

/** Looks up facts for the decision within a time budget; never rejects. */
export type FactGatherer = (
  names: readonly FactName[],
  input: SignUpInput,
  config: Config,
  budgetMs: number,
) => Promise<GatheredFacts>;

class LookupTimeoutError extends Error {
  constructor() {
    super('The lookup did not answer in time');
    this.name = 'LookupTimeoutError';
  }
}

class NoUserPoolIdError extends Error {
  constructor() {
    super('The event has no userPoolId to look users up in');
    this.name = 'NoUserPoolIdError';
  }
}

/**
 * Runs the requested lookups in parallel. Each loads its module on first use (the AWS SDK and the
 * disposable-domain list are separate files in the zip) and is cut off at the budget both through
 * its AbortSignal and by a timer, so even a lookup that ignored the signal cannot hold the sign-up.
 */
export const gatherFacts: FactGatherer = async (names, input, config, budgetMs) => {
  const signal = AbortSignal.timeout(Math.max(budgetMs, 1));
  const failures: LookupFailure[] = [];
  const entries = await Promise.all(
    names.map(async (name): Promise<[FactName, boolean | 'unavailable']> => {
      try {
        return [name, await withDeadline(lookUp(name, input, config, signal), budgetMs)];
      } catch (error) {
        failures.push({ lookup: name, error: error instanceof Error ? error.name : typeof error });
        return [name, 'unavailable'];
      }
    }),
  );
  return { facts: Object.fromEntries(entries) as Facts, failures };
};

async function lookUp(name: FactName, input: SignUpInput, config: Config, signal: AbortSignal): Promise<boolean> {
  const { email, phone, userPoolId, emailDomain, inviteCode } = input;
  switch (name) {
    case 'disposableEmail': {
      const { isDisposableDomain } = await import('./disposable-domains.js');
      return emailDomain !== undefined && isDisposableDomain(emailDomain);
    }
    case 'inviteValid': {
      const source = config.invite;
      if (source === undefined || email === undefined || inviteCode === undefined) return false;
      const now = Math.floor(Date.now() / 1000);
      if (source.kind === 'secret') {
        const { verifyInviteCode } = await import('./invite-signature.js');
        return verifyInviteCode(source.secret, email, inviteCode, now);
      }
      const { isInvitedByTable } = await import('./invite-table.js');
      return isInvitedByTable(source.table, email, inviteCode, now, signal);
    }
    case 'emailTaken':
    case 'phoneTaken': {
      if (userPoolId === undefined) throw new NoUserPoolIdError();
      const { isAttributeHeld } = await import('./existing-accounts.js');
      if (name === 'phoneTaken')
        return phone !== undefined && isAttributeHeld(userPoolId, 'phone_number', [phone], signal);
      if (email === undefined) return false;
      // ListUsers compares case-sensitively: also look for the lowercased spelling.
      const spellings = [...new Set([email, email.toLowerCase()])];
      return isAttributeHeld(userPoolId, 'email', spellings, signal);
    }
  }
}

function withDeadline<T>(promise: Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LookupTimeoutError()), budgetMs);
    // A pending deadline must not keep a local process (tests, `npm run invoke`) alive.
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
