import { loadOnce } from './load-once.js';

/**
 * The settings reader, the rules documents' reader and the refusal rules: one file of its own in
 * the zip (lazy/settings-and-rules.mjs), loaded by init when the environment has settings, and
 * never by a function without any.
 */
export const settingsAndRules = loadOnce(() => import('./lazy/settings-and-rules.js'));
