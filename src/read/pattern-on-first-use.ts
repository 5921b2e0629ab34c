/**
 * A regular expression made on its first use. A literal with Unicode property escapes (`\p{Cc}`) is
 * checked when its module is parsed, which loads ICU's property tables: as literals they cost every
 * cold start a measurable time, though only input outside printable ASCII ever reaches them.
 * ESLint refuses such literals in src/ (eslint.config.mjs).
 */
export function patternOnFirstUse(source: string, flags: string): Pick<RegExp, 'test'> {
  let pattern: RegExp | undefined;
  return { test: (text: string) => (pattern ??= new RegExp(source, flags)).test(text) };
}
