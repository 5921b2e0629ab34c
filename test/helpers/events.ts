import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const EVENTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../events');

/** Every file in events/, by name. */
export function eventFileNames(): string[] {
  return readdirSync(EVENTS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** A fresh copy of an events/ file, so a test may change it freely. */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return structuredClone(JSON.parse(readFileSync(path.join(EVENTS_DIR, name), 'utf8'))) as T;
}
