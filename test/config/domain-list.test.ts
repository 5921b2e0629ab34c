import { describe, expect, it } from 'vitest';
import { domainListMatches, parentDomainsOf, parseDomainList } from '../../src/config/domain-list.js';

function listOf(raw: string) {
  const parsed = parseDomainList(raw.split(','));
  if (!parsed.ok) throw new Error(`unexpected bad entries ${parsed.badEntries.join(', ')}`);
  return parsed.list;
}

describe('parentDomainsOf', () => {
  it('lists the parents nearest first', () => {
    expect(parentDomainsOf('a.b.example.com')).toEqual(['b.example.com', 'example.com', 'com']);
  });
});

describe('parseDomainList', () => {
  it('trims entries, ignores empty ones and compares in any letter case', () => {
    const list = listOf(' Example.com , ,*.Corp.Example ,');
    expect(domainListMatches(list, 'example.com')).toBe(true);
    expect(domainListMatches(list, 'eu.corp.example')).toBe(true);
  });

  it('reports every entry that is not a domain name', () => {
    expect(parseDomainList('@example.com, exa mple.com, *, http://x, ok.example, gmail'.split(','))).toEqual({
      ok: false,
      badEntries: ['@example.com', 'exa mple.com', '*', 'http://x', 'gmail'],
      empty: false,
    });
  });
});

describe('domainListMatches', () => {
  it('matches an exact entry only exactly', () => {
    const list = listOf('example.com');
    expect(domainListMatches(list, 'example.com')).toBe(true);
    expect(domainListMatches(list, 'evilexample.com')).toBe(false);
    expect(domainListMatches(list, 'mail.example.com')).toBe(false);
    expect(domainListMatches(list, 'example.com.evil.test')).toBe(false);
  });

  it('matches a wildcard entry on every subdomain but not on the domain itself', () => {
    const list = listOf('*.example.com');
    expect(domainListMatches(list, 'eu.mail.example.com')).toBe(true);
    expect(domainListMatches(list, 'example.com')).toBe(false);
    expect(domainListMatches(list, 'notexample.com')).toBe(false);
  });
});
