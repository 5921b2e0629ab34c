import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZIP_PATH } from '../../paths.mjs';
import {
  removeDir,
  type RunningFunction,
  runtimeFromEnvironment,
  startFunction,
  unzipToTemp,
} from '../../tools/local/function-host.js';
import { MAIL_DOMAIN_LOOKUP_MS } from '../../src/model/limits.js';
import { DNS_TEST_ZONE, type DnsStandIn, startDnsStandIn } from '../helpers/dns-stand-in.js';
import { loadEvent } from '../helpers/events.js';
import { invocationLines } from '../helpers/function-logs.js';

// The zip under the Lambda runtime client with EMAIL_TYPO_CHECK and EMAIL_DELIVERABILITY, asking a
// stand-in DNS server the suite starts (DNS_SERVERS). The lookup itself, case by case, is tested in
// this process by email-domain-mail.e2e.test.ts; this is the whole function.

const runtime = runtimeFromEnvironment();
let unzipped: string;
let dns: DnsStandIn;
let running: RunningFunction;
const teardown: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  unzipped = unzipToTemp(readFileSync(ZIP_PATH));
  teardown.push(() => removeDir(unzipped));
  dns = await startDnsStandIn(DNS_TEST_ZONE);
  teardown.push(() => dns.stop());
  running = await startFunction(
    unzipped,
    {
      EMAIL_TYPO_CHECK: 'true',
      EMAIL_DELIVERABILITY: 'true',
      DNS_SERVERS: dns.server,
      // The alias warning (#25) is acknowledged: each line here is the invocation's own.
      EXISTING_ACCOUNT_POLICY: 'ignore',
    },
    runtime,
  );
  teardown.push(() => running.stop());
});

afterAll(async () => {
  await Promise.allSettled(teardown.map(async (stop) => stop()));
});

type Event = Record<string, unknown> & { userName: string; request: Record<string, unknown> };

function signUpEvent(email: string, more: { triggerSource?: string; validationData?: Record<string, string> } = {}) {
  const event = loadEvent<Event>('sign-up.json');
  event.userName = 'kim.lee';
  event.request.userAttributes = { email };
  if (more.triggerSource !== undefined) event.triggerSource = more.triggerSource;
  if (more.triggerSource === 'PreSignUp_ExternalProvider') event.userName = 'Google_1234567890';
  if (more.validationData !== undefined) event.request.validationData = more.validationData;
  return event;
}

async function invoke(event: unknown) {
  const { error } = await running.invoke(event);
  return { refusal: error?.errorMessage, line: invocationLines(running.logs).at(-1) ?? {} };
}

describe(`email domain checks under the Lambda runtime client, Node ${runtime.node}, ${runtime.logFormat} logs`, () => {
  it('refuses a likely typo, naming the suggestion and never the local part', async () => {
    const queriesBefore = dns.queries.length;
    const { refusal, line } = await invoke(signUpEvent('Kim.Lee@GMIAL.com'));
    expect(refusal).toBe('EMAIL_DOMAIN_TYPO: Check your email address. Did you mean ...@gmail.com?');
    expect(line).toMatchObject({
      outcome: 'refused',
      code: 'EMAIL_DOMAIN_TYPO',
      rule: 'EMAIL_TYPO_CHECK',
      emailDomain: 'gmial.com',
    });
    expect(JSON.stringify(line)).not.toMatch(/kim/i);
    // The DNS check ran beside it (gmial.com does not exist in the stand-in's zone either).
    expect(dns.queries.slice(queriesBefore)).toContain('gmial.com MX');
  });

  it('admits the typo the user insists on, and then judges its mail servers like any other', async () => {
    const insisting = await invoke(signUpEvent('kim@gmial.com', { validationData: { emailDomainConfirmed: 'true' } }));
    expect(insisting.refusal).toBe(
      'EMAIL_UNDELIVERABLE: This email domain cannot receive mail. Please check the address',
    );
  });

  it.each([
    ['no-such-domain.example', 'the domain does not exist'],
    ['null-mx.example', 'a null MX'],
    ['nothing.example', 'neither MX nor address records'],
  ])('refuses %s (%s) with EMAIL_UNDELIVERABLE', async (domain) => {
    const { refusal, line } = await invoke(signUpEvent(`kim@${domain}`));
    expect(refusal).toBe('EMAIL_UNDELIVERABLE: This email domain cannot receive mail. Please check the address');
    expect(line).toMatchObject({
      outcome: 'refused',
      code: 'EMAIL_UNDELIVERABLE',
      rule: 'EMAIL_DELIVERABILITY',
      level: 'INFO',
    });
  });

  it.each(['mail.example', 'address-only.example', 'v6-only.example'])(
    'confirms %s, which has a mail server',
    async (domain) => {
      const { refusal, line } = await invoke(signUpEvent(`kim@${domain}`));
      expect(refusal).toBeUndefined();
      expect(line).toMatchObject({ outcome: 'confirmed', level: 'INFO' });
    },
  );

  it('admits when DNS fails or stays silent, saying so in a WARN line (a quality check)', async () => {
    const servfail = await invoke(signUpEvent('kim@servfail.example'));
    expect(servfail.refusal).toBeUndefined();
    expect(servfail.line).toMatchObject({
      outcome: 'confirmed',
      level: 'WARN',
      emailDomain: 'servfail.example',
      warnings: [
        'EMAIL_DELIVERABILITY admitted the sign-up: DNS gave no answer (ESERVFAIL); it is a quality check, not a security one',
      ],
    });
    const started = Date.now();
    const silent = await invoke(signUpEvent('kim@silent.example'));
    expect(silent.refusal).toBeUndefined();
    expect(silent.line).toMatchObject({ outcome: 'confirmed', level: 'WARN' });
    expect(silent.line.warnings).toEqual([
      `EMAIL_DELIVERABILITY admitted the sign-up: DNS gave no answer (none within ${String(MAIL_DOMAIN_LOOKUP_MS)} ms); it is a quality check, not a security one`,
    ]);
    // Within its share of the budget, far inside Cognito's 5 s.
    expect(Date.now() - started).toBeLessThan(MAIL_DOMAIN_LOOKUP_MS + 1500);
  });

  it('asks DNS once per domain per container, and never for a well-known domain', async () => {
    await invoke(signUpEvent('ann@mail.example'));
    const asked = dns.queries.length;
    for (const userName of ['ben', 'cat', 'dan']) {
      expect((await invoke(signUpEvent(`${userName}@mail.example`))).refusal).toBeUndefined();
      expect((await invoke(signUpEvent(`${userName}@gmail.com`))).refusal).toBeUndefined();
    }
    expect(dns.queries.length).toBe(asked);
  });

  it('judges no federated email the IdP verified, by either check', async () => {
    const event = signUpEvent('kim@gmial.com', { triggerSource: 'PreSignUp_ExternalProvider' });
    (event.request.userAttributes as Record<string, string>).email_verified = 'true';
    const queriesBefore = dns.queries.length;
    const { refusal, line } = await invoke(event);
    expect(refusal).toBeUndefined();
    expect(line).toMatchObject({ outcome: 'confirmed' });
    expect(dns.queries.length).toBe(queriesBefore);
  });
});

// F2: the DNS check runs after CAPTCHA. Without a token, a domain the resolver knows and one it
// does not are refused alike, and the resolver is asked nothing.
describe(`EMAIL_DELIVERABILITY behind CAPTCHA, Node ${runtime.node}, ${runtime.logFormat} logs`, () => {
  it('answers CAPTCHA_REQUIRED for a known and an unknown domain, and sends no DNS query', async () => {
    const gated = await startFunction(
      unzipped,
      {
        EMAIL_DELIVERABILITY: 'true',
        DNS_SERVERS: dns.server,
        CAPTCHA: 'turnstile',
        CAPTCHA_SECRET: 'test-secret',
        INVITE_REQUIRED: 'true',
        INVITE_SECRET: 'test-secret-of-at-least-32-characters!!',
        EXISTING_ACCOUNT_POLICY: 'ignore',
      },
      runtime,
    );
    try {
      const queriesBefore = dns.queries.length;
      for (const email of ['a@mail.example', 'a@nope.example']) {
        const { error } = await gated.invoke(signUpEvent(email));
        expect(error?.errorMessage, email).toMatch(/^CAPTCHA_REQUIRED: /);
      }
      expect(dns.queries.slice(queriesBefore)).toEqual([]);
    } finally {
      await gated.stop();
    }
  });
});

describe(`a resolver that denies every public name, Node ${runtime.node}, ${runtime.logFormat} logs`, () => {
  it('admits the sign-up with a WARN line saying so, instead of refusing it as undeliverable', async () => {
    // NXDOMAIN for everything, gmail.com included: an internal-only forwarder named in DNS_SERVERS.
    const denying = await startDnsStandIn({});
    const fn = await startFunction(
      unzipped,
      { EMAIL_DELIVERABILITY: 'true', DNS_SERVERS: denying.server, EXISTING_ACCOUNT_POLICY: 'ignore' },
      runtime,
    );
    try {
      const { error } = await fn.invoke(signUpEvent('kim@company.example'));
      expect(error).toBeUndefined();
      const line = invocationLines(fn.logs).at(-1) ?? {};
      expect(line).toMatchObject({ level: 'WARN', outcome: 'confirmed', emailDomain: 'company.example' });
      expect(JSON.stringify(line.warnings)).toContain('denies public names');
      expect(JSON.stringify(line)).not.toContain('kim');
      expect(denying.queries).toContain('gmail.com MX');
    } finally {
      await fn.stop();
      await denying.stop();
    }
  });
});
