import { DENY_MESSAGE_PREFIX, VARIABLES } from './variables.js';

// Two edits catch a dropped, doubled or swapped letter (AUTO_CONFIM, ALLOWED_EMAIL_DOMAIN)
// without flagging the runtime's own variables, which are far from every name of ours.
const MAX_EDITS = 2;
const KNOWN: ReadonlySet<string> = new Set(VARIABLES);

/** A variable that is set but unused and looks like one of ours. */
export interface LikelyMisspelling {
  readonly variable: string;
  readonly didYouMean: string;
}

/**
 * Names in the environment that are not ours but are within two edits of one of ours, compared
 * without regard to letter case (`auto_confirm` is not read: variable names are case-sensitive).
 */
export function findLikelyMisspellings(names: Iterable<string>): LikelyMisspelling[] {
  const found: LikelyMisspelling[] = [];
  for (const name of names) {
    if (KNOWN.has(name) || name.startsWith(DENY_MESSAGE_PREFIX)) continue;
    const upper = name.toUpperCase();
    for (const known of VARIABLES) {
      if (Math.abs(known.length - upper.length) > MAX_EDITS) continue;
      if (editDistance(upper, known, MAX_EDITS) <= MAX_EDITS) {
        found.push({ variable: name, didYouMean: known });
        break;
      }
    }
  }
  return found;
}

/** Levenshtein distance, giving up (returning limit + 1) once every path exceeds the limit. */
export function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const cost = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      current.push(cost);
      rowMinimum = Math.min(rowMinimum, cost);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
