import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Two levels up from both tools/local/*.ts (sources, under vitest) and dist/tools/*.mjs (built tools).
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const NODE_MODULES = path.join(PROJECT_ROOT, 'node_modules');
export const ZIP_PATH = path.join(PROJECT_ROOT, 'dist/pre-signup.zip');
