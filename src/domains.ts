import { domainToASCII } from 'node:url';

// Letter-digit-hyphen labels joined by dots: what DNS host names are once IDNA has made them ASCII.
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PLAIN_ASCII = /^[a-z0-9.-]*$/;
const MAX_DOMAIN_LENGTH = 253;

/**
 * A domain in the one form every comparison uses: ASCII (punycode), lowercase, no trailing dot.
 * `Bücher.Example.` and `xn--bcher-kva.example` both become `xn--bcher-kva.example`.
 * Returns undefined for anything that is not a host name (spaces, `@`, `*`, URLs, IP literals…).
 */
export function normalizeDomain(raw: string): string | undefined {
  const withoutTrailingDot = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  // Lowercase ASCII needs no IDNA mapping; skipping the call keeps a warm decision cheap.
  const ascii = PLAIN_ASCII.test(withoutTrailingDot) ? withoutTrailingDot : domainToASCII(withoutTrailingDot);
  return ascii.length <= MAX_DOMAIN_LENGTH && HOST_NAME.test(ascii) ? ascii : undefined;
}

/**
 * The domain of an email address: the part after its last `@`, normalized.
 * Undefined when there is no `@`, or what follows it is not a host name.
 */
export function emailDomainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 0) return undefined;
  return normalizeDomain(email.slice(at + 1).toLowerCase());
}

/**
 * The proper parent domains of a normalized domain, nearest first:
 * `a.b.example.com` → `b.example.com`, `example.com`, `com`.
 * Matching walks these labels instead of using `endsWith`, which would let
 * `evilexample.com` pass for `example.com`.
 */
export function parentDomainsOf(domain: string): string[] {
  const parents: string[] = [];
  for (let dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
    parents.push(domain.slice(dot + 1));
  }
  return parents;
}

/** A parsed domain list: exact names, and bases whose every subdomain matches (`*.base`). */
export interface DomainList {
  readonly exact: ReadonlySet<string>;
  readonly subdomainsOf: ReadonlySet<string>;
}

/** Whether a normalized domain is in the list. */
export function domainListMatches(list: DomainList, domain: string): boolean {
  if (list.exact.has(domain)) return true;
  if (list.subdomainsOf.size === 0) return false;
  return parentDomainsOf(domain).some((parent) => list.subdomainsOf.has(parent));
}

export type DomainListParse =
  { readonly ok: true; readonly list: DomainList } | { readonly ok: false; readonly badEntries: readonly string[] };

/**
 * Parses a comma-separated list such as `example.com, *.example.org`. Entries are trimmed and
 * compared in any letter case; empty entries (a trailing comma) are ignored. An entry must be a
 * domain of at least two labels, optionally prefixed by `*.`; every other entry is reported.
 */
export function parseDomainList(raw: string): DomainListParse {
  const exact = new Set<string>();
  const subdomainsOf = new Set<string>();
  const badEntries: string[] = [];
  for (const entry of raw.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const wildcard = trimmed.startsWith('*.');
    const domain = normalizeDomain(wildcard ? trimmed.slice(2) : trimmed);
    // One label alone ("gmail", "com") is almost always a typo for a full domain.
    if (domain === undefined || !domain.includes('.')) {
      badEntries.push(trimmed);
      continue;
    }
    (wildcard ? subdomainsOf : exact).add(domain);
  }
  return badEntries.length > 0 ? { ok: false, badEntries } : { ok: true, list: { exact, subdomainsOf } };
}

/** Whether a list restricts anything; an empty list means "no restriction" for allow lists. */
export function isEmptyDomainList(list: DomainList): boolean {
  return list.exact.size === 0 && list.subdomainsOf.size === 0;
}
