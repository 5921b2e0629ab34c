// Where things are in this repository, worked out in one place for the build, the scripts, the
// tools (also once bundled into dist/tools/) and the tests. Never part of the zip.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `from` that holds esbuild.config.mjs: the project root. */
function projectRootAbove(from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'esbuild.config.mjs'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no project root (esbuild.config.mjs) above ${from}`);
  }
}

export const PROJECT_ROOT = projectRootAbove(path.dirname(fileURLToPath(import.meta.url)));
export const DIST_DIR = path.join(PROJECT_ROOT, 'dist');
/** The files the zip holds, unzipped: index.mjs and lazy/. */
export const LAMBDA_DIR = path.join(DIST_DIR, 'lambda');
export const ZIP_PATH = path.join(DIST_DIR, 'pre-signup.zip');
/** esbuild's metafile of the entry build: what index.mjs imports. */
export const ENTRY_META_PATH = path.join(DIST_DIR, 'entry-meta.json');
export const TOOLS_DIST_DIR = path.join(DIST_DIR, 'tools');
/** The playground: one self-contained page (docs/playground.md). */
export const PLAYGROUND_PATH = path.join(DIST_DIR, 'playground/index.html');
export const EVENTS_DIR = path.join(PROJECT_ROOT, 'events');
export const NODE_MODULES = path.join(PROJECT_ROOT, 'node_modules');
