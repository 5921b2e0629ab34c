// Loaded on first use only: the typo library and its list, which a cold start pays for only when
// EMAIL_TYPO_CHECK is on.
import emailMisspelled, { all as LIBRARY_DOMAINS, top100 as TOP_DOMAINS } from 'email-misspelled';
import { WELL_KNOWN_MAILBOX_DOMAINS } from '../../decide/rules/well-known-mailbox-domains.js';

type Checker = ReturnType<typeof emailMisspelled>;

const TOP: ReadonlySet<string> = new Set(TOP_DOMAINS);

// One checker per list of added domains (one per configuration), made on first use.
const checkers = new Map<
  string,
  { readonly check: Checker; readonly known: ReadonlySet<string>; readonly tlds: ReadonlySet<string> }
>();

function checkerFor(extraDomains: readonly string[]) {
  const key = extraDomains.join(',');
  let checker = checkers.get(key);
  if (checker === undefined) {
    const domains = [...new Set([...LIBRARY_DOMAINS, ...extraDomains])];
    // One slip is at most two Levenshtein edits (a swap), and changes the length by at most one.
    const known = new Set([...domains, ...WELL_KNOWN_MAILBOX_DOMAINS]);
    checker = {
      check: emailMisspelled({ domains, maxMisspelled: 2, lengthDiffMax: 1 }),
      known,
      tlds: new Set([...known].map((domain) => domain.slice(domain.lastIndexOf('.') + 1))),
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
  const { check, known, tlds } = checkerFor(extraDomains);
  if (known.has(domain)) return undefined;
  const labels = domain.split('.');
  // No slip the guard accepts is possible: a real top-level domain after names too short for one.
  const tld = labels[labels.length - 1] as string;
  if (
    isRealTld(tld, tlds) &&
    labels.every((label, index) => index === labels.length - 1 || label.length < MIN_TYPED_NAME)
  ) {
    return undefined;
  }
  // The library reads an address; the local part plays no part, and never leaves this function.
  const oneSlip = check(`x@${domain}`)
    .map(({ suggest }) => suggest)
    .filter((suggestion) => isOneSlip(domain, suggestion) && isPlausibleSlip(labels, suggestion.split('.'), tlds));
  if (oneSlip.length <= 1) return oneSlip[0];
  const top = oneSlip.filter((suggestion) => TOP.has(suggestion));
  return top.length === 1 ? top[0] : undefined;
}

// Shortest names a slip inside is suggested for: the typed one, and the suggested one. Among
// names of two or three letters, nearly every one is a real domain (`ge.com`, `tcs.com`, `aon.at`);
// a dropped letter still counts (`gmai.com`: gmail.com), a short list domain is never suggested
// for a longer name (`email.de` is not a typo of mail.de).
const MIN_TYPED_NAME = 4;
const MIN_SUGGESTED_NAME = 5;
// Real top-level domains one slip from those the lists use (com, net, org, de, fr, es, it…): a
// slip into one of them is a real domain, not a typo. Every 2-letter one counts as real (ccTLDs).
const REAL_TLDS_NEAR_COMMON = new Set(['cam', 'mom', 'new', 'nec', 'bet', 'pet', 'ong', 'dev', 'frl', 'esq', 'itv']);
// A letter dropped from these into a 2-letter country code (`gmail.co`, `gmail.cm`) is suggested,
// but only for a name this long: the commonest slip of all, at the commonest top-level domains.
const DROPPED_FROM = new Set(['com', 'net', 'org']);

/**
 * Whether a one-slip suggestion is a plausible fix, not a real domain that happens to be close:
 * the same number of labels, one label differing; inside a name, both names long enough (see
 * MIN_TYPED_NAME); in the top-level domain, only when the typed one is no real TLD, or a letter
 * dropped from com, net or org into a country code after a name of five letters or more.
 */
function isPlausibleSlip(
  typed: readonly string[],
  suggested: readonly string[],
  listTlds: ReadonlySet<string>,
): boolean {
  if (typed.length !== suggested.length) return false;
  const differing = typed.flatMap((label, index) => (label === suggested[index] ? [] : [index]));
  if (differing.length !== 1) return false;
  const index = differing[0] as number;
  const [typedLabel, suggestedLabel] = [typed[index] as string, suggested[index] as string];
  if (index < typed.length - 1) {
    return typedLabel.length >= MIN_TYPED_NAME && suggestedLabel.length >= MIN_SUGGESTED_NAME;
  }
  if (!isRealTld(typedLabel, listTlds)) return true;
  const name = typed[index - 1] ?? '';
  return typedLabel.length === 2 && DROPPED_FROM.has(suggestedLabel) && name.length >= MIN_SUGGESTED_NAME;
}

/** A 2-letter TLD (a country's), one that ends a domain of the lists, or one near a common one. */
function isRealTld(tld: string, listTlds: ReadonlySet<string>): boolean {
  return tld.length === 2 || listTlds.has(tld) || REAL_TLDS_NEAR_COMMON.has(tld);
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
