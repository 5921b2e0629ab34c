import { describe, expect, it } from 'vitest';
import { parseRateLimit, parseRateLimits } from '../../src/config/rate-limits.js';

describe('parseRateLimit', () => {
  it.each([
    [
      'email-domain:20/h',
      { scope: 'email-domain', limit: 20, windowSeconds: 3600, window: 'h', text: 'email-domain:20/h' },
    ],
    [
      'phone-country:10/15m',
      { scope: 'phone-country', limit: 10, windowSeconds: 900, window: '15m', text: 'phone-country:10/15m' },
    ],
    ['client:500/1h', { scope: 'client', limit: 500, windowSeconds: 3600, window: 'h', text: 'client:500/h' }],
    ['pool:2000/d', { scope: 'pool', limit: 2000, windowSeconds: 86_400, window: 'd', text: 'pool:2000/d' }],
    ['  Pool:2000/24H ', { scope: 'pool', limit: 2000, windowSeconds: 86_400, window: 'd', text: 'pool:2000/d' }],
    ['pool:1/90m', { scope: 'pool', limit: 1, windowSeconds: 5400, window: '90m', text: 'pool:1/90m' }],
    [
      'pool:1000000/30d',
      { scope: 'pool', limit: 1_000_000, windowSeconds: 2_592_000, window: '30d', text: 'pool:1000000/30d' },
    ],
    ['client:5/1m', { scope: 'client', limit: 5, windowSeconds: 60, window: 'm', text: 'client:5/m' }],
    ['client:5/120m', { scope: 'client', limit: 5, windowSeconds: 7200, window: '2h', text: 'client:5/2h' }],
  ])('reads %j', (entry, expected) => {
    expect(parseRateLimit(entry)).toEqual(expected);
  });

  it.each([
    ['email-domain', 'a limit SCOPE:COUNT/WINDOW'],
    ['email-domain:20', 'a limit SCOPE:COUNT/WINDOW'],
    ['email-domain 20/h', 'a limit SCOPE:COUNT/WINDOW'],
    ['email-domain: 20/h', 'a limit SCOPE:COUNT/WINDOW'],
    ['email-domain:1,000/h', 'a limit SCOPE:COUNT/WINDOW'],
    ['email-domain:-1/h', 'a limit SCOPE:COUNT/WINDOW'],
    ['email-domain:2.5/h', 'a limit SCOPE:COUNT/WINDOW'],
    ['ip:20/h', 'a scope of email-domain, phone-country, client, pool'],
    ['email_domain:20/h', 'a limit SCOPE:COUNT/WINDOW'],
    ['domain:20/h', 'a scope of email-domain, phone-country, client, pool'],
    ['pool:0/h', 'a count from 1 to 1000000'],
    ['pool:020/h', 'a count from 1 to 1000000'],
    ['pool:1000001/d', 'a count from 1 to 1000000'],
    ['pool:20/s', 'a window after the slash of a unit m, h or d'],
    ['pool:20/30s', 'a window after the slash of a unit m, h or d'],
    ['pool:20/w', 'a window after the slash of a unit m, h or d'],
    ['pool:20/hour', 'a window after the slash of a unit m, h or d'],
    ['pool:20/0h', 'a window after the slash of a unit m, h or d'],
    ['pool:20/01h', 'a window after the slash of a unit m, h or d'],
    ['pool:20/31d', 'a window from 1 minute to 30 days'],
    ['pool:20/721h', 'a window from 1 minute to 30 days'],
  ])('refuses %j, saying what it expected', (entry, expected) => {
    expect(parseRateLimit(entry)).toEqual(expect.stringContaining(expected));
  });
});

describe('parseRateLimits', () => {
  it('reads every entry in order, skipping blank ones', () => {
    const { limits, problems } = parseRateLimits(['email-domain:20/h', ' ', 'pool:2000/d', '']);
    expect(limits.map((limit) => limit.text)).toEqual(['email-domain:20/h', 'pool:2000/d']);
    expect(problems).toEqual([]);
  });

  it('reports every bad entry at once, trimmed', () => {
    const { limits, problems } = parseRateLimits([' ip:5/h', 'pool:2000/d', 'pool:0/h ']);
    expect(limits.map((limit) => limit.text)).toEqual(['pool:2000/d']);
    expect(problems.map((problem) => problem.entry)).toEqual(['ip:5/h', 'pool:0/h']);
  });

  it('reports a second limit of the same scope and window, however the window is written', () => {
    const { limits, problems } = parseRateLimits(['email-domain:20/h', 'email-domain:30/60m', 'email-domain:100/d']);
    expect(limits.map((limit) => limit.text)).toEqual(['email-domain:20/h', 'email-domain:100/d']);
    expect(problems).toEqual([
      {
        entry: 'email-domain:30/60m',
        expected: 'one limit per scope and window, and "email-domain:20/h" has the same scope and window',
      },
    ]);
  });

  it('allows the same window for different scopes', () => {
    expect(parseRateLimits(['client:20/h', 'pool:20/h']).problems).toEqual([]);
  });
});
