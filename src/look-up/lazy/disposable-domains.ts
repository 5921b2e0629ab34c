// Loaded on first use only: the list is ~170 KB that a cold start should pay only when
// BLOCK_DISPOSABLE_EMAILS is on.
import { disposableEmailBlocklist } from 'disposable-email-domains-js';
import { parentDomainsOf } from '../../config/domain-list.js';

let domains: ReadonlySet<string> | undefined;

/**
 * Whether a normalized domain, or any parent of it, is on the disposable-email list
 * (`x.mailinator.com` is as throwaway as `mailinator.com`). The list comes from the
 * disposable-email-domains project through the `disposable-email-domains-js` package.
 */
export function isDisposableDomain(domain: string): boolean {
  domains ??= new Set(disposableEmailBlocklist().map((entry) => entry.trim().toLowerCase()));
  const list = domains;
  return list.has(domain) || parentDomainsOf(domain).some((parent) => list.has(parent));
}
