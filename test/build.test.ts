import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildZip } from '../esbuild.config.mjs';
import { ENTRY_META_PATH, ZIP_PATH } from '../paths.mjs';
import { removeDir } from '../tools/local/function-host.js';

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

  it('puts index.mjs at the zip’s root, importing nothing at start-up and its lazy part with import()', () => {
    const entries = unzipSync(readFileSync(ZIP_PATH));
    // esbuild's own account of the entry build, not a regex over minified code.
    const meta = JSON.parse(readFileSync(ENTRY_META_PATH, 'utf8')) as Metafile;
    const [, output] = Object.entries(meta.outputs).find(([file]) => file.endsWith('index.mjs')) ?? [];
    const imports = output?.imports ?? [];
    expect(imports.filter((entry) => entry.kind === 'import-statement')).toEqual([]);
    expect(imports.filter((entry) => entry.kind === 'dynamic-import').map((entry) => entry.path)).toEqual([
      './lazy/gather-facts.mjs',
    ]);
    expect(Object.keys(meta.inputs).filter((file) => !file.startsWith('src/'))).toEqual([]);
    expect(Object.keys(entries)).toContain('index.mjs');
    expect(Object.keys(entries)).toContain('lazy/gather-facts.mjs');
  });
});
