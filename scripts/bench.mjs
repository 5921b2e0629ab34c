// `npm run bench`: prints the figures the budgets are about. Nothing here asserts: this machine is
// shared and noisy, so timings are medians over repeated child processes, for a person to read.
//
// Budgets (issue #2): entry ≤ 8 KB minified; import ≤ 2 ms over an empty module; a warm decision
// ≤ 1 µs; a whole invocation with its log line written to /dev/null ≤ 6 µs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { common } from '../esbuild.config.mjs';
import { LAMBDA_DIR, PROJECT_ROOT as root } from '../paths.mjs';
import { ensureBuilt } from './ensure-build.mjs';

const work = mkdtempSync(path.join(tmpdir(), 'pre-signup-bench-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const devNull = openSync('/dev/null', 'w');

/** Runs a module in a fresh node process and returns the number it prints. */
function measure(code, env = {}) {
  const file = path.join(work, `m-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, code);
  const out = execFileSync(process.execPath, [file], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', devNull],
    encoding: 'utf8',
  });
  return Number(out.trim().split('\n').pop());
}

const importTimer = (url) =>
  `const t=process.hrtime.bigint();await import(${JSON.stringify(url)});` +
  `process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;

try {
  await ensureBuilt();
  const entry = path.join(LAMBDA_DIR, 'index.mjs');
  const entryBytes = statSync(entry).size;
  console.log(`entry file (index.mjs)        ${entryBytes} bytes          budget 8192`);

  // Import cost: the entry against an empty module, alternating, 31 processes each.
  const empty = path.join(work, 'empty.mjs');
  writeFileSync(empty, '');
  const entryTimes = [];
  const emptyTimes = [];
  for (let round = 0; round < 31; round++) {
    emptyTimes.push(measure(importTimer(pathToFileURL(empty).href)));
    entryTimes.push(measure(importTimer(pathToFileURL(entry).href)));
  }
  const importCost = median(entryTimes) - median(emptyTimes);
  console.log(
    `import over an empty module    ${importCost.toFixed(2)} ms          budget 2 ms   ` +
      `(median entry ${median(entryTimes).toFixed(2)} ms, empty ${median(emptyTimes).toFixed(2)} ms)`,
  );

  // A warm decision: decide() from the sources, bundled and minified as the zip's code is.
  const decideBundle = path.join(work, 'decide.mjs');
  await esbuild.build({
    ...common,
    write: true,
    entryPoints: [path.join(root, 'scripts/bench-decide.ts')],
    outfile: decideBundle,
  });
  const decideRuns = [];
  for (let round = 0; round < 5; round++)
    decideRuns.push(measure(`import(${JSON.stringify(pathToFileURL(decideBundle).href)})`));
  console.log(`warm decision                  ${(median(decideRuns) * 1000).toFixed(0)} ns           budget 1000 ns`);

  // A whole invocation of the built handler, its log line going to /dev/null.
  const invocation = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(entry).href)});
    const event = ${JSON.stringify({
      version: '1',
      region: 'us-east-1',
      userPoolId: 'us-east-1_EXAMPLE',
      userName: 'alice',
      triggerSource: 'PreSignUp_SignUp',
      request: { userAttributes: { email: 'alice@example.com', phone_number: '+15555550100' }, validationData: null },
      response: {},
    })};
    const context = { getRemainingTimeInMillis: () => 5000 };
    for (let i = 0; i < 20000; i++) await handler(structuredClone(event), context);
    const n = 100000, copies = Array.from({ length: n }, () => structuredClone(event));
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await handler(copies[i], context);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(process.env.BENCH_RESULT, String(Number(process.hrtime.bigint() - t) / 1e3 / n));`;
  const invocationRuns = [];
  for (let round = 0; round < 5; round++) {
    const file = path.join(work, `invoke-${round}.mjs`);
    writeFileSync(file, invocation);
    const result = path.join(work, `invoke-${round}.txt`);
    execFileSync(process.execPath, [file], {
      env: {
        PATH: process.env.PATH,
        MIN_USERNAME_LENGTH: '3',
        BLOCKED_EMAIL_DOMAINS: 'blocked.example',
        BENCH_RESULT: result,
      },
      stdio: ['ignore', devNull, devNull],
    });
    invocationRuns.push(Number(readFileSync(result, 'utf8')));
  }
  console.log(`whole invocation, log to null  ${median(invocationRuns).toFixed(2)} µs         budget 6 µs`);

  // First-use cost of each lazily loaded part: importing gather-facts and the part, in a fresh process.
  const lookupsDir = path.join(LAMBDA_DIR, 'lazy');
  const gather = pathToFileURL(path.join(lookupsDir, 'gather-facts.mjs')).href;
  for (const part of readdirSync(lookupsDir).filter((name) => name.endsWith('.mjs') && name !== 'gather-facts.mjs')) {
    const url = pathToFileURL(path.join(lookupsDir, part)).href;
    const runs = [];
    for (let round = 0; round < 7; round++) {
      runs.push(
        measure(
          `const t=process.hrtime.bigint();await import(${JSON.stringify(gather)});const m=await import(${JSON.stringify(url)});` +
            (part === 'disposable-domains.mjs' ? 'm.isDisposableDomain("example.com");' : '') +
            `process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`,
        ),
      );
    }
    console.log(
      `first use of ${part.padEnd(24)} ${median(runs).toFixed(1)} ms (import${part === 'disposable-domains.mjs' ? ' + building the set' : ''})`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
