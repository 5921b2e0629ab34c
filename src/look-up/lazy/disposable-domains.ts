// Loaded on first use only: the list is ~130 KB that a cold start should pay only when
// BLOCK_DISPOSABLE_EMAILS is on.
import { parentDomainsOf } from '../../config/domain-list.js';
import { DISPOSABLE_DOMAIN_LIST } from './data/disposable-domain-list.js';

let domains: ReadonlySet<string> | undefined;

/**
 * Whether a domain read by readDomain, or any parent of it, is on the disposable-email list
 * (`x.mailinator.com` is as throwaway as `mailinator.com`). The list comes from the
 * disposable-email-domains project through the `disposable-email-domains-js` package, already
 * normalised, so making the set is one split.
 */
export function isDisposableDomain(domain: string): boolean {
  domains ??= new Set(DISPOSABLE_DOMAIN_LIST.split('\n'));
  const list = domains;
  return list.has(domain) || parentDomainsOf(domain).some((parent) => list.has(parent));
}
