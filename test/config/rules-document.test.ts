import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { type RulesFileAccess, loadContainerConfig, readTextFile } from '../../src/config/document-config.js';
import { readRulesDocument } from '../../src/config/rules-document.js';

/** A file system of one folder, for loadContainerConfig. */
function filesOf(files: Record<string, string>): RulesFileAccess {
  return {
    root: '/var/task',
    read: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return text;
    },
  };
}

describe('readRulesDocument', () => {
  it('turns JSON values into the text the environment would hold, and keeps lists as arrays', () => {
    const document = readRulesDocument(
      JSON.stringify({
        ALLOWED_EMAIL_DOMAINS: ['example.com', '*.example.org'],
        AUTO_CONFIRM: false,
        MIN_USERNAME_LENGTH: 3,
        EXISTING_ACCOUNT_POLICY: 'deny',
        DENY_MESSAGE_EMAIL_BLOCKED: 'Not this one',
        clients: { '1example23456789': { BLOCKED_EMAILS: ['kim@example.com'] } },
      }),
      'RULES_FILE',
    );
    expect(document).toEqual({
      settings: {
        ALLOWED_EMAIL_DOMAINS: ['example.com', '*.example.org'],
        AUTO_CONFIRM: 'false',
        MIN_USERNAME_LENGTH: '3',
        EXISTING_ACCOUNT_POLICY: 'deny',
        DENY_MESSAGE_EMAIL_BLOCKED: 'Not this one',
      },
      clients: new Map([['1example23456789', { BLOCKED_EMAILS: ['kim@example.com'] }]]),
      issues: [],
    });
  });

  it('names unknown keys (with a did-you-mean for a near miss), bad values and bad clients', () => {
    const { issues } = readRulesDocument(
      JSON.stringify({
        ALLOWED_EMAIL_DOMIANS: ['example.com'],
        colour: 'blue',
        BLOCKED_EMAILS: ['a@example.com,b@example.com'],
        MIN_USERNAME_LENGTH: 2.5,
        RULES_FILE: 'other.json',
        clients: { 'not a client id': {}, abc: [], def: { AUTO_CONFIRM: null } },
      }),
      'RULES_FILE',
    );
    expect(issues.map((issue) => [issue.variable, issue.expected])).toEqual([
      ['RULES_FILE: BLOCKED_EMAILS', 'an array of strings, each without a comma'],
      ['RULES_FILE: MIN_USERNAME_LENGTH', 'a whole number (a JSON number, not a string)'],
      ['RULES_FILE: RULES_FILE', 'to be set in the environment only'],
      ['RULES_FILE: ALLOWED_EMAIL_DOMIANS', 'a setting name (did you mean ALLOWED_EMAIL_DOMAINS?)'],
      ['RULES_FILE: colour', 'a setting name (see docs/settings.md)'],
      ['RULES_FILE: clients.not a client id', 'an app client id (letters, digits, _ and +)'],
      ['RULES_FILE: clients.abc', 'an object of settings'],
      ['RULES_FILE: clients.def: AUTO_CONFIRM', 'true or false (a JSON boolean, not a string)'],
    ]);
  });

  // The attacker's review: a document's METRICS / METRICS_NAMESPACE did nothing in the zip (its
  // logger is made from the environment) while the rule tester used them (failed before: no issues).
  it('refuses METRICS and METRICS_NAMESPACE in a document, at the top level or for a client: the environment sets them', () => {
    const { issues } = readRulesDocument(
      JSON.stringify({ METRICS_NAMESPACE: 'Elsewhere', clients: { app: { METRICS: false } } }),
      'RULES_FILE',
    );
    expect(issues.map((issue) => [issue.variable, issue.expected])).toEqual([
      ['RULES_FILE: METRICS_NAMESPACE', 'to be set in the environment only'],
      ['RULES_FILE: clients.app: METRICS', 'to be set in the environment only'],
    ]);
  });

  it('refuses what is not a JSON object, saying why', () => {
    expect(readRulesDocument('{"AUTO_CONFIRM": tru', 'RULES_FILE').issues[0]).toMatchObject({
      variable: 'RULES_FILE',
      expected: 'a JSON object of settings',
    });
    expect(readRulesDocument('[1, 2]', 'RULES_FILE').issues[0]?.received).toBe('an array');
    expect(readRulesDocument('{"clients": 3}', 'RULES_FILE').issues[0]).toMatchObject({
      variable: 'RULES_FILE: clients',
      received: 'a number',
    });
  });

  // The document is the environment in another syntax: any settings, written either way, read the
  // same, and a bad value (a length over 128) is the same problem in both.
  it('gives the same configuration as the same settings in the environment (property)', () => {
    const settingsArbitrary = fc.record(
      {
        AUTO_CONFIRM: fc.boolean(),
        AUTO_VERIFY_PHONE: fc.boolean(),
        MIN_USERNAME_LENGTH: fc.integer({ min: 0, max: 200 }),
        EXISTING_ACCOUNT_POLICY: fc.constantFrom('ignore', 'no-verify', 'deny'),
        // Lists hold entries with spaces around them, blank entries and bad ones, which the
        // environment's text trims, skips and reports.
        ALLOWED_EMAIL_DOMAINS: fc.array(
          fc.constantFrom('example.com', ' *.example.org ', 'bücher.example', '', ' ', 'bad domain', '*.'),
        ),
        ALLOWED_EMAILS: fc.array(fc.constantFrom('Kim@Example.com', ' lee@example.org', '', 'no-at-sign')),
        BLOCKED_PHONE_PREFIXES: fc.array(fc.constantFrom('+1', '+44 ', '+4930', '', '44')),
        LINK_FEDERATED_USERS: fc.array(fc.constantFrom('Google', ' SignInWithApple', '', 'Cognito')),
        EMAIL_SUBADDRESSES: fc.constantFrom('allow', 'block'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(settingsArbitrary, (settings) => {
        const asEnvironment = Object.fromEntries(
          Object.entries(settings).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
        );
        const fromDocument = loadContainerConfig(
          { RULES_FILE: 'rules.json' },
          filesOf({ '/var/task/rules.json': JSON.stringify(settings) }),
        );
        const fromEnvironment = loadConfig(asEnvironment);
        expect(fromDocument.loaded.issues).toEqual(fromEnvironment.issues);
        expect(fromDocument.loaded.config).toEqual(fromEnvironment.config);
      }),
      { numRuns: 200 },
    );
  });
});

describe('loadContainerConfig', () => {
  const document = JSON.stringify({
    BLOCKED_EMAILS: ['spam@example.com'],
    clients: { admin: { ALLOWED_EMAIL_DOMAINS: ['corp.example'] } },
  });

  it('reads RULES_FILE relative to the function root, or absolute, and gives each app client its overrides', () => {
    for (const [rulesFile, path] of [
      ['rules.json', '/var/task/rules.json'],
      ['/opt/rules.json', '/opt/rules.json'],
    ] as const) {
      const { loaded, byClient } = loadContainerConfig({ RULES_FILE: rulesFile }, filesOf({ [path]: document }));
      expect(loaded.issues).toEqual([]);
      expect(loaded.config.blockedEmails).toEqual(new Set(['spam@example.com']));
      expect(loaded.config.allowedEmailDomains).toBeUndefined();
      expect(byClient.get('admin')?.config.allowedEmailDomains?.exact).toEqual(new Set(['corp.example']));
      expect(byClient.get('admin')?.config.blockedEmails).toEqual(new Set(['spam@example.com']));
    }
    expect(loadContainerConfig({}, filesOf({})).byClient.size).toBe(0);
  });

  it('searches a long sorted list in place, and finds what the unsorted list finds', () => {
    const addresses = Array.from({ length: 2000 }, (_, i) => `user.${String(i)}@partners.example`);
    const domains = addresses.map((address) => address.replace('@', '.'));
    const loaded = (list: readonly string[]) =>
      loadContainerConfig(
        { RULES_FILE: 'rules.json' },
        filesOf({
          '/var/task/rules.json': JSON.stringify({
            ALLOWED_EMAILS: list,
            // The same order for the domains made of the addresses ('.' sorts before the digits, '@' after).
            BLOCKED_EMAIL_DOMAINS: list === addresses ? domains : [...domains].sort(),
          }),
        }),
      ).loaded;
    const sorted = loaded([...addresses].sort());
    const unsorted = loaded(addresses);
    expect(sorted.issues).toEqual([]);
    expect(sorted.config.allowedEmails).not.toBeInstanceOf(Set);
    expect(sorted.config.blockedEmailDomains?.exact).not.toBeInstanceOf(Set);
    expect(unsorted.config.allowedEmails).toBeInstanceOf(Set);
    for (const probe of [
      'user.0@partners.example',
      'user.1999@partners.example',
      'User.7@Partners.Example',
      'user.2000@partners.example',
      'a@b.example',
    ]) {
      const key = probe.toLowerCase();
      expect(sorted.config.allowedEmails?.has(key)).toBe(unsorted.config.allowedEmails?.has(key));
      const domain = key.replace('@', '.');
      expect(sorted.config.blockedEmailDomains?.exact.has(domain)).toBe(
        unsorted.config.blockedEmailDomains?.exact.has(domain),
      );
    }
    expect(sorted.config.allowedEmails?.has('user.1999@partners.example')).toBe(true);
    expect(sorted.config.allowedEmails?.size).toBe(2000);
  });

  it('reads a list shared by several app clients once: every client holds the same set', () => {
    const shared = JSON.stringify({
      BLOCKED_EMAILS: ['spam@example.com'],
      BLOCKED_EMAIL_DOMAINS: ['spam.example'],
      clients: { admin: { AUTO_CONFIRM: false }, partner: { MIN_USERNAME_LENGTH: 3 } },
    });
    const { loaded, byClient } = loadContainerConfig(
      { RULES_FILE: 'rules.json' },
      filesOf({ '/var/task/rules.json': shared }),
    );
    for (const client of ['admin', 'partner']) {
      expect(byClient.get(client)?.config.blockedEmails).toBe(loaded.config.blockedEmails);
      expect(byClient.get(client)?.config.blockedEmailDomains).toBe(loaded.config.blockedEmailDomains);
    }
    expect(loaded.config.blockedEmails).toEqual(new Set(['spam@example.com']));
  });

  it('makes a setting in both places, an unreadable file, and a client’s bad override problems of every client', () => {
    const both = loadContainerConfig(
      { RULES_FILE: 'rules.json', BLOCKED_EMAILS: 'kim@example.com' },
      filesOf({ '/var/task/rules.json': document }),
    );
    expect(both.loaded.issues).toMatchObject([
      {
        variable: 'BLOCKED_EMAILS',
        received: 'a value in the environment and another in RULES_FILE',
        expected: 'one place for it',
      },
    ]);
    expect(both.byClient.get('admin')?.issues).toEqual(both.loaded.issues);

    const missing = loadContainerConfig({ RULES_FILE: 'nowhere.json' }, filesOf({}));
    expect(missing.loaded.issues).toMatchObject([
      {
        variable: 'RULES_FILE',
        received: '"nowhere.json"',
        expected: 'a readable file (ENOENT reading /var/task/nowhere.json)',
      },
    ]);

    const badClient = loadContainerConfig(
      { RULES_FILE: 'rules.json' },
      filesOf({ '/var/task/rules.json': JSON.stringify({ clients: { admin: { MIN_USERNAME_LENGTH: 500 } } }) }),
    );
    expect(badClient.loaded.issues).toMatchObject([
      {
        variable: 'RULES_FILE: clients.admin.MIN_USERNAME_LENGTH',
        received: '"500"',
        expected: 'a whole number from 0 to 128',
      },
    ]);
  });
});

describe('readTextFile', () => {
  it('reads an ASCII file and a UTF-8 one as the text they hold', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'read-text-'));
    try {
      for (const text of [
        '{"BLOCKED_EMAILS": ["kim@example.com"]}',
        '{"ALLOWED_EMAIL_DOMAINS": ["bücher.example", "例え.テスト"]}',
      ]) {
        const file = path.join(dir, 'rules.json');
        writeFileSync(file, text, 'utf8');
        expect(readTextFile(file)).toBe(text);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
