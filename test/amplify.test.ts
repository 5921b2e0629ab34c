import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths.mjs';
import { removeDir, startFunction } from '../tools/local/function-host.js';
import { EVENT_CASE_ROWS, expectOutcome } from './helpers/event-cases.js';
import { loadEvent } from './helpers/events.js';

// Amplify Gen 2's defineFunction bundles the entry with CDK's NodejsFunction: esbuild, one ESM
// file, the module build of each package, minified, and a banner that gives the bundle a require().
// The same here, then the bundle runs under the Lambda runtime client on Node 22, as deployed.
const ENTRY = path.join(PROJECT_ROOT, 'examples/amplify/amplify/auth/pre-sign-up/handler.ts');

describe('the Amplify Gen 2 recipe (examples/amplify)', () => {
  let dir: string;
  let bundleBytes: number;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'amplify-bundle-'));
    const built = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      mainFields: ['module', 'main'],
      minify: true,
      banner: { js: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);" },
      write: false,
      outfile: path.join(dir, 'index.mjs'),
      logLevel: 'warning',
    });
    const [bundle] = built.outputFiles;
    if (bundle === undefined) throw new Error('esbuild produced no bundle');
    writeFileSync(path.join(dir, 'index.mjs'), bundle.contents);
    bundleBytes = bundle.contents.byteLength;
  });
  afterAll(() => removeDir(dir));

  it('bundles the package’s handler export into one file, lookups included', () => {
    // The disposable-domain list alone is ~100 KB: proof that the lazily loaded parts came along.
    expect(bundleBytes).toBeGreaterThan(100_000);
  });

  it.each(EVENT_CASE_ROWS)('runs %s with %s', async (file, _, eventCase) => {
    const running = await startFunction(dir, eventCase.env, { node: '22', logFormat: 'JSON' });
    try {
      const { result, error } = await running.invoke(loadEvent(file));
      expectOutcome(eventCase, { result, errorMessage: error?.errorMessage });
    } finally {
      await running.stop();
    }
  });
});

describe('the Amplify Gen 2 recipe in docs/deploy.md', () => {
  // Each ts block there starts with a comment naming its file under examples/amplify/.
  const page = readFileSync(path.join(PROJECT_ROOT, 'docs/deploy.md'), 'utf8');
  const blocks = [...page.matchAll(/```ts\n\/\/ (amplify\/\S+\.ts)\n([\s\S]*?)```/g)].map(
    ([, file = '', body = '']) => [file, body] as const,
  );
  /** The code without comments and blank lines: the docs may explain it differently. */
  const code = (text: string) =>
    text
      .split('\n')
      .filter((line) => !/^\s*(\/\/.*)?$/.test(line))
      .join('\n');

  it('shows the three files of examples/amplify/', () => {
    expect(blocks.map(([file]) => file).sort()).toEqual([
      'amplify/auth/pre-sign-up/handler.ts',
      'amplify/auth/pre-sign-up/resource.ts',
      'amplify/auth/resource.ts',
    ]);
  });

  it.each(blocks)('shows %s as the tested example has it', (file, body) => {
    const example = readFileSync(path.join(PROJECT_ROOT, 'examples/amplify', file), 'utf8');
    expect(code(body)).toBe(code(example));
  });
});
