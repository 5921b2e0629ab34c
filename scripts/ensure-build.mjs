// Builds the zip, the tools and the client helper when missing or older than anything they are built from, so that
// tests and `npm run invoke` always run what `npm run build` would produce now.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClient, buildTools, buildZip } from '../esbuild.config.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ZIP_PATH = path.join(root, 'dist/pre-signup.zip');
export const LAMBDA_DIR = path.join(root, 'dist/lambda');

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
    path.join(root, 'dist/tools/invoke.mjs'),
    path.join(root, 'dist/client/index.d.ts'),
  ];
  if (!outputs.every(existsSync)) return true;
  const inputs = ['src', 'tools', 'esbuild.config.mjs', 'package-lock.json'].map((name) => path.join(root, name));
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
  } finally {
    console.log = log;
  }
}
