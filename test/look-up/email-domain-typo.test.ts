import { describe, expect, it } from 'vitest';
import { WELL_KNOWN_MAILBOX_DOMAINS } from '../../src/decide/rules/well-known-mailbox-domains.js';
import { suggestedDomainFor } from '../../src/look-up/lazy/email-domain-typo.js';
import { readDomain } from '../../src/read/email-address.js';
import { REAL_MAILBOX_DOMAINS, TYPOS } from '../fixtures/mailbox-domains.js';

describe('suggestedDomainFor (email-misspelled with the one-slip guard)', () => {
  it.each(REAL_MAILBOX_DOMAINS)('suggests nothing for the real domain %s', (domain) => {
    expect(suggestedDomainFor(domain, [])).toBeUndefined();
  });

  it.each(Object.entries(TYPOS))('suggests for %s: %s', (typo, suggestion) => {
    expect(suggestedDomainFor(typo, [])).toBe(suggestion);
  });

  it('suggests nothing for a domain two independent edits away, or with two candidates one slip away', () => {
    // gmx.at is two changes from gmx.de (the library alone suggests it); gmial.cm is a swap and a drop.
    expect(suggestedDomainFor('gmx.at', [])).toBeUndefined();
    expect(suggestedDomainFor('gmial.cm', [])).toBeUndefined();
    // One slip from live.fr and live.it, both among the library's top 100.
    expect(suggestedDomainFor('live.ft', [])).toBeUndefined();
    // One slip from live.com (top 100) and love.com (not): the more common one.
    expect(suggestedDomainFor('lve.com', [])).toBe('live.com');
  });

  it('suggests nothing for any domain of the well-known list, whatever the library’s list holds', () => {
    for (const domain of WELL_KNOWN_MAILBOX_DOMAINS) expect(suggestedDomainFor(domain, [])).toBeUndefined();
  });

  it('suggests nothing for an unrelated domain, an IDN or a subdomain of a well-known one', () => {
    for (const domain of ['example.org', 'kim-lee.dev', 'xn--bcher-kva.example', 'mail.google.com', 'corp.gmail.com']) {
      expect(suggestedDomainFor(domain, [])).toBeUndefined();
    }
  });

  it('takes EMAIL_TYPO_DOMAINS as real, and suggests them for their own typos', () => {
    expect(suggestedDomainFor('corp-mail.example', [])).toBeUndefined();
    expect(suggestedDomainFor('corp-mial.example', ['corp-mail.example'])).toBe('corp-mail.example');
    // A domain the library would take for a typo of its own list, once added, is not one.
    expect(suggestedDomainFor('gmail.co', ['gmail.co'])).toBeUndefined();
    expect(suggestedDomainFor('gmail.co', [])).toBe('gmail.com');
  });

  it('is given the domain as the reader writes it: upper case and a trailing dot change nothing', () => {
    expect(suggestedDomainFor(readDomain('GMIAL.COM.') ?? '', [])).toBe('gmail.com');
  });
});
