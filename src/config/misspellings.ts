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
  const nearMiss = NEAR_MISSES[upper];
  if (nearMiss !== undefined) return nearMiss;
  if (upper.startsWith('DEN')) {
    const denyMessage = DENY_MESSAGE_LOOKALIKE.exec(upper);
    // The code part is echoed only as long as a code can be: the name may be any length.
    const code = denyMessage?.[1];
    if (code !== undefined) return `${DENY_MESSAGE_PREFIX}${code.length > 40 ? `${code.slice(0, 40)}…` : code}`;
  }
  if (upper.length < SHORTEST_SETTING - MAX_EDITS || upper.length > LONGEST_SETTING + MAX_EDITS) return undefined;
  for (const known of SETTINGS) {
    if (Math.abs(known.length - upper.length) > MAX_EDITS) continue;
    // A cheap lower bound first: an edit changes at most one letter count up and one down.
    if (letterCountDistance(upper, known) > MAX_EDITS) continue;
    if (editDistance(upper, known, MAX_EDITS) <= MAX_EDITS) return known;
  }
  return undefined;
}

// Letter counts over A-Z and everything else as one more letter: a name's "bag of letters".
const ALPHABET_SIZE = 27;
const SHORTEST_SETTING = Math.min(...SETTINGS.map((name) => name.length));
const LONGEST_SETTING = Math.max(...SETTINGS.map((name) => name.length));
const difference = new Int32Array(ALPHABET_SIZE);

function slotOf(code: number): number {
  return code >= 65 && code <= 90 ? code - 65 : 26;
}

/** max(letters only in a, letters only in b): never more than the edit distance of the two names. */
function letterCountDistance(a: string, b: string): number {
  difference.fill(0);
  // Atomics reads and writes a typed array's cells as plain numbers.
  for (let i = 0; i < a.length; i++) Atomics.add(difference, slotOf(a.charCodeAt(i)), 1);
  for (let i = 0; i < b.length; i++) Atomics.sub(difference, slotOf(b.charCodeAt(i)), 1);
  let extra = 0;
  let missing = 0;
  for (const count of difference) {
    if (count > 0) extra += count;
    else missing -= count;
  }
  return Math.max(extra, missing);
}

// Two rows, reused by every call: the check runs on every cold start and must not allocate per pair.
const MAX_COMPARED_LENGTH = 64;
let previousRow = new Int32Array(MAX_COMPARED_LENGTH + 1);
let currentRow = new Int32Array(MAX_COMPARED_LENGTH + 1);

/**
 * Levenshtein distance, or `limit + 1` as soon as it must exceed the limit. Only the diagonal band
 * of width 2·limit+1 is computed, since any cell outside it already costs more than the limit.
 */
export function editDistance(a: string, b: string, limit: number): number {
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  if (a.length > MAX_COMPARED_LENGTH || b.length > MAX_COMPARED_LENGTH) return a === b ? 0 : over;
  for (let j = 0; j <= b.length; j++) previousRow[j] = j <= limit ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    currentRow[from - 1] = from === 1 && i <= limit ? i : over;
    let rowMinimum = currentRow[from - 1] ?? over;
    const letter = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const substitution = (previousRow[j - 1] ?? over) + (letter === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = (previousRow[j] ?? over) + 1;
      const insertion = (currentRow[j - 1] ?? over) + 1;
      const cost = Math.min(substitution, deletion, insertion, over);
      currentRow[j] = cost;
      if (cost < rowMinimum) rowMinimum = cost;
    }
    if (to < b.length) currentRow[to + 1] = over;
    if (rowMinimum > limit) return over;
    [previousRow, currentRow] = [currentRow, previousRow];
  }
  return Math.min(previousRow[b.length] ?? over, over);
}
