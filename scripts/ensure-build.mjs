// Builds the zip, the tools, the client helper and the CDK construct when missing or older than anything they are built from, so that
// tests and `npm run invoke` always run what `npm run build` would produce now.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildCdk, buildClient, buildTools, buildZip } from '../esbuild.config.mjs';
import { DIST_DIR, ENTRY_META_PATH, LAMBDA_DIR, PROJECT_ROOT, TOOLS_DIST_DIR, ZIP_PATH } from '../paths.mjs';

function newestChange(entry) {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/** Whether dist/ is missing or older than the sources, the build script or the lockfile. */
export function buildIsStale() {
  const outputs = [
    ZIP_PATH,
    path.join(LAMBDA_DIR, 'index.mjs'),
    ENTRY_META_PATH,
    path.join(TOOLS_DIST_DIR, 'invoke.mjs'),
    path.join(DIST_DIR, 'client/index.d.ts'),
    path.join(DIST_DIR, 'cdk/index.cjs'),
  ];
  if (!outputs.every(existsSync)) return true;
  const inputs = ['src', 'tools', 'esbuild.config.mjs', 'paths.mjs', 'package-lock.json'].map((name) =>
    path.join(PROJECT_ROOT, name),
  );
  return Math.max(...inputs.filter(existsSync).map(newestChange)) > statSync(ZIP_PATH).mtimeMs;
}

/** Builds if stale; build output goes to stderr so that a tool's stdout stays its own. */
export async function ensureBuilt() {
  if (!buildIsStale()) return;
  const log = console.log;
  console.log = console.error;
  try {
    await buildZip();
    await buildTools();
    await buildClient();
    await buildCdk();
  } finally {
    console.log = log;
  }
}
