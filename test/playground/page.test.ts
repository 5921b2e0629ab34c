import { pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_PATH } from '../../paths.mjs';
import { type ConfigIssue, describeIssue } from '../../src/model/config-issue.js';
import { FACT_NAMES } from '../../src/model/facts.js';
import { evaluate, type TesterInput } from '../../tools/rule-tester/evaluate.js';
import { eventFileNames, loadEvent } from '../helpers/events.js';

// The built page (dist/playground/index.html) in a real headless Chromium: playwright-core drives the
// Chromium of @sparticuz/chromium, which unpacks to the temp folder on first use (3 to 7 s).

const PAGE_URL = pathToFileURL(PLAYGROUND_PATH).href;

/** Every request the page made, and those the route saw going out to the network (refused). */
const requested: string[] = [];
const refusedByRoute: string[] = [];
/** Uncaught exceptions in the page, and what it logged as errors (CSP violations among them). */
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args });
  page = await browser.newPage();
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === PAGE_URL) return route.continue();
    refusedByRoute.push(url);
    return route.abort();
  });
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(PAGE_URL);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The results area's text once it holds `expected`; fails with what it holds after 5 s. */
async function verdictShowing(expected: string): Promise<string> {
  const verdict = page.getByTestId('verdict');
  await expect.poll(() => verdict.textContent(), { timeout: 5_000 }).toContain(expected);
  return (await verdict.textContent()) ?? '';
}

/** The page's window.preSignUp.evaluate on each input, in one round trip. */
async function inPage(inputs: readonly TesterInput[]): Promise<unknown[]> {
  return page.evaluate(
    (all) =>
      all.map((input) => {
        const api = (globalThis as unknown as { preSignUp: { evaluate: (input: unknown) => unknown } }).preSignUp;
        try {
          return api.evaluate(input);
        } catch (error) {
          return { threw: (error as Error).message };
        }
      }),
    inputs,
  );
}

/**
 * An answer with the log line's clock readings (its `timestamp` and the metrics' `Timestamp`) set
 * to 0: the page and Node run at different moments, and everything else must be the same.
 */
function withoutClock(answer: unknown): unknown {
  return JSON.parse(JSON.stringify(answer), (key, value: unknown) =>
    (key === 'timestamp' || key === 'Timestamp') && value !== undefined ? 0 : value,
  );
}

/** The tester's core on Node, as `npm run rules -- test --json` prints it. */
function onNode(input: TesterInput): unknown {
  try {
    return JSON.parse(JSON.stringify(evaluate(input)));
  } catch (error) {
    return { threw: (error as Error).message };
  }
}

const CLIENT = '1example23456789';
const CONFIGURATIONS: Readonly<Record<string, Omit<TesterInput, 'event'>>> = {
  'no settings': { settings: '' },
  'a block list that refuses': {
    settings: 'BLOCKED_EMAIL_DOMAINS=blocked.example\nBLOCKED_PHONE_PREFIXES=+1555\nMIN_USERNAME_LENGTH=6',
  },
  'a rules document with a client override': {
    settings: JSON.stringify({
      ALLOWED_EMAIL_DOMAINS: ['example.com', 'company.example'],
      clients: { [CLIENT]: { ALLOWED_EMAIL_DOMAINS: ['company.example'], BLOCKED_EMAILS: ['bob@company.example'] } },
    }),
    clientId: CLIENT,
  },
  'a log-only rule under a dry run': {
    settings: 'BLOCKED_EMAIL_DOMAINS=blocked.example\nLOG_ONLY_RULES=BLOCKED_EMAIL_DOMAINS\nDRY_RUN=true',
  },
  'a bad setting': { settings: 'BLOCKED_EMAIL_DOMAINS=not a domain\nMIN_USERNAME_LENGHT=3' },
  'lookups answered': {
    settings: 'BLOCK_DISPOSABLE_EMAILS=true\nEXISTING_ACCOUNT_POLICY=deny\nAUTO_VERIFY_EMAIL=true',
    facts: { disposableEmail: false, existingAccountForEmail: true },
  },
};

// International domains, each read through the IDNA mapping (node:url on Node, the page's URL
// parser in the browser): mapped to the blocked xn--bcher-kva.example, refused by IDNA, and others.
const IDN_DOMAINS = [
  'bücher.example',
  'BÜCHER.example',
  'xn--bcher-kva.example',
  'ｅｘａｍｐｌｅ。com',
  'faß.example',
  '☃.example',
  '\u0301a.example',
  'xn--a.example',
  'a\u200db.example',
  'bü\u00adcher.example',
  'ex\u0430mple.com',
];

describe('the playground page', () => {
  it('runs with no request but its own file, and its policy refuses any other', async () => {
    await verdictShowing('log line');
    // The page itself fetches nothing: no script, style, font or image from anywhere.
    expect(requested).toEqual([PAGE_URL]);
    // Its Content-Security-Policy refuses what a script in it would try (the request never goes out).
    const attempt = await page.evaluate(() =>
      fetch('https://example.com/collect', { method: 'POST', body: 'x' }).then(
        () => 'sent',
        (error: unknown) => `refused: ${(error as Error).message}`,
      ),
    );
    expect(attempt).toMatch(/^refused: /);
    expect(consoleErrors.some((text) => text.includes('violates the following Content Security Policy'))).toBe(true);
    expect(refusedByRoute).toEqual([]);
  });

  it('offers every file of events/ and a switch for every fact lookups give', async () => {
    const offered = await page
      .getByTestId('event-file')
      .locator('option')
      .evaluateAll((options) =>
        options.map((option) => (option as unknown as { value: string }).value).filter((value) => value !== ''),
      );
    expect(offered).toEqual(eventFileNames());
    for (const name of FACT_NAMES) await expect(page.getByTestId(`fact-${name}`).count()).resolves.toBe(1);
  });

  it('shows the verdict as the settings and the event are typed: the refusal as the app gets it, or the flags', async () => {
    await page.getByTestId('settings').fill('BLOCKED_EMAIL_DOMAINS=blocked.example');
    await page.getByTestId('event-file').selectOption('sign-up-blocked-domain.json');
    const refused = onNode({
      settings: 'BLOCKED_EMAIL_DOMAINS=blocked.example',
      event: loadEvent('sign-up-blocked-domain.json'),
    });
    expect(refused).toMatchObject({ outcome: 'refused', code: 'EMAIL_DOMAIN_BLOCKED' });
    const shown = await verdictShowing((refused as { message: string }).message);
    expect(shown).toContain('refused');
    expect(shown).toMatch(/BLOCKED_EMAIL_DOMAINS\s*refused\s*EMAIL_DOMAIN_BLOCKED/);

    // Typing into the event box: the picker says it is edited, and the verdict follows.
    const event = loadEvent<{ request: { userAttributes: { email: string } } }>('sign-up-blocked-domain.json');
    event.request.userAttributes.email = 'someone@fine.example';
    await page.getByTestId('event').fill(JSON.stringify(event, null, 2));
    const admitted = onNode({ settings: 'BLOCKED_EMAIL_DOMAINS=blocked.example', event }) as {
      outcome: string;
      flags: Record<string, boolean>;
    };
    expect(admitted.outcome).not.toBe('refused');
    const flagsShown = await verdictShowing(JSON.stringify(admitted.flags, null, 2));
    expect(flagsShown).toContain(admitted.outcome);
    await expect(page.getByTestId('event-file').inputValue()).resolves.toBe('');

    // A client id typed in takes that client's overrides.
    await page
      .getByTestId('settings')
      .fill(JSON.stringify({ clients: { web: { BLOCKED_EMAIL_DOMAINS: ['fine.example'] } } }));
    await page.getByTestId('client-id').fill('web');
    await verdictShowing('EMAIL_DOMAIN_BLOCKED');
    await page.getByTestId('client-id').fill('');
    await page.getByTestId('settings').fill('');
  });

  it('takes the facts from its switches', async () => {
    await page.getByTestId('settings').fill('EXISTING_ACCOUNT_POLICY=deny');
    await page.getByTestId('event-file').selectOption('sign-up.json');
    await page.getByTestId('fact-existingAccountForEmail').selectOption({ label: 'another user holds the email' });
    const expected = onNode({
      settings: 'EXISTING_ACCOUNT_POLICY=deny',
      event: loadEvent('sign-up.json'),
      facts: { existingAccountForEmail: true },
    }) as { outcome: string; code: string };
    expect(expected.outcome).toBe('refused');
    await verdictShowing(expected.code);
    await page.getByTestId('fact-existingAccountForEmail').selectOption({ label: 'not given' });
    await page.getByTestId('settings').fill('');
  });

  it('names what is wrong with a bad event, a bad settings line and a bad setting, and never throws', async () => {
    await page.getByTestId('event').fill('{"request": {"userAttributes": }');
    await verdictShowing('The event is not valid JSON: ');

    await page.getByTestId('event-file').selectOption('sign-up.json');
    await page.getByTestId('settings').fill('BLOCKED_EMAIL_DOMAINS blocked.example');
    await verdictShowing('Line 1 of the settings is not KEY=VALUE');

    // A bad value refuses with CONFIG_INVALID, named as the function's ERROR line names it.
    const settings = 'MIN_USERNAME_LENGTH=abc';
    await page.getByTestId('settings').fill(settings);
    const bad = onNode({ settings, event: loadEvent('sign-up.json') }) as {
      code: string;
      message: string;
      log: { configProblems: ConfigIssue[] };
    };
    expect(bad.code).toBe('CONFIG_INVALID');
    const shown = await verdictShowing(bad.message);
    expect(bad.log.configProblems.length).toBeGreaterThan(0);
    for (const problem of bad.log.configProblems) expect(shown).toContain(describeIssue(problem));
    expect(shown).toContain('MIN_USERNAME_LENGTH: expected a whole number');
    // A misspelled name is a warning, with its "did you mean".
    await page.getByTestId('settings').fill('BLOCKED_EMAIL_DOMAIN=blocked.example');
    await verdictShowing('BLOCKED_EMAIL_DOMAIN is set but not read: did you mean BLOCKED_EMAIL_DOMAINS?');

    // Text that would be markup is shown as text.
    await page.getByTestId('settings').fill('BLOCKED_EMAIL_DOMAINS=<img src=x onerror=alert(1)>');
    await verdictShowing('<img src=x onerror=alert(1)>');
    await expect(page.locator('[data-testid="verdict"] img').count()).resolves.toBe(0);
    await page.getByTestId('settings').fill('');
    expect(pageErrors).toEqual([]);
  });

  it('answers as the tester does on Node, for every event of events/ under each configuration', async () => {
    const inputs: TesterInput[] = [];
    for (const configuration of Object.values(CONFIGURATIONS)) {
      for (const name of eventFileNames()) inputs.push({ ...configuration, event: loadEvent(name) });
    }
    // A non-ASCII domain goes through the IDNA mapping (node:url on Node, the URL parser in the page).
    // What the tester refuses to run on, in the same words on both sides.
    const event = loadEvent('sign-up.json');
    inputs.push({ settings: 'BLOCKED_EMAIL_DOMAINS blocked.example', event });
    inputs.push({ settings: '', event, facts: { disposableEmail: 'yes' } });
    inputs.push({ settings: '', event: 'not an event' });
    const idnStart = inputs.length;
    for (const domain of IDN_DOMAINS) {
      const event = loadEvent<{ request: { userAttributes: Record<string, string> } }>('sign-up.json');
      event.request.userAttributes.email = `kim@${domain}`;
      inputs.push({ settings: 'BLOCKED_EMAIL_DOMAINS=xn--bcher-kva.example', event });
    }
    const browserAnswers = await inPage(inputs);
    const nodeAnswers = inputs.map(onNode);
    expect(browserAnswers.map(withoutClock)).toEqual(nodeAnswers.map(withoutClock));
    // The answers compared differ among themselves: admissions, refusals, CONFIG_INVALID…
    const codes = new Set(nodeAnswers.map((answer) => (answer as { code?: string }).code));
    for (const code of [
      undefined,
      'CONFIG_INVALID',
      'EVENT_INVALID',
      'EMAIL_DOMAIN_BLOCKED',
      'EMAIL_DOMAIN_NOT_ALLOWED',
    ]) {
      expect(codes).toContain(code);
    }
    expect(codes).toContain('ACCOUNT_EXISTS');
    const verdicts = nodeAnswers.flatMap((answer) => (answer as { rules?: { verdict: string }[] }).rules ?? []);
    expect(verdicts.map(({ verdict }) => verdict)).toContain('log-only');
    const threw = nodeAnswers.filter((answer) => typeof (answer as { threw?: string }).threw === 'string');
    expect(threw).toHaveLength(2);
    // … and the page mapped an international domain, and refused one IDNA refuses, as Node does.
    const idnCodes = nodeAnswers.slice(idnStart).map((answer) => (answer as { code?: string }).code);
    expect(idnCodes.slice(0, 2)).toEqual(['EMAIL_DOMAIN_BLOCKED', 'EMAIL_DOMAIN_BLOCKED']);
    expect(idnCodes).toContain('EMAIL_INVALID');
    expect(pageErrors).toEqual([]);
  });
});
