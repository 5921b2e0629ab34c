import { readDomain } from '../read/email-address.js';
import { type KeySet, KeySetBuilder } from './key-set.js';

/**
 * The proper parent domains of a domain, nearest first:
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
  readonly exact: KeySet;
  readonly subdomainsOf: KeySet;
}

/** Whether a domain read by readDomain is in the list. */
export function domainListMatches(list: DomainList, domain: string): boolean {
  if (list.exact.has(domain)) return true;
  if (list.subdomainsOf.size === 0) return false;
  return parentDomainsOf(domain).some((parent) => list.subdomainsOf.has(parent));
}

type DomainListParse =
  | { readonly ok: true; readonly list: DomainList }
  | { readonly ok: false; readonly badEntries: readonly string[]; readonly empty: boolean };

/**
 * Parses a list's entries, such as `example.com`, ` *.example.org`. Entries are trimmed and read
 * by the same strict reader as email domains (so `Bücher.example` and its punycode are one entry);
 * empty entries (a trailing comma) are skipped. Every entry that is not a domain of at least two
 * labels, optionally prefixed by `*.`, is reported, and so is a list with no entry at all.
 */
export function parseDomainList(entries: readonly string[]): DomainListParse {
  const exact = new KeySetBuilder();
  const subdomainsOf = new KeySetBuilder();
  const badEntries: string[] = [];
  for (const entry of entries) {
    // The common entry is a plain name in its comparable form: read as it is, it needs no trimmed copy.
    const plain = entry.startsWith('*') ? undefined : readDomain(entry);
    if (plain !== undefined) {
      exact.add(plain);
      continue;
    }
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const wildcard = trimmed.startsWith('*.');
    const domain = readDomain(wildcard ? trimmed.slice(2) : trimmed);
    if (domain === undefined) badEntries.push(trimmed);
    else (wildcard ? subdomainsOf : exact).add(domain);
  }
  const empty = exact.isEmpty && subdomainsOf.isEmpty && badEntries.length === 0;
  if (badEntries.length > 0 || empty) return { ok: false, badEntries, empty };
  return { ok: true, list: { exact: exact.build(), subdomainsOf: subdomainsOf.build() } };
}
