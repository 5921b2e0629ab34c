/** One budget: what is measured, and the most it may be. */
interface Budget {
  /** The figure, as docs/performance.md's table names it. */
  readonly figure: string;
  readonly limit: number;
  readonly unit: 'ms' | 'µs' | 'ns' | 'MB';
}

/**
 * Every budget `npm run bench` checks, written once: the bench prints each figure against these,
 * and test/docs-pages.test.ts checks docs/performance.md's table against them.
 */
export const BUDGETS = {
  coldStartWithRules: {
    figure: 'import + first invocation with two domain settings, over `bench/minimal-handler.mjs` (#30)',
    limit: 3,
    unit: 'ms',
  },
  coldStartNoSettings: {
    figure: 'import + first invocation with no settings, over `bench/minimal-handler.mjs`',
    limit: 2,
    unit: 'ms',
  },
  firstAfterInit: {
    figure: 'first invocation after init, with no settings and with two domain settings',
    limit: 0.5,
    unit: 'ms',
  },
  initNoSettings: {
    figure: 'init under the runtime client with no settings, over an empty handler’s zip',
    limit: 3,
    unit: 'ms',
  },
  warmInvocation: { figure: 'warm invocation in-process, log line to /dev/null', limit: 6, unit: 'µs' },
  warmDecision: { figure: 'warm decision', limit: 1000, unit: 'ns' },
  rulesDocumentLoad: {
    figure: 'a rules document of 100,000 domains and 100,000 addresses, as the build writes it: load',
    limit: 150,
    unit: 'ms',
  },
  rulesDocumentDecision: { figure: 'a decision against that document', limit: 2000, unit: 'ns' },
  firstListUsers: {
    figure: 'first sign-up with a ListUsers lookup after init, over a raw HTTP round trip',
    limit: 20,
    unit: 'ms',
  },
  firstDisposableList: { figure: 'first call of the disposable list', limit: 10.25, unit: 'ms' },
  firstSignedInvitation: { figure: 'first call of signed invitations', limit: 10, unit: 'ms' },
  peakRss: {
    figure: 'peak RSS over 20,000 sign-ups in one process (disposable list / signed invitations)',
    limit: 90,
    unit: 'MB',
  },
  firstCaptcha: {
    figure: 'first CAPTCHA-checked sign-up after a cold start, over a raw request',
    limit: 10,
    unit: 'ms',
  },
  warmCaptcha: { figure: 'warm CAPTCHA-checked sign-up, over a raw request', limit: 1, unit: 'ms' },
  firstTypoCheck: { figure: 'first call of the typo check', limit: 5, unit: 'ms' },
  firstDnsLookup: {
    figure: 'first sign-up with a DNS lookup after a cold start, over a well-known domain’s and a raw MX query',
    limit: 2,
    unit: 'ms',
  },
  cachedDnsLookup: {
    figure: 'warm sign-up whose DNS answer is cached, over one with the disposable list (a local lookup)',
    limit: 10,
    unit: 'µs',
  },
} as const satisfies Readonly<Record<string, Budget>>;

/** A budget as the table and the bench write it: `0.5 ms`. */
export function budgetText({ limit, unit }: Budget): string {
  return `${String(limit)} ${unit}`;
}
