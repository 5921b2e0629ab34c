// The grammar of RATE_LIMITS entries: `SCOPE:COUNT/WINDOW`, such as `email-domain:20/h`,
// `phone-country:10/15m`, `client:500/h`, `pool:2000/d`. See docs/velocity-limits.md.

/** What a limit counts sign-ups by. */
const RATE_LIMIT_SCOPES = ['email-domain', 'phone-country', 'client', 'pool'] as const;
export type RateLimitScope = (typeof RATE_LIMIT_SCOPES)[number];

/** One velocity limit: at most `limit` sign-ups per `scope` key in each fixed window of `windowSeconds`. */
export interface RateLimit {
  readonly scope: RateLimitScope;
  readonly limit: number;
  readonly windowSeconds: number;
  /** The window as normalised text: `h`, `15m`, `d`, `2d` (the largest unit that divides it, a 1 left out). */
  readonly window: string;
  /** The entry as normalised: lowercase, no white space, the window as in `window` (`pool:2000/24h` → `pool:2000/d`). */
  readonly text: string;
}

const MAX_RATE_LIMIT_COUNT = 1_000_000;
const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60 } as const;
// A window shorter than a minute would split one sign-up's retries (Cognito retries a timed-out
// trigger within seconds) across windows too often; per-second bursts are WAF's job. Thirty days is
// as far as a fixed window is still a velocity, not a quota.
const MIN_WINDOW_SECONDS = 60;
const MAX_WINDOW_SECONDS = 30 * 86_400;
const ENTRY = /^([a-z-]+):([0-9]+)\/([0-9]*)([a-z]+)$/;
const WHOLE_NUMBER = /^[1-9][0-9]*$/;
const EXAMPLE = '"email-domain:20/h"';

/**
 * Reads one RATE_LIMITS entry. Returns the limit, or what was expected, phrased to follow the word
 * "expected" (`RATE_LIMITS: expected …; received the entry "…"`). Letter case and white space
 * around the entry are free; inside it nothing else is: the count is a whole number from 1 to
 * 1,000,000 without separators or leading zeros; the window an optional whole number and a unit
 * (`m` minutes, `h` hours, `d` days), from 1 minute to 30 days.
 */
export function parseRateLimit(entry: string): RateLimit | string {
  const match = ENTRY.exec(entry.trim().toLowerCase());
  if (match === null) {
    return `a limit SCOPE:COUNT/WINDOW, such as ${EXAMPLE} or "pool:2000/d"`;
  }
  const [, scopeText = '', countText = '', multiplierText = '', unit = ''] = match;
  const scope = RATE_LIMIT_SCOPES.find((known) => known === scopeText);
  if (scope === undefined) {
    return `a scope of ${RATE_LIMIT_SCOPES.join(', ')} before the colon (as in ${EXAMPLE})`;
  }
  const limit = Number(countText);
  if (!WHOLE_NUMBER.test(countText) || limit > MAX_RATE_LIMIT_COUNT) {
    return `a count from 1 to ${MAX_RATE_LIMIT_COUNT} without leading zeros between the colon and the slash (as in ${EXAMPLE})`;
  }
  const unitSeconds = UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS] as number | undefined;
  if (unitSeconds === undefined || (multiplierText !== '' && !WHOLE_NUMBER.test(multiplierText))) {
    return `a window after the slash of a unit m, h or d, optionally after a whole number (as in "20/h" or "20/15m")`;
  }
  const windowSeconds = (multiplierText === '' ? 1 : Number(multiplierText)) * unitSeconds;
  if (windowSeconds < MIN_WINDOW_SECONDS || windowSeconds > MAX_WINDOW_SECONDS) {
    return 'a window from 1 minute to 30 days (1m to 30d)';
  }
  const window = windowText(windowSeconds);
  return { scope, limit, windowSeconds, window, text: `${scope}:${String(limit)}/${window}` };
}

/** A list's bad entry, with what was expected of it. */
interface RateLimitProblem {
  /** The entry, trimmed. */
  readonly entry: string;
  readonly expected: string;
}

/**
 * Reads every entry of RATE_LIMITS; blank entries are skipped. Two limits with the same scope and
 * the same window (`email-domain:20/h`, `email-domain:30/60m`) are a problem, named on the second:
 * which one was meant cannot be guessed. Limits are returned in the order given.
 */
export function parseRateLimits(entries: readonly string[]): {
  readonly limits: readonly RateLimit[];
  readonly problems: readonly RateLimitProblem[];
} {
  const limits: RateLimit[] = [];
  const problems: RateLimitProblem[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const parsed = parseRateLimit(entry);
    if (typeof parsed === 'string') {
      problems.push({ entry, expected: parsed });
      continue;
    }
    const earlier = limits.find((l) => l.scope === parsed.scope && l.windowSeconds === parsed.windowSeconds);
    if (earlier !== undefined) {
      problems.push({
        entry,
        expected: `one limit per scope and window, and "${earlier.text}" has the same scope and window`,
      });
      continue;
    }
    limits.push(parsed);
  }
  return { limits, problems };
}

/** Seconds as the largest unit that divides them: 3600 → `h`, 900 → `15m`, 172800 → `2d`. */
function windowText(seconds: number): string {
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    if (seconds % size === 0) {
      const multiple = seconds / size;
      return multiple === 1 ? unit : `${String(multiple)}${unit}`;
    }
  }
  return `${String(seconds / 60)}m`;
}
