import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip } from '../esbuild.config.mjs';
import { ZIP_PATH } from '../scripts/ensure-build.mjs';
import { removeDir, startFunction, unzipToTemp } from '../tools/local/function-host.js';
import { EVENT_CASE_ROWS, expectOutcome } from './helpers/event-cases.js';
import { loadEvent } from './helpers/events.js';

describe('the zip', () => {
  let unzipped: string;
  let entries: Record<string, Uint8Array>;

  beforeAll(() => {
    const zip = readFileSync(ZIP_PATH);
    entries = unzipSync(zip);
    unzipped = unzipToTemp(zip);
  });
  afterAll(() => removeDir(unzipped));

  it('is byte-identical when built twice', async () => {
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

  it('holds index.mjs at its root, importing only Node built-ins at start-up', () => {
    const entry = new TextDecoder().decode(entries['index.mjs']);
    const staticImports = [
      ...entry.matchAll(/\bimport\s*\{[^}]*\}\s*from\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']/g),
    ].map((match) => match[1] ?? match[2]);
    expect(staticImports.every((specifier) => specifier?.startsWith('node:'))).toBe(true);
    expect(Object.keys(entries)).toContain('lookups/gather-facts.mjs');
  });

  it.each(EVENT_CASE_ROWS)(
    'runs %s with %s from the unzipped folder, outside the repository',
    async (file, _, eventCase) => {
      const running = await startFunction(unzipped, eventCase.env);
      try {
        const { result, error } = await running.invoke(loadEvent(file));
        expectOutcome(eventCase, { result, errorMessage: error?.errorMessage });
      } finally {
        await running.stop();
      }
      expect(running.logs).toHaveLength(1);
    },
  );
});
