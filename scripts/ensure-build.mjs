// Builds the zip, the tools, the client helper, the CDK construct and the playground when missing or older than anything they are built from, so that
// tests and `npm run invoke` always run what `npm run build` would produce now.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  DIST_DIR,
  ENTRY_META_PATH,
  LAMBDA_DIR,
  PLAYGROUND_PATH,
  PROJECT_ROOT,
  TOOLS_DIST_DIR,
  ZIP_PATH,
} from '../paths.mjs';

function newestChange(entry) {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/**
 * Whether any of these outputs is missing, or the first of them is older than the sources, the
 * build script or the lockfile.
 */
function isStale(outputs) {
  if (!outputs.every(existsSync)) return true;
  // events/ is in the playground's page.
  const inputs = ['src', 'tools', 'events', 'esbuild.config.mjs', 'paths.mjs', 'package-lock.json'].map((name) =>
    path.join(PROJECT_ROOT, name),
  );
  const newestInput = Math.max(...inputs.filter(existsSync).map(newestChange));
  return newestInput > statSync(outputs[0]).mtimeMs;
}

/** Whether dist/ is missing or older than the sources, the build script or the lockfile. */
export function buildIsStale() {
  return isStale([
    ZIP_PATH,
    path.join(LAMBDA_DIR, 'index.mjs'),
    ENTRY_META_PATH,
    path.join(TOOLS_DIST_DIR, 'invoke.mjs'),
    path.join(DIST_DIR, 'client/index.d.ts'),
    path.join(DIST_DIR, 'cdk/index.cjs'),
    PLAYGROUND_PATH,
  ]);
}

/** Runs a build with its output on stderr, so that a tool's stdout stays its own. */
async function onStderr(build) {
  const log = console.log;
  console.log = console.error;
  try {
    await build();
  } finally {
    console.log = log;
  }
}

// The build script, and esbuild with it, is loaded only when something is stale: importing it is
// about half of what `npm run invoke` or any other tool costs when dist/ is up to date (0.13 of
// 0.3 s of CPU, measured 2026-12-07), and the tests run the tools some hundred times.
const buildScript = () => import('../esbuild.config.mjs');

/** Builds if stale, saying so first: the whole build took 24 s on 2 busy cores (2026-12-07). */
export async function ensureBuilt() {
  if (!buildIsStale()) return;
  console.error('Building dist/ first: it is missing or older than the sources (10 to 30 s)…');
  const { buildCdk, buildClient, buildPlayground, buildTools, buildZip } = await buildScript();
  await onStderr(async () => {
    await buildZip();
    await buildTools();
    await buildClient();
    await buildCdk();
    await buildPlayground();
  });
}

/** Builds only dist/tools/ if it is missing or stale: enough for a tool's --help, and the zip stays as it is. */
export async function ensureToolsBuilt() {
  if (!isStale([path.join(TOOLS_DIST_DIR, 'invoke.mjs')])) return;
  const { buildTools } = await buildScript();
  await onStderr(() => buildTools());
}
