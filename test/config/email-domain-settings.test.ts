import { describe, expect, it } from 'vitest';
import { containerConfigWithDocument } from '../../src/config/document-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { readSignUpEvent } from '../../src/read/sign-up-event.js';
import { planResponse } from '../../src/respond/plan-response.js';
import { issuesOf } from '../helpers/fixtures.js';

describe('EMAIL_TYPO_CHECK and EMAIL_TYPO_DOMAINS', () => {
  it('reads the added domains as the email reader does', () => {
    const { config, issues } = loadConfig({
      EMAIL_TYPO_CHECK: 'true',
      EMAIL_TYPO_DOMAINS: ' Corp-Mail.Example. , bücher.example,',
    });
    expect(issues).toEqual([]);
    expect(config.emailTypoCheck).toBe(true);
    expect(config.emailTypoDomains).toEqual(['corp-mail.example', 'xn--bcher-kva.example']);
    expect(loadConfig({ EMAIL_TYPO_CHECK: 'true' }).config.emailTypoDomains).toBeUndefined();
    expect(loadConfig({}).config.emailTypoCheck).toBe(false);
  });

  it('refuses an entry that is no domain, naming it, and says the list does nothing without the check', () => {
    expect(
      issuesOf({ EMAIL_TYPO_CHECK: 'true', EMAIL_TYPO_DOMAINS: 'ok.example,not a domain,*.wild.example' }),
    ).toEqual([
      {
        variable: 'EMAIL_TYPO_DOMAINS',
        received: 'the entry "not a domain"',
        expected: 'domain names like "example.com"',
        kind: 'entry',
      },
      {
        variable: 'EMAIL_TYPO_DOMAINS',
        received: 'the entry "*.wild.example"',
        expected: 'domain names like "example.com"',
        kind: 'entry',
      },
    ]);
    expect(loadConfig({ EMAIL_TYPO_DOMAINS: 'ok.example' }).warnings).toContain(
      'EMAIL_TYPO_DOMAINS has no effect while neither EMAIL_TYPO_CHECK nor EMAIL_DELIVERABILITY is true',
    );
    // F5: it also spares its domains the DNS check, so it has an effect under that alone.
    expect(
      loadConfig({ EMAIL_TYPO_DOMAINS: 'ok.example', EMAIL_DELIVERABILITY: 'true' }).warnings.filter((warning) =>
        warning.startsWith('EMAIL_TYPO_DOMAINS'),
      ),
    ).toEqual([]);
    expect(issuesOf({ EMAIL_TYPO_CHECK: 'yes' })).toMatchObject([{ variable: 'EMAIL_TYPO_CHECK', kind: 'value' }]);
  });

  it('warns about an app client that adds typo domains under EMAIL_DELIVERABILITY alone (F5)', () => {
    const document = { EMAIL_DELIVERABILITY: true, clients: { b: { EMAIL_TYPO_DOMAINS: ['nope.example'] } } };
    const { clientWarnings } = containerConfigWithDocument({}, JSON.stringify(document), 'RULES_FILE');
    expect(clientWarnings).toEqual([
      expect.stringMatching(/^clients\.b admits more than the top level through EMAIL_TYPO_DOMAINS:/),
    ]);
  });

  it('wants DENY_MESSAGE_EMAIL_DOMAIN_TYPO to hold {suggestion} exactly once', () => {
    const texts = (text: string) => loadConfig({ DENY_MESSAGE_EMAIL_DOMAIN_TYPO: text });
    expect(texts('Meinten Sie {suggestion}?').config.texts.EMAIL_DOMAIN_TYPO).toBe('Meinten Sie {suggestion}?');
    for (const text of ['Check your address', '{suggestion} or {suggestion}?']) {
      expect(texts(text).issues).toMatchObject([{ variable: 'DENY_MESSAGE_EMAIL_DOMAIN_TYPO', kind: 'value' }]);
      expect(texts(text).issues[0]?.expected).toContain('{suggestion} once');
    }
  });
});

describe('EMAIL_DELIVERABILITY and DNS_SERVERS', () => {
  it('reads IPv4 and IPv6 resolvers, with or without a port', () => {
    const servers = '10.0.0.2, 10.0.0.3:53,2001:db8::53,[2001:db8::54]:5353,127.0.0.1:65535';
    const { config, issues } = loadConfig({ EMAIL_DELIVERABILITY: 'true', DNS_SERVERS: servers });
    expect(issues).toEqual([]);
    expect(config.emailDeliverability).toBe(true);
    expect(config.dnsServers).toEqual([
      '10.0.0.2',
      '10.0.0.3:53',
      '2001:db8::53',
      '[2001:db8::54]:5353',
      '127.0.0.1:65535',
    ]);
    expect(loadConfig({ EMAIL_DELIVERABILITY: 'true' }).config.dnsServers).toBeUndefined();
  });

  it.each([
    'dns.example.com',
    '10.0.0',
    '10.0.0.256',
    '10.0.0.2:0',
    '10.0.0.2:65536',
    '10.0.0.2:dns',
    '[10.0.0.2]:53',
    '[2001:db8::zz]:53',
    '2001:db8::1::2',
    'https://10.0.0.2',
  ])('refuses the entry %j with CONFIG_INVALID, naming it', (entry) => {
    expect(issuesOf({ EMAIL_DELIVERABILITY: 'true', DNS_SERVERS: `10.0.0.2,${entry}` })).toEqual([
      {
        variable: 'DNS_SERVERS',
        received: `the entry "${entry}"`,
        expected:
          'IP addresses with an optional port, separated by commas: "10.0.0.2", "10.0.0.2:53", "[2001:db8::53]:53"',
        kind: 'entry',
      },
    ]);
  });

  it('says DNS_SERVERS does nothing without EMAIL_DELIVERABILITY, and keeps it out of rules documents', () => {
    expect(loadConfig({ DNS_SERVERS: '10.0.0.2' }).warnings).toContain(
      'DNS_SERVERS has no effect while EMAIL_DELIVERABILITY is not true',
    );
    const { loaded } = containerConfigWithDocument({}, JSON.stringify({ DNS_SERVERS: ['10.0.0.2'] }), 'RULES_FILE');
    expect(loaded.issues.map((issue) => issue.variable)).toEqual(['RULES_FILE: DNS_SERVERS']);
  });

  it('warns about an app client that turns either check off, or adds typo domains', () => {
    const document = {
      EMAIL_TYPO_CHECK: true,
      EMAIL_DELIVERABILITY: true,
      clients: {
        a: { EMAIL_TYPO_CHECK: false, EMAIL_DELIVERABILITY: false },
        b: { EMAIL_TYPO_DOMAINS: ['gmial.com'] },
        c: { EMAIL_TYPO_CHECK: true },
      },
    };
    const { clientWarnings } = containerConfigWithDocument({}, JSON.stringify(document), 'RULES_FILE');
    expect(clientWarnings).toEqual([
      expect.stringMatching(
        /^clients\.a admits more than the top level through EMAIL_TYPO_CHECK, EMAIL_DELIVERABILITY:/,
      ),
      expect.stringMatching(/^clients\.b admits more than the top level through EMAIL_TYPO_DOMAINS:/),
    ]);
  });
});

describe('the EMAIL_DOMAIN_TYPO refusal', () => {
  const reading = readSignUpEvent({ request: { userAttributes: { email: 'kim.lee@gmial.com' } } });
  const refused = {
    decision: { outcome: 'refused', code: 'EMAIL_DOMAIN_TYPO', rule: 'EMAIL_TYPO_CHECK', suggestion: 'gmail.com' },
    failures: [],
    warnings: [],
  } as const;

  it('names the suggestion with a literal ... for the local part, never the user’s', () => {
    const plan = planResponse(reading, loadConfig({ EMAIL_TYPO_CHECK: 'true' }), refused, []);
    expect(plan).toMatchObject({ action: 'refuse', code: 'EMAIL_DOMAIN_TYPO' });
    expect(plan.action === 'refuse' && plan.text).toBe('Check your email address. Did you mean ...@gmail.com?');
    expect(JSON.stringify(plan)).not.toContain('kim');
    expect(plan.log).toMatchObject({ emailDomain: 'gmial.com', code: 'EMAIL_DOMAIN_TYPO', rule: 'EMAIL_TYPO_CHECK' });
  });

  it('fills the suggestion into a replaced text', () => {
    const loaded = loadConfig({
      EMAIL_TYPO_CHECK: 'true',
      DENY_MESSAGE_EMAIL_DOMAIN_TYPO: 'Meinten Sie {suggestion}?',
    });
    const plan = planResponse(reading, loaded, refused, []);
    expect(plan.action === 'refuse' && plan.text).toBe('Meinten Sie ...@gmail.com?');
  });

  it('in a dry run refuses nobody, and logs what would have been refused', () => {
    const plan = planResponse(reading, loadConfig({ EMAIL_TYPO_CHECK: 'true', DRY_RUN: 'true' }), refused, []);
    expect(plan).toMatchObject({
      action: 'return-unchanged',
      log: { outcome: 'would-refuse', code: 'EMAIL_DOMAIN_TYPO' },
    });
  });
});
