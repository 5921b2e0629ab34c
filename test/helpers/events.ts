import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EVENTS_DIR } from '../../paths.mjs';

/** Every file in events/, by name. */
export function eventFileNames(): string[] {
  return readdirSync(EVENTS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** A fresh copy of an events/ file (parsed anew on every call), so a test may change it freely. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it reads
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(path.join(EVENTS_DIR, name), 'utf8')) as T;
}
