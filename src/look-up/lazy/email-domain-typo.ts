// Loaded on first use only: the typo library and its list, which a cold start pays for only when
// EMAIL_TYPO_CHECK is on.
import emailMisspelled, { all as LIBRARY_DOMAINS, top100 as TOP_DOMAINS } from 'email-misspelled';
import { WELL_KNOWN_MAILBOX_DOMAINS } from '../../decide/rules/well-known-mailbox-domains.js';

type Checker = ReturnType<typeof emailMisspelled>;

const TOP: ReadonlySet<string> = new Set(TOP_DOMAINS);

// One checker per list of added domains (one per configuration), made on first use.
const checkers = new Map<string, { readonly check: Checker; readonly known: ReadonlySet<string> }>();

function checkerFor(extraDomains: readonly string[]) {
  const key = extraDomains.join(',');
  let checker = checkers.get(key);
  if (checker === undefined) {
    const domains = [...new Set([...LIBRARY_DOMAINS, ...extraDomains])];
    // One slip is at most two Levenshtein edits (a swap), and changes the length by at most one.
    checker = {
      check: emailMisspelled({ domains, maxMisspelled: 2, lengthDiffMax: 1 }),
      known: new Set([...domains, ...WELL_KNOWN_MAILBOX_DOMAINS]),
    };
    checkers.set(key, checker);
  }
  return checker;
}

/**
 * The domain of the library's list (email-misspelled's `all`, with EMAIL_TYPO_DOMAINS) that `domain`
 * is most likely a typo of, or undefined. The library ranks the list by edit distance; the guard
 * around it keeps false positives out (docs/email-domain-checks.md measured both):
 * - a domain that is itself on the list, on WELL_KNOWN_MAILBOX_DOMAINS or added is no typo (the
 *   library alone suggests `me.com` for `gmx.com`);
 * - a suggestion must be one slip away: one letter added, dropped or changed, or two neighbours
 *   swapped (`gmial.com`); two independent edits (`gmx.at` → `gmx.de`) are a different name;
 * - among several that close, the one the library ranks among its top 100 mailbox domains, if
 *   exactly one is (`yahoo.con`: yahoo.com, not yahoo.cn); otherwise none (`live.ft`: live.fr or
 *   live.it?): two equally good answers are no answer.
 */
export function suggestedDomainFor(domain: string, extraDomains: readonly string[]): string | undefined {
  const { check, known } = checkerFor(extraDomains);
  if (known.has(domain)) return undefined;
  // The library reads an address; the local part plays no part, and never leaves this function.
  const oneSlip = check(`x@${domain}`)
    .map(({ suggest }) => suggest)
    .filter((suggestion) => isOneSlip(domain, suggestion));
  if (oneSlip.length <= 1) return oneSlip[0];
  const top = oneSlip.filter((suggestion) => TOP.has(suggestion));
  return top.length === 1 ? top[0] : undefined;
}

/** Whether `b` is `a` with one letter added, dropped or changed, or two neighbouring letters swapped. */
function isOneSlip(a: string, b: string): boolean {
  if (a === b) return false;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (longer.length - shorter.length > 1) return false;
  let start = 0;
  while (start < shorter.length && shorter[start] === longer[start]) start++;
  let endShort = shorter.length;
  let endLong = longer.length;
  while (endShort > start && shorter[endShort - 1] === longer[endLong - 1]) {
    endShort--;
    endLong--;
  }
  const differing = [shorter.slice(start, endShort), longer.slice(start, endLong)] as const;
  // Added or dropped: nothing left on the short side; changed: one letter each; swapped: two reversed.
  if (differing[1].length === 1) return differing[0].length <= 1;
  return (
    differing[0].length === 2 &&
    differing[1].length === 2 &&
    differing[0][0] === differing[1][1] &&
    differing[0][1] === differing[1][0]
  );
}
