import { isRuntimeVariable, settingBehindRuntimePrefix } from './runtime-variables.js';
import { DENY_MESSAGE_PREFIX, SETTINGS } from './settings.js';

// Two edits catch a dropped, doubled or swapped letter (AUTO_CONFIM, ALLOWED_EMAIL_DOMAIN).
const MAX_EDITS = 2;
const KNOWN: ReadonlySet<string> = new Set<string>(SETTINGS);

// Names people reach for that are too far from ours for an edit distance to catch.
const NEAR_MISSES: Readonly<Record<string, string>> = {
  ALLOWED_DOMAINS: 'ALLOWED_EMAIL_DOMAINS',
  ALLOW_EMAIL_DOMAINS: 'ALLOWED_EMAIL_DOMAINS',
  BLOCKED_DOMAINS: 'BLOCKED_EMAIL_DOMAINS',
  BLOCK_EMAIL_DOMAINS: 'BLOCKED_EMAIL_DOMAINS',
  DENIED_EMAIL_DOMAINS: 'BLOCKED_EMAIL_DOMAINS',
  AUTO_CONFIRM_DOMAINS: 'AUTO_CONFIRM_EMAIL_DOMAINS',
};

// DENY_MESSAGES_X, DENY_MSG_X, DENY_MESSAGE-X, deny_message_x, DENIED_MESSAGE_X, DENY_TEXT_X…
const DENY_MESSAGE_LOOKALIKE = /^DEN(?:Y|IED)[_-]?(?:MESSAGES?|MSGS?|TEXTS?)[_-]?(.+)$/;

/** A variable that is set but unused and looks like one of ours. */
interface LikelyMisspelling {
  readonly variable: string;
  readonly didYouMean: string;
}

/**
 * Names in the environment that are not ours but look like ours: within two edits of one of ours
 * in any letter case (`auto_confirm` is not read: variable names are case-sensitive), a known near
 * miss (`ALLOWED_DOMAINS`), or a look-alike of the `DENY_MESSAGE_<CODE>` family.
 */
export function findLikelyMisspellings(names: Iterable<string>): LikelyMisspelling[] {
  const found: LikelyMisspelling[] = [];
  for (const name of names) {
    if (KNOWN.has(name) || name.startsWith(DENY_MESSAGE_PREFIX)) continue;
    const upper = name.toUpperCase();
    if (isRuntimeVariable(upper)) {
      const behindPrefix = settingBehindRuntimePrefix(upper);
      if (behindPrefix !== undefined) found.push({ variable: name, didYouMean: behindPrefix });
      continue;
    }
    const didYouMean = lookalikeOf(upper);
    if (didYouMean !== undefined) found.push({ variable: name, didYouMean });
  }
  return found;
}

function lookalikeOf(upper: string): string | undefined {
  const nearMiss = Object.hasOwn(NEAR_MISSES, upper) ? NEAR_MISSES[upper] : undefined;
  if (nearMiss !== undefined) return nearMiss;
  if (upper.startsWith('DEN')) {
    const denyMessage = DENY_MESSAGE_LOOKALIKE.exec(upper);
    // The code part is echoed only as long as a code can be: the name may be any length.
    const code = denyMessage?.[1];
    if (code !== undefined) return `${DENY_MESSAGE_PREFIX}${code.length > 40 ? `${code.slice(0, 40)}…` : code}`;
  }
  // A name of another length than any setting's, give or take two, is none of ours (and may be long).
  if (upper.length < SHORTEST_SETTING - MAX_EDITS || upper.length > LONGEST_SETTING + MAX_EDITS) return undefined;
  return SETTINGS.find(
    (known) => Math.abs(known.length - upper.length) <= MAX_EDITS && editDistance(upper, known) <= MAX_EDITS,
  );
}

const SHORTEST_SETTING = Math.min(...SETTINGS.map((name) => name.length));
const LONGEST_SETTING = Math.max(...SETTINGS.map((name) => name.length));

/**
 * Levenshtein distance: the fewest insertions, deletions and substitutions that turn `a` into `b`.
 * The textbook dynamic programme, one row at a time; it runs once per cold start, on the few names
 * of the environment within two letters of a setting's length.
 */
export function editDistance(a: string, b: string): number {
  // previous[j]: the distance from the first i - 1 units of `a` to the first j of `b`. Each row is
  // walked with the cell above (from `previous`), the one diagonally above-left and the one to the
  // left carried along, so that no index can fall outside a row.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let distance = b.length;
  for (const [i, unit] of a.split('').entries()) {
    let diagonal = i;
    let left = i + 1;
    const current = [left];
    for (const [j, above] of previous.slice(1).entries()) {
      left = Math.min(diagonal + (unit === b[j] ? 0 : 1), above + 1, left + 1);
      current.push(left);
      diagonal = above;
    }
    previous = current;
    distance = left;
  }
  return distance;
}
