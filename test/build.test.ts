import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { Metafile } from 'esbuild';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildZip } from '../esbuild.config.mjs';
import { ENTRY_META_PATH, PROJECT_ROOT, ZIP_PATH } from '../paths.mjs';
import { removeDir, startFunction, unzipToTemp } from '../tools/local/function-host.js';
import { loadEvent } from './helpers/events.js';

describe('the build', () => {
  it('is byte-identical when run twice', async () => {
    const firstDir = await mkdtemp(path.join(tmpdir(), 'build-a-'));
    const secondDir = await mkdtemp(path.join(tmpdir(), 'build-b-'));
    try {
      const first = await buildZip({ quiet: true, dist: firstDir });
      const second = await buildZip({ quiet: true, dist: secondDir });
      expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(second.sha256).toBe(first.sha256);
      expect(readFileSync(second.zipPath)).toEqual(readFileSync(first.zipPath));
    } finally {
      removeDir(firstDir);
      removeDir(secondDir);
    }
  });

  it('puts a rules document into the zip with --rules, where a relative RULES_FILE finds it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'build-rules-'));
    try {
      const rules = path.join(dir, 'team-rules.json');
      // Long enough (over 1,024 entries, unsorted) for the zip's function to search it in place once sorted.
      const blocked = [...Array.from({ length: 1500 }, (_, i) => `spam-${String(i)}.example`), 'blocked.example'];
      writeFileSync(rules, JSON.stringify({ BLOCKED_EMAIL_DOMAINS: blocked }));
      const built = await buildZip({ quiet: true, dist: path.join(dir, 'dist'), rules });
      expect(built.files).toContain('team-rules.json');
      const unzipped = unzipToTemp(readFileSync(built.zipPath));
      const running = await startFunction(unzipped, { RULES_FILE: 'team-rules.json' });
      try {
        const { error } = await running.invoke(loadEvent('sign-up-blocked-domain.json'));
        expect(error?.errorMessage).toMatch(/^EMAIL_DOMAIN_BLOCKED: /);
        const { result } = await running.invoke(loadEvent('sign-up.json'));
        expect(result).toMatchObject({ response: { autoConfirmUser: true } });
      } finally {
        await running.stop();
        removeDir(unzipped);
      }
      // Lists go in sorted, in the top level and in each client; a sorted document keeps its bytes.
      const unsorted = {
        BLOCKED_EMAILS: ['b@example.com', 'a@example.com'],
        MIN_USERNAME_LENGTH: 3,
        DENY_MESSAGE_EMAIL_BLOCKED: 'Not, this, one',
        clients: { admin: { ALLOWED_EMAIL_DOMAINS: ['z.example', '*.b.example', 'a.example'] } },
      };
      writeFileSync(rules, JSON.stringify(unsorted, null, 2));
      const resorted = await buildZip({ quiet: true, dist: path.join(dir, 'dist'), rules });
      const inZip = new TextDecoder().decode(unzipSync(readFileSync(resorted.zipPath))['team-rules.json']);
      expect(JSON.parse(inZip)).toEqual({
        ...unsorted,
        BLOCKED_EMAILS: ['a@example.com', 'b@example.com'],
        clients: { admin: { ALLOWED_EMAIL_DOMAINS: ['*.b.example', 'a.example', 'z.example'] } },
      });
      const alreadySorted = `${JSON.stringify(JSON.parse(inZip), null, 4)}\n`;
      writeFileSync(rules, alreadySorted);
      const kept = await buildZip({ quiet: true, dist: path.join(dir, 'dist'), rules });
      expect(new TextDecoder().decode(unzipSync(readFileSync(kept.zipPath))['team-rules.json'])).toBe(alreadySorted);

      writeFileSync(rules, JSON.stringify({ BLOCKED_EMAIL_DOMAINS: ['spam.example', 'not a domain'] }));
      await expect(buildZip({ quiet: true, dist: path.join(dir, 'dist'), rules })).rejects.toThrow(
        /--rules: .*team-rules.json would refuse every sign-up with CONFIG_INVALID:\n {2}BLOCKED_EMAIL_DOMAINS: .*the entry "not a domain"$/,
      );
      writeFileSync(rules, '{"BLOCKED_EMAIL_DOMAINS": [');
      await expect(buildZip({ quiet: true, dist: path.join(dir, 'dist'), rules })).rejects.toThrow(
        /--rules: .*team-rules.json is not valid JSON/,
      );
    } finally {
      removeDir(dir);
    }
  });

  it('puts index.mjs at the zip’s root, importing nothing at start-up and its lazy part with import()', () => {
    const entries = unzipSync(readFileSync(ZIP_PATH));
    // esbuild's own account of the entry build, not a regex over minified code.
    const meta = JSON.parse(readFileSync(ENTRY_META_PATH, 'utf8')) as Metafile;
    const [, output] = Object.entries(meta.outputs).find(([file]) => file.endsWith('index.mjs')) ?? [];
    const imports = output?.imports ?? [];
    expect(imports.filter((entry) => entry.kind === 'import-statement')).toEqual([]);
    expect(
      imports
        .filter((entry) => entry.kind === 'dynamic-import')
        .map((entry) => entry.path)
        .sort(),
    ).toEqual([
      './lazy/gather-facts.mjs',
      './lazy/settings-and-rules.mjs',
      './lazy/settings-documents-and-rules.mjs',
      './lazy/ssm.mjs',
    ]);
    expect(Object.keys(meta.inputs).filter((file) => !file.startsWith('src/'))).toEqual([]);
    expect(Object.keys(entries)).toContain('index.mjs');
    expect(Object.keys(entries)).toContain('lazy/gather-facts.mjs');
    expect(Object.keys(entries)).toContain('lazy/ssm.mjs');
    expect(Object.keys(entries)).toContain('lazy/settings-and-rules.mjs');
  });

  it('holds no code that nothing loads: every .mjs is reached by imports from index.mjs, and none is empty', async () => {
    const unzipped = unzipToTemp(readFileSync(ZIP_PATH));
    try {
      // esbuild follows the zip's own import statements and import() calls from index.mjs: its
      // inputs are the files reached, read from the files themselves, not from the build's metafiles.
      const bundled = await esbuild.build({
        entryPoints: [path.join(unzipped, 'index.mjs')],
        absWorkingDir: unzipped,
        bundle: true,
        platform: 'node',
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const reached = Object.keys(bundled.metafile.inputs).sort();
      const code = Object.keys(unzipSync(readFileSync(ZIP_PATH)))
        .filter((name) => name.endsWith('.mjs'))
        .sort();
      expect(reached).toEqual(code);
      for (const name of code) expect(readFileSync(path.join(unzipped, name)).byteLength, name).toBeGreaterThan(0);
    } finally {
      removeDir(unzipped);
    }
  });

  it('leaves the settings reader and the refusal rules out of the entry, in one file of their own', () => {
    const meta = JSON.parse(readFileSync(ENTRY_META_PATH, 'utf8')) as Metafile;
    const inEntry = Object.keys(meta.inputs);
    // A function with no settings parses none of these: default-config.ts is its value.
    for (const file of ['src/config/load-config.ts', 'src/config/env-reader.ts', 'src/config/rules-document.ts']) {
      expect(inEntry).not.toContain(file);
    }
    for (const rule of ['username', 'email-domains', 'email-addresses', 'phone-prefixes', 'existing-account']) {
      expect(inEntry).not.toContain(`src/decide/rules/${rule}.ts`);
    }
    expect(inEntry).not.toContain('src/decide/decide.ts');
    expect(inEntry).toContain('src/config/default-config.ts');
    // Built whole: loading either loads no shared chunk (one file, not six or seven).
    const entries = unzipSync(readFileSync(ZIP_PATH));
    const text = (name: string) => new TextDecoder().decode(entries[name]);
    for (const name of ['lazy/settings-and-rules.mjs', 'lazy/settings-documents-and-rules.mjs']) {
      expect(text(name)).not.toMatch(/\bfrom\s*["']\.\.?\//);
      expect(text(name)).not.toMatch(/\bimport\s*\(\s*["']\./);
    }
    // The rules documents' reader (document-config.ts's message for a setting given twice) only in
    // the file a function with a document loads.
    expect(text('lazy/settings-documents-and-rules.mjs')).toContain('a value in the environment and another in');
    expect(text('lazy/settings-and-rules.mjs')).not.toContain('a value in the environment and another in');
  });

  it('keeps the typo library in a file of its own, which only EMAIL_TYPO_CHECK loads, and node:dns in another', () => {
    const entries = unzipSync(readFileSync(ZIP_PATH));
    const text = (name: string) => new TextDecoder().decode(entries[name]);
    // Two marks of email-misspelled: its own error text, and a domain of its list that no file of
    // this project names.
    const holdsLibrary = (name: string) =>
      text(name).includes('Please provide a domain list') || text(name).includes('wild4music.com');
    const holding = Object.keys(entries).filter((name) => name.endsWith('.mjs') && holdsLibrary(name));
    expect(holding).toEqual(['lazy/email-domain-typo.mjs']);
    const askingDns = Object.keys(entries).filter((name) => name.endsWith('.mjs') && text(name).includes('node:dns'));
    expect(askingDns).toEqual(['lazy/email-domain-mail.mjs']);
    // Reached only through its lookup's import(): nothing imports it statically.
    for (const name of Object.keys(entries).filter((entry) => entry.endsWith('.mjs'))) {
      expect(text(name)).not.toMatch(/from\s*["'][^"']*email-domain-(?:typo|mail)\.mjs/);
    }
  });

  it('carries this project’s licence and the notices of exactly what it bundled', () => {
    const entries = unzipSync(readFileSync(ZIP_PATH));
    const text = (name: string) => new TextDecoder().decode(entries[name]);
    expect(text('LICENSE')).toContain('Apache License');
    expect(text('NOTICE')).toContain('cognito-pre-signup-trigger');
    const notices = text('THIRD-PARTY-NOTICES');
    const packages = [...notices.matchAll(/^(\S+) (\d+\.\d+\.\d+) \(([^)]+)\)$/gm)].map(
      (match) => `${match[1] ?? ''} ${match[3] ?? ''}`,
    );
    expect(packages).toEqual([
      '@smithy/core Apache-2.0',
      '@smithy/signature-v4 Apache-2.0',
      'disposable-email-domains-js CC0-1.0',
      'email-misspelled MIT',
    ]);
    // Each section carries the package's own licence text, not only its name. (@smithy/types is
    // resolved, but only its types are used: none of its bytes is in the zip, so it is not listed.)
    expect(notices.split('Apache License').length - 1).toBeGreaterThanOrEqual(2);
    expect(notices).toContain('CC0');
  });

  it('prints its usage on npm run build -- --help, and builds nothing', () => {
    const build = (...args: string[]) =>
      spawnSync(process.execPath, ['esbuild.config.mjs', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    const help = build('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run build -- \[--rules PATH\]\n/);
    expect(help.stdout).toContain('--rules PATH');
    // A build says where it wrote the zip and how big it is.
    expect(help.stdout).not.toContain('size ');
    expect(help.stderr).toBe('');
    const mistake = build('--rule', 'x.json');
    expect(mistake.status).toBe(2);
    expect(mistake.stdout).toBe('');
    expect(mistake.stderr).toMatch(
      /^build: Unknown option '--rule'.*\.\nUsage: npm run build -- \[--rules PATH\] \(--help says more\)\n$/,
    );
  });
});
