import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { gatherFacts } from '../../src/look-up/lazy/gather-facts.js';
import { forgetMailDomainAnswers, mailDomainAnswerOf } from '../../src/look-up/lazy/email-domain-mail.js';
import { MAIL_DOMAIN_LOOKUP_MS } from '../../src/model/limits.js';
import { readSignUpEvent, type SignUpInput } from '../../src/read/sign-up-event.js';
import { DNS_TEST_ZONE, type DnsStandIn, startDnsStandIn } from '../helpers/dns-stand-in.js';

// EMAIL_DELIVERABILITY's lookup in this process, against a DNS server the suite starts (dns2 on
// loopback): the answers the rule tells apart, errors and silence, and the cache. The whole
// function under the runtime client: email-domain-checks.runtime.e2e.test.ts.

let dns: DnsStandIn;
beforeAll(async () => {
  dns = await startDnsStandIn({
    ...DNS_TEST_ZONE,
    'refused.example': { rcode: 'REFUSED' },
    // No MX, and the address records' server failing: whether it has an address is unknown.
    'address-servfail.example': { rcode: 'SERVFAIL', types: ['A', 'AAAA'] },
  });
});
afterAll(async () => {
  await dns.stop();
});
beforeEach(() => {
  forgetMailDomainAnswers();
  dns.queries.length = 0;
});

const lookUp = (domain: string, signal = new AbortController().signal) =>
  mailDomainAnswerOf(domain, [dns.server], signal);

describe('mailDomainAnswerOf, against a stand-in DNS server', () => {
  it.each([
    ['mail.example', 'has-mail-server', ['mail.example MX']],
    ['null-mx.example', 'null-mx', ['null-mx.example MX']],
    // A "no" is believed once the resolver has said that gmail.com takes mail.
    ['no-such-domain.example', 'no-such-domain', ['no-such-domain.example MX', 'gmail.com MX']],
    [
      'address-only.example',
      'has-mail-server',
      ['address-only.example MX', 'address-only.example A', 'address-only.example AAAA'],
    ],
    ['v6-only.example', 'has-mail-server', ['v6-only.example MX', 'v6-only.example A', 'v6-only.example AAAA']],
    [
      'nothing.example',
      'no-mail-server',
      ['nothing.example MX', 'nothing.example A', 'nothing.example AAAA', 'gmail.com MX'],
    ],
  ] as const)('%s: %s, asking %j', async (domain, answer, queries) => {
    expect(await lookUp(domain)).toEqual({ answer });
    expect([...dns.queries].sort()).toEqual([...queries].sort());
  });

  it('answers unknown, with the DNS error code, for SERVFAIL and REFUSED, and remembers neither', async () => {
    expect(await lookUp('servfail.example')).toEqual({ answer: 'unknown', error: 'ESERVFAIL' });
    expect(await lookUp('refused.example')).toEqual({ answer: 'unknown', error: 'EREFUSED' });
    const asked = dns.queries.length;
    await lookUp('servfail.example');
    expect(dns.queries.length).toBeGreaterThan(asked);
  });

  it('answers unknown, not no-mail-server, when there is no MX and the address lookups fail', async () => {
    expect(await lookUp('address-servfail.example')).toEqual({ answer: 'unknown', error: 'ESERVFAIL' });
    expect([...dns.queries].sort()).toEqual(
      ['address-servfail.example MX', 'address-servfail.example A', 'address-servfail.example AAAA'].sort(),
    );
  });

  it('answers unknown when the server is silent, within its share of the time budget', async () => {
    const started = Date.now();
    expect(await lookUp('silent.example')).toEqual({ answer: 'unknown', error: 'timeout' });
    const took = Date.now() - started;
    // After the resolver's two tries (400 ms each, the second doubled), or at MAIL_DOMAIN_LOOKUP_MS,
    // whichever comes first; the margin is for a busy machine.
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(MAIL_DOMAIN_LOOKUP_MS + 1000);
  });

  it('stops when the invocation’s budget ends first', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const lookup = await lookUp('silent.example', controller.signal);
    expect(lookup.answer).toBe('unknown');
    expect(Date.now() - started).toBeLessThan(MAIL_DOMAIN_LOOKUP_MS);
  });

  it('answers unknown when nothing listens where DNS_SERVERS points', async () => {
    const lookup = await mailDomainAnswerOf('mail.example', ['127.0.0.1:9'], new AbortController().signal);
    expect(lookup.answer).toBe('unknown');
  });

  it('asks once per domain per container, for a bounded time', async () => {
    const now = Date.now();
    expect(await mailDomainAnswerOf('mail.example', [dns.server], new AbortController().signal, now)).toEqual({
      answer: 'has-mail-server',
    });
    expect(await mailDomainAnswerOf('null-mx.example', [dns.server], new AbortController().signal, now)).toEqual({
      answer: 'null-mx',
    });
    const asked = dns.queries.length;
    for (let repeat = 0; repeat < 5; repeat++) {
      await mailDomainAnswerOf('mail.example', [dns.server], new AbortController().signal, now + 1000);
      await mailDomainAnswerOf('null-mx.example', [dns.server], new AbortController().signal, now + 1000);
    }
    expect(dns.queries.length).toBe(asked);
    // Ten minutes on, it asks again.
    await mailDomainAnswerOf('mail.example', [dns.server], new AbortController().signal, now + 11 * 60 * 1000);
    expect(dns.queries.length).toBe(asked + 1);
  });

  it('asks about gmail.com once per resolver for ten minutes, however many domains it denies', async () => {
    const now = Date.now();
    const signal = new AbortController().signal;
    expect(await mailDomainAnswerOf('no-such-domain.example', [dns.server], signal, now)).toEqual({
      answer: 'no-such-domain',
    });
    expect(await mailDomainAnswerOf('nothing.example', [dns.server], signal, now + 1000)).toEqual({
      answer: 'no-mail-server',
    });
    expect(await mailDomainAnswerOf('other-missing.example', [dns.server], signal, now + 2000)).toEqual({
      answer: 'no-such-domain',
    });
    expect(dns.queries.filter((query) => query.startsWith('gmail.com '))).toEqual(['gmail.com MX']);
    await mailDomainAnswerOf('third-missing.example', [dns.server], signal, now + 11 * 60 * 1000);
    expect(dns.queries.filter((query) => query.startsWith('gmail.com '))).toEqual(['gmail.com MX', 'gmail.com MX']);
  });

  it('never doubts a null MX, the domain’s own word', async () => {
    expect(await lookUp('null-mx.example')).toEqual({ answer: 'null-mx' });
    expect(dns.queries).toEqual(['null-mx.example MX']);
  });

  describe('a resolver that denies everything (a DNS firewall’s walled garden, an internal-only forwarder)', () => {
    let denying: DnsStandIn;
    beforeAll(async () => {
      // It knows nothing: NXDOMAIN for gmail.com as for every other name, and NODATA for one zone of its own.
      denying = await startDnsStandIn({ 'internal.example': {} });
    });
    afterAll(async () => {
      await denying.stop();
    });

    it('answers unknown instead of its "no", remembers neither, and asks about gmail.com once for both', async () => {
      const now = Date.now();
      const signal = new AbortController().signal;
      for (const domain of ['company.example', 'internal.example']) {
        expect(await mailDomainAnswerOf(domain, [denying.server], signal, now)).toEqual({
          answer: 'unknown',
          error: 'resolver-denies-gmail.com',
        });
      }
      expect(denying.queries.filter((query) => query.startsWith('gmail.com '))).toEqual(['gmail.com MX']);
      const asked = denying.queries.filter((query) => query.startsWith('company.example ')).length;
      await mailDomainAnswerOf('company.example', [denying.server], signal, now + 1000);
      expect(denying.queries.filter((query) => query.startsWith('company.example ')).length).toBeGreaterThan(asked);
    });

    it('says so in the warning of the admitted sign-up, naming no address', async () => {
      const { config } = loadConfig({ EMAIL_DELIVERABILITY: 'true', DNS_SERVERS: denying.server });
      const gathered = await gatherFacts(['emailDomainMail'], inputOf('kim@company.example'), config, 2500);
      expect(gathered.facts).toEqual({ emailDomainMail: 'unknown' });
      expect(gathered.warnings).toEqual([
        'EMAIL_DELIVERABILITY admitted the sign-up: the resolver says gmail.com takes no mail either, so it denies public names: see docs/email-domain-checks.md#a-resolver-that-denies-everything; it is a quality check, not a security one',
      ]);
      expect(gathered.warnings.join(' ')).not.toMatch(/kim/i);
    });
  });

  it('answers unknown, with the error, when gmail.com cannot be asked about either (its "no" unconfirmed)', async () => {
    const flaky = await startDnsStandIn({ 'gmail.com': { rcode: 'SERVFAIL' } });
    try {
      expect(await mailDomainAnswerOf('company.example', [flaky.server], new AbortController().signal)).toEqual({
        answer: 'unknown',
        error: 'ESERVFAIL',
      });
    } finally {
      await flaky.stop();
    }
  });

  it('keeps at most 1,000 domains: the oldest is asked again', async () => {
    const zone = Object.fromEntries(
      Array.from({ length: 1001 }, (_, index) => [
        `d${String(index)}.example`,
        { mx: [{ exchange: 'mx.example', priority: 1 }] },
      ]),
    );
    const big = await startDnsStandIn(zone);
    try {
      const signal = new AbortController().signal;
      for (let index = 0; index <= 1000; index++)
        await mailDomainAnswerOf(`d${String(index)}.example`, [big.server], signal);
      const asked = big.queries.length;
      await mailDomainAnswerOf('d1000.example', [big.server], signal);
      expect(big.queries.length).toBe(asked);
      await mailDomainAnswerOf('d0.example', [big.server], signal);
      expect(big.queries.length).toBe(asked + 1);
    } finally {
      await big.stop();
    }
  }, 60_000);
});

function inputOf(email: string): SignUpInput {
  const reading = readSignUpEvent({ triggerSource: 'PreSignUp_SignUp', request: { userAttributes: { email } } });
  if (reading.kind !== 'sign-up') throw new Error('not a sign-up');
  return reading.input;
}

describe('the emailDomainMail lookup, through gatherFacts', () => {
  it('sends only the domain, as the reader gives it: lowercase, without the trailing dot, punycode', async () => {
    const { config } = loadConfig({ EMAIL_DELIVERABILITY: 'true', DNS_SERVERS: dns.server });
    for (const email of ['Kim.Lee@MAIL.Example.', 'kim@bücher.example']) {
      await gatherFacts(['emailDomainMail'], inputOf(email), config, 2500);
    }
    expect(dns.queries.filter((query) => query.endsWith(' MX'))).toEqual([
      'mail.example MX',
      'xn--bcher-kva.example MX',
      // It does not exist: gmail.com is asked about before that "no" is believed.
      'gmail.com MX',
    ]);
    expect(dns.queries.join(' ')).not.toMatch(/kim/i);
  });

  it('answers unknown with a warning that says the sign-up was admitted (a quality check), naming no address', async () => {
    const { config } = loadConfig({ EMAIL_DELIVERABILITY: 'true', DNS_SERVERS: dns.server });
    const gathered = await gatherFacts(['emailDomainMail'], inputOf('kim@servfail.example'), config, 2500);
    expect(gathered.facts).toEqual({ emailDomainMail: 'unknown' });
    expect(gathered.failures).toEqual([]);
    expect(gathered.warnings).toEqual([
      'EMAIL_DELIVERABILITY admitted the sign-up: DNS gave no answer (ESERVFAIL); it is a quality check, not a security one',
    ]);
  });

  it('is a transient failure when the invocation’s whole budget ends before DNS answers', async () => {
    const { config } = loadConfig({ EMAIL_DELIVERABILITY: 'true', DNS_SERVERS: dns.server });
    const gathered = await gatherFacts(['emailDomainMail'], inputOf('kim@silent.example'), config, 50);
    expect(gathered.facts).toEqual({ emailDomainMail: 'transient-failure' });
    expect(gathered.failures).toEqual([
      { lookup: 'emailDomainMail', error: 'LookupTimeoutError', kind: 'transient-failure' },
    ]);
  });
});
