import { describe, expect, it } from 'vitest';
import { WELL_KNOWN_MAILBOX_DOMAINS } from '../../src/decide/rules/well-known-mailbox-domains.js';
import { suggestedDomainFor } from '../../src/look-up/lazy/email-domain-typo.js';
import { readDomain } from '../../src/read/email-address.js';
import { REAL_MAILBOX_DOMAINS, SHORT_REAL_DOMAINS, TYPOS } from '../fixtures/mailbox-domains.js';

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
    // One slip from live.com and love.com, but a name of four letters is never suggested (see below).
    expect(suggestedDomainFor('lve.com', [])).toBeUndefined();
    // One slip from hotmail.com (top 100) and hotmail.co.uk is not (another number of labels).
    expect(suggestedDomainFor('hotmial.com', [])).toBe('hotmail.com');
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

  // The attacker's review (F1): short real domains one slip from a listed one.
  it.each(SHORT_REAL_DOMAINS)('suggests nothing for the short real domain %s', (domain) => {
    expect(suggestedDomainFor(domain, [])).toBeUndefined();
  });

  it('suggests nothing for any name of two or three characters under com, net, org, de, at or it', () => {
    // Letters, digits and the hyphen (ASCII: one character each).
    const letters = Array.from('abcdefghijklmnopqrstuvwxyz0123456789-');
    const suggested: string[] = [];
    for (const tld of ['com', 'net', 'org', 'de', 'at', 'it']) {
      for (const a of letters) {
        for (const b of letters) {
          for (const name of [`${a}${b}`, ...letters.map((c) => `${a}${b}${c}`)]) {
            const domain = `${name}.${tld}`;
            if (suggestedDomainFor(domain, []) !== undefined) suggested.push(domain);
          }
        }
      }
    }
    expect(suggested).toEqual([]);
  });

  it('takes a slip into a real top-level domain for no typo, and one into no TLD for one', () => {
    for (const domain of ['mail.ee', 'mail.dk', 'gmx.co', 'yahoo.cam', 'outlook.dev', 'posteo.dk']) {
      expect(suggestedDomainFor(domain, []), domain).toBeUndefined();
    }
    expect(suggestedDomainFor('gmail.cmo', [])).toBe('gmail.com');
    expect(suggestedDomainFor('gmx.nte', [])).toBe('gmx.net');
    expect(suggestedDomainFor('web.ed', [])).toBeUndefined();
  });
});
